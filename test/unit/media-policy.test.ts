// The media policy with fake senders (what RTCRtpSender.getParameters/setParameters do,
// reduced to the encodings): the real browser behaviour is covered by the browser tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaPolicy, TIERS, tierForRoom, DEFAULT_UPLOAD_BUDGET, type ConnectionLike, type SenderLike } from '../../src/call/media-policy.ts';

/** A fake sender: encodings exist once `negotiated`; `setParameters` may be made to fail. */
class FakeSender implements SenderLike {
  encodings: RTCRtpEncodingParameters[] = [];
  writes = 0;
  refuse = false;
  constructor(readonly track: { kind: string; id: string } | null) {}
  negotiate() { this.encodings = [{ active: true }]; }
  getParameters() { return { transactionId: 't', encodings: this.encodings.map(e => ({ ...e })) }; }
  async setParameters(p: never) {
    if (this.refuse) throw new DOMException('refused', 'InvalidModificationError');
    this.writes++;
    this.encodings = (p as { encodings: RTCRtpEncodingParameters[] }).encodings;
  }
}

/** A fake connection with one camera and one microphone sender. */
class FakeConnection extends EventTarget implements ConnectionLike {
  signalingState = 'stable';
  readonly video = new FakeSender({ kind: 'video', id: 'cam' });
  readonly audio = new FakeSender({ kind: 'audio', id: 'mic' });
  constructor(negotiated = true) {
    super();
    if (negotiated) { this.video.negotiate(); this.audio.negotiate(); }
  }
  getSenders() { return [this.video, this.audio]; }
}

const enc = (c: FakeConnection) => c.video.encodings[0]!;

function room(n: number, policy = new MediaPolicy()) {
  const pcs = Array.from({ length: n - 1 }, () => new FakeConnection());
  pcs.forEach((pc, i) => policy.setConnection(`p${i}`, pc, i + 2));
  return { policy, pcs };
}

test('two people: full quality, which is what the browser sends: nothing is written', async () => {
  const { policy, pcs } = room(2);
  await policy.apply();
  assert.equal(pcs[0]!.video.writes, 0, 'no encoder reconfiguration at the start of a two-person call');
  assert.equal(enc(pcs[0]!).active, true);
  assert.equal(pcs[0]!.audio.writes, 0, 'audio is never touched');
  assert.equal(policy.tier.name, 'full');
  assert.equal(policy.quality('p0').scaleResolutionDownBy, 1);
});

test('from four people: lower resolution, frame rate and bitrate; eight people stay within the upload budget', async () => {
  for (const n of [4, 6, 8]) {
    const { policy, pcs } = room(n);
    await policy.apply();
    const e = enc(pcs[0]!);
    assert.ok(e.scaleResolutionDownBy! >= 2, `${n}: scaled down (${e.scaleResolutionDownBy})`);
    assert.ok(e.maxFramerate! < 30, `${n}: fewer frames`);
    assert.ok(e.maxBitrate! < TIERS[0]!.maxBitrate, `${n}: lower bitrate`);
    const total = pcs.reduce((sum, pc) => sum + enc(pc).maxBitrate!, 0);
    assert.ok(total <= DEFAULT_UPLOAD_BUDGET, `${n}: ${total} bit/s within the budget`);
  }
  assert.ok(tierForRoom(8) > tierForRoom(4) && tierForRoom(4) > tierForRoom(2));
});

test('the room growing and shrinking moves every connection with it', async () => {
  const policy = new MediaPolicy();
  const a = new FakeConnection();
  policy.setConnection('a', a, 2);
  await policy.apply();
  assert.equal(a.video.writes, 0, 'full: left as the browser made it');
  const others = [1, 2, 3, 4].map(() => new FakeConnection());
  others.forEach((pc, i) => policy.setConnection(`o${i}`, pc, 3 + i));
  await policy.apply();
  assert.equal(enc(a).scaleResolutionDownBy, TIERS[tierForRoom(6)]!.scaleResolutionDownBy);
  others.forEach((_, i) => policy.setConnection(`o${i}`, null, 5 - i));
  await policy.apply();
  assert.equal(enc(a).scaleResolutionDownBy, 1, 'back to full when two again');
});

test('a peer that does not show our tile gets no video until it shows it again', async () => {
  let changes = 0;
  const policy = new MediaPolicy({ onChange: () => changes++ });
  const pcs = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
  pcs.forEach((pc, i) => policy.setConnection(`p${i}`, pc, i + 2));
  await policy.apply();
  const before = changes;
  policy.setShownBy('p1', false);
  await policy.apply();
  assert.equal(enc(pcs[1]!).active, false, 'paused');
  assert.equal(enc(pcs[0]!).active, true, 'the others keep sending');
  assert.equal(policy.quality('p1').paused, true);
  assert.equal(policy.counters.pauses, 1);
  assert.ok(changes > before, 'a change is reported');
  policy.setShownBy('p1', true);
  await policy.apply();
  assert.equal(enc(pcs[1]!).active, true, 'resumed');
  assert.equal(policy.counters.resumes, 1);
});

