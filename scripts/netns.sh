#!/bin/sh
# Runs a command inside a fresh network namespace that holds only loopback
# (plus, with NETNS_VETH=1, a veth pair on a TEST-NET address with a default route
# that leads nowhere, which Firefox needs to gather ICE candidates at all).
# WebRTC gathers candidates on every interface that is up, so browser tests and
# benchmarks must never run in the machine's own namespace (see docs/contributing.md, "Tests").
set -eu
if [ "${METERED_CALL_IN_NETNS:-}" = 1 ]; then exec "$@"; fi
setup='ip link set lo up'
if [ "${NETNS_VETH:-0}" = 1 ]; then
  setup="$setup && ip link add v0 type veth peer name v1 && ip addr add 198.51.100.10/24 dev v0 && ip link set v0 up && ip link set v1 up && ip route add default via 198.51.100.1"
fi
if [ "$(id -u)" = 0 ]; then flags=-n; else flags=-rn; fi
exec unshare $flags sh -c "$setup && METERED_CALL_IN_NETNS=1 exec \"\$@\"" sh "$@"
