// The mesh adapts what it sends (src/call/media-policy.ts, wired by
// src/controllers/send-quality.ts): real elements, real connections, the real encoders.
// The room size sets every connection's encodings, visible on the tiles (`data-send`,
// `data-quality`); a participant that does not show our tile gets no video until it does;
// CPU pressure steps everything down. This page's CPU pressure is a fake (the machine's
// real pressure changes with whatever else runs on it): FakePressureObserver below.
import { expect } from '@open-wc/testing';
import type { MeteredCall } from '../src/index.js';
import { instrumentPage } from './helpers/instrument.js';
import { startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { endCalls } from './helpers/participants.js';
import { eventually, until, watchFrames } from './helpers/resilience.js';
import { $, joinVisitor, makeCall, remoteTileWhere, tileOf, whenShadow } from './helpers/call-ui.js';

const probe = instrumentPage();
let server: LocalServer;
const elements: MeteredCall[] = [];

/** This page's camera senders on connections that are up. */
/** The fake: a Compute Pressure API whose state the test sets (`pressure('critical')`). */
const observers: Array<(records: { state: string }[]) => void> = [];
class FakePressureObserver {
  constructor(private readonly callback: (records: { state: string }[]) => void) {}
  async observe() {
    observers.push(this.callback);
  }
  disconnect() {
    observers.splice(observers.indexOf(this.callback), 1);
  }
}
(globalThis as { PressureObserver?: unknown }).PressureObserver = FakePressureObserver;
const pressure = (state: string) => observers.forEach(cb => cb([{ state }]));

const videoSenders = () =>
  probe.peerConnections
    .filter(pc => pc.connectionState === 'connected')
    .flatMap(pc => pc.getSenders().filter(s => s.track?.kind === 'video'));

describe('a mesh that adapts to its size', function () {
  this.timeout(120000);

  before(async () => {
    server = await startLocalServer({ turn: false });
  });
  after(async () => {
    await stopLocalServer(server);
  });
  afterEach(() => endCalls(elements));

  it('sends full quality to one other participant, and lower resolution, frame rate and bitrate from four people on', async () => {
    const room = uniqueRoom('policy');
    const a = await makeCall(server, { room, name: 'Ana', skipPrejoin: true });
    elements.push(a);
    await a.join();
    const { id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
    await whenShadow(a, () => tileOf(a, idB)?.dataset.send === 'full', 'full quality to B');
    await eventually(async () => videoSenders().length === 1 && (videoSenders()[0]!.getParameters().encodings[0]?.scaleResolutionDownBy ?? 1) === 1, 'B’s sender at full resolution');

    const { id: idC } = await joinVisitor(server, room, 'C', {}, { browser: 'chromium' });
    const { id: idD } = await joinVisitor(server, room, 'D', {}, { browser: 'chromium' });
    await whenShadow(a, () => [idB, idC, idD].every(id => tileOf(a, id)?.dataset.send === 'medium'), 'medium to everyone', 30000).catch(err => {
      const sent = [idB, idC, idD].map(id => tileOf(a, id)?.dataset.send ?? 'no tile');
      throw new Error(`${(err as Error).message}; sending ${sent.join(', ')}`);
    });
    expect($(a, '[part~="local"]')!.dataset.quality).to.equal('medium');
    await eventually(async () => {
      const senders = videoSenders();
      return senders.length === 3 && senders.every(s => {
        const e = s.getParameters().encodings[0]!;
        return e.scaleResolutionDownBy === 2 && e.maxFramerate! < 30 && e.maxBitrate! < 1_000_000;
      });
    }, 'every connection’s encodings lowered', 30000);
    // and the encoder follows: what goes out is half the camera's width
    const width = probe.tracks.find(t => t.kind === 'video' && t.readyState === 'live')!.getSettings().width!;
    await eventually(async () => {
      const report = await videoSenders()[0]!.getStats();
      return [...report.values()].some(s => s.type === 'outbound-rtp' && s.frameWidth > 0 && s.frameWidth <= width / 2);
    }, 'frames encoded at half the width', 30000);
  });

  it('steps every connection down under CPU pressure, and back up when it eases', async () => {
    const room = uniqueRoom('policy-cpu');
    const a = await makeCall(server, { room, name: 'Ana', skipPrejoin: true });
    elements.push(a);
    await a.join();
    const { id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
    await whenShadow(a, () => tileOf(a, idB)?.dataset.send === 'full', 'full quality to B');
    await until(() => observers.length === 1, 'the element watching CPU pressure (from 3 s into the call)');
    pressure('critical');
    await whenShadow(a, () => tileOf(a, idB)?.dataset.send === 'medium' && $(a, '[part~="local"]')!.dataset.quality === 'medium', 'two tiers down');
    await eventually(async () => videoSenders()[0]?.getParameters().encodings[0]?.scaleResolutionDownBy === 2, 'the sender scaled down');
    pressure('nominal');
    await whenShadow(a, () => tileOf(a, idB)?.dataset.send === 'full', 'back to full');
    const counters = (a as unknown as { sendQuality: { counters: { cpuStepsDown: number; cpuStepsUp: number } } }).sendQuality.counters;
    expect(counters.cpuStepsDown).to.equal(2);
    expect(counters.cpuStepsUp).to.equal(2);
  });

  it('stops sending video to a participant whose tab is hidden, and resumes when it is visible', async () => {
    const room = uniqueRoom('policy-view');
    const a = await makeCall(server, { room, name: 'Ana', skipPrejoin: true });
    elements.push(a);
    await a.join();
    const { p: b, id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
    const idA = a.peerId!;
    // (B's tier depends on the machine's real CPU pressure: only paused or not is checked there)
    await b.eval(remoteTileWhere(idA, `t.dataset.send && t.dataset.send !== 'paused'`, 'B sends A video'));
    const clock = watchFrames(() => tileOf(a, idB)?.querySelector('video') ?? null);
    try {
      await clock.frames(5, 20000);
      // the fake: what the browser says when this tab goes to the background
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
      await b.eval(remoteTileWhere(idA, `t.dataset.send === 'paused'`, 'B pauses its video to A'));
      const paused = await b.eval<boolean>(
        `window.__r.livePcs().flatMap(pc => pc.getSenders()).filter(s => s.track && s.track.kind === 'video').every(s => s.getParameters().encodings[0].active === false)`,
      );
      expect(paused, 'B encodes nothing for A').to.equal(true);
      delete (document as { visibilityState?: string }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
      await b.eval(remoteTileWhere(idA, `t.dataset.send && t.dataset.send !== 'paused'`, 'B sends A video again'));
      await clock.frames(5, 20000); // A receives B's video again
    } finally {
      delete (document as { visibilityState?: string }).visibilityState;
      clock.stop();
    }
  });
});
