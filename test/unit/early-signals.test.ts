// Signals before presence (src/call/early-signals.ts) on a fake socket (an EventTarget in
// place of the browser's WebSocket; the "SDK" is a listener added after ours): directs from
// an unannounced sender are held in order and handed over right after the presence frame
// that announces it; bounded per sender; expired ones dropped; known senders pass at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarlySignals } from '../../src/call/early-signals.ts';

const ROOM = 'r';
const welcome = (peerId: string) => JSON.stringify({ type: 'welcome', peerId });
const presence = (joined: string[], left: string[] = []) =>
  JSON.stringify({ type: 'presence', channel: ROOM, joined: joined.map(peerId => ({ peerId })), left: left.map(peerId => ({ peerId })) });
const direct = (from: string, n: number) => JSON.stringify({ type: 'direct', from, data: { type: 'rtc-ice', n } });

function socket(options: Partial<ConstructorParameters<typeof EarlySignals>[0]> = {}) {
  const ws = new EventTarget();
  const early = new EarlySignals({ room: ROOM, ...options });
  early.attach(ws);
  const sdk: string[] = [];
  ws.addEventListener('message', e => {
    const f = JSON.parse((e as MessageEvent).data);
    sdk.push(f.type === 'direct' ? `direct ${f.from} ${f.data.n}` : f.type === 'presence' ? `presence ${f.joined.map((p: { peerId: string }) => p.peerId).join()}` : f.type);
  });
  const frame = (data: string) => ws.dispatchEvent(new MessageEvent('message', { data }));
  return { early, sdk, frame };
}

describe('EarlySignals', () => {
  it('holds directs from an unannounced sender and replays them, in order, right after its presence', () => {
    const { early, sdk, frame } = socket();
    frame(welcome('me'));
    frame(presence(['me']));
    frame(direct('x', 1));
    frame(direct('x', 2));
    assert.deepEqual(sdk, ['welcome', 'presence me']);
    frame(presence(['x']));
    frame(direct('x', 3));
    assert.deepEqual(sdk, ['welcome', 'presence me', 'presence x', 'direct x 1', 'direct x 2', 'direct x 3']);
    assert.deepEqual([early.held, early.replayed], [2, 2]);
  });

  it('a known sender passes at once', () => {
    const { early, sdk, frame } = socket();
    frame(welcome('me'));
    frame(presence(['me', 'y']));
    frame(direct('y', 1));
    assert.deepEqual(sdk.at(-1), 'direct y 1');
    assert.equal(early.held, 0);
  });

  it('bounded per sender: the oldest go first', () => {
    const { sdk, frame } = socket({ perSender: 2 });
    frame(welcome('me'));
    for (let n = 1; n <= 4; n++) frame(direct('x', n));
    frame(presence(['x']));
    assert.deepEqual(sdk.slice(-2), ['direct x 3', 'direct x 4']);
  });

  it('expired frames are dropped; a sender that left is forgotten', () => {
    let now = 0;
    const { sdk, frame } = socket({ maxAgeMs: 1000, now: () => now });
    frame(welcome('me'));
    frame(direct('x', 1));
    now = 5000;
    frame(direct('x', 2));
    frame(presence(['x']));
    assert.deepEqual(sdk.slice(-2), ['presence x', 'direct x 2']);
    frame(direct('z', 1));
    frame(presence([], ['z']));
    frame(presence(['z']));
    assert.ok(!sdk.includes('direct z 1'));
  });
});
