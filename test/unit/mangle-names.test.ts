// The bundle's property mangling (scripts/mangle-names.mjs) must never shorten a name something
// outside our own code reads: the element's API and Lit's reactive properties, the names the
// benchmark reads on the built element, peer-message and strings keys, the platform's names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: a plain .mjs build script without types
import { mangleableNames } from '../../scripts/mangle-names.mjs';

const names = new Set<string>(mangleableNames());

test('public, reactive, wire and platform names keep their name', () => {
  const kept = [
    // the element's API (methods, getters, reactive properties) and MeteredCallError's
    'join', 'leave', 'sendChat', 'peerId', 'state', 'room', 'apiKey', 'tokenProvider', 'maxPeers', 'resilience', 'strings',
    'code', 'fatal', 'hint', 'viewerMessage', 'toDetail',
    // read by bench/scenarios/mesh.ts on the built element
    'session', 'sendQuality', 'counters', 'recoveryCounters',
    // peer messages, token responses, strings, Lit's controller hooks, the DOM
    'type', 'text', 'username', 'token', 'expiresAt', 'youJoined', 'hostConnected', 'hostDisconnected', 'srcObject',
  ];
  assert.deepEqual(kept.filter(name => names.has(name)), []);
});

test('internal members are shortened (our classes and the SDK\'s private ones)', () => {
  for (const name of ['runJoin', 'onPeerMessage', '_localPeerId', 'signallingSender']) assert.ok(names.has(name), name);
});
