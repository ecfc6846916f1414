#!/bin/sh
# One-time set-up on a fresh machine, run before `npm start` (demo) and `npm test` (tests):
# installs the Debian packages the purpose needs when they are missing, then the npm
# dependencies when node_modules is missing or older than package-lock.json.
set -eu
purpose=${1:-test}
cd "$(dirname "$0")/.."

need=""
missing() { command -v "$1" >/dev/null 2>&1 || need="$need $2"; }
missing turnserver coturn
if [ "$purpose" = test ]; then
  missing chromium chromium
  missing ip iproute2
  missing unshare util-linux
  missing firefox-esr firefox-esr
  # reactions are emoji: the 320 px overflow checks and the screenshots measure real glyphs,
  # as a visitor's system draws them, not the empty boxes of a machine without the font
  case "$(fc-list 2>/dev/null)" in *'Color Emoji'*) ;; *) need="$need fonts-noto-color-emoji" ;; esac
fi

if [ -n "$need" ]; then
  echo "metered-call: installing Debian packages:$need"
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else
    echo "metered-call: please install as root: apt-get install -y --no-install-recommends$need" >&2; exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