test('a paused peer frees its share of the budget for the others', async () => {
  const { policy, pcs } = room(8, new MediaPolicy({ uploadBudget: 1_000_000 }));
  await policy.apply();
  const shared = enc(pcs[0]!).maxBitrate!;
  assert.equal(shared, Math.floor(1_000_000 / 7));
  for (let i = 1; i < 7; i++) policy.setShownBy(`p${i}`, false);
  await policy.apply();
  assert.ok(enc(pcs[0]!).maxBitrate! > shared, 'more for the one still shown');
});

test('a hide that arrives before the connection is applied when the connection appears', async () => {
  const policy = new MediaPolicy();
  policy.setShownBy('late', false);
  const pc = new FakeConnection();
  policy.setConnection('late', pc, 2);
  await policy.apply();
  assert.equal(enc(pc).active, false);
});

test('senders without encodings yet are written once the connection is stable', async () => {
  const policy = new MediaPolicy();
  const pc = new FakeConnection(false);
  policy.setConnection('p', pc, 3);
  await policy.apply();
  assert.equal(pc.video.writes, 0, 'nothing to write before negotiation');
  pc.video.negotiate();
  pc.dispatchEvent(new Event('signalingstatechange'));
  await policy.apply();
  assert.equal(pc.video.writes, 1);
  assert.equal(enc(pc).scaleResolutionDownBy, TIERS[1]!.scaleResolutionDownBy);
});

test('an unchanged policy writes nothing; a refused write is counted, not thrown', async () => {
  const { policy, pcs } = room(3);
  await policy.apply();
  const writes = pcs[0]!.video.writes;
  await policy.apply();
  assert.equal(pcs[0]!.video.writes, writes, 'no second write');
  pcs[0]!.video.refuse = true;
  policy.setCpuSteps(1);
  await policy.apply();
  assert.ok(policy.counters.failures >= 1);
});

test('CPU pressure steps every connection down, and back up', async () => {
  const { policy, pcs } = room(2);
  await policy.apply();
  policy.setCpuSteps(2);
  await policy.apply();
  assert.equal(policy.tier.name, TIERS[2]!.name);
  assert.equal(enc(pcs[0]!).scaleResolutionDownBy, TIERS[2]!.scaleResolutionDownBy);
  assert.equal(policy.counters.cpuStepsDown, 2);
  policy.setCpuSteps(0);
  await policy.apply();
  assert.equal(enc(pcs[0]!).scaleResolutionDownBy, 1);
  assert.equal(policy.counters.cpuStepsUp, 2);
  const { policy: big } = room(8);
  big.setCpuSteps(2);
  assert.equal(big.tier.name, 'minimal', 'never below the last tier');
});

test('a shared screen keeps its quality when `follows` leaves it out', async () => {
  const policy = new MediaPolicy({ follows: t => (t as { id?: string }).id !== 'screen' });
  const pc = new FakeConnection();
  const screen = new FakeSender({ kind: 'video', id: 'screen' });
  screen.negotiate();
  pc.getSenders = () => [pc.video, screen];
  policy.setConnection('p', pc, 6);
  await policy.apply();
  assert.equal(screen.writes, 0);
  assert.ok(enc(pc).scaleResolutionDownBy! > 1);
});

test('a replaced connection is followed, the old one forgotten', async () => {
  const policy = new MediaPolicy();
  const first = new FakeConnection();
  policy.setConnection('p', first, 4);
  await policy.apply();
  const second = new FakeConnection();
  policy.setConnection('p', second, 4);
  await policy.apply();
  const writes = first.video.writes;
  policy.setCpuSteps(1);
  await policy.apply();
  assert.equal(first.video.writes, writes, 'the old connection is left alone');
  assert.equal(enc(second).scaleResolutionDownBy, TIERS[3]!.scaleResolutionDownBy);
});

test('a browser that refuses `active` still gets the tier when the peer hides us', async () => {
  const policy = new MediaPolicy();
  const pc = new FakeConnection();
  const sender = pc.video;
  const set = sender.setParameters.bind(sender);
  sender.setParameters = async (p: never) => {
    if ((p as { encodings: RTCRtpEncodingParameters[] }).encodings.some(e => e.active === false)) throw new DOMException('active unsupported', 'OperationError');
    return set(p);
  };
  policy.setConnection('p', pc, 6);
  policy.setShownBy('p', false);
  await policy.apply();
  assert.equal(enc(pc).active, true, 'still sending');
  assert.equal(enc(pc).scaleResolutionDownBy, TIERS[tierForRoom(6)]!.scaleResolutionDownBy, 'at the room’s tier');
  assert.equal(policy.counters.failures, 1);
  assert.equal(policy.counters.pauses, 0, 'no pause counted that did not happen');
});
