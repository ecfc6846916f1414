// Call features that live outside the element (issue 15), in the real browser with its
// fake camera and microphone: connection quality read from two real RTCPeerConnections in
// this page (loopback, no server), the microphone's processing switched live, the speaker
// choice, and the call timer's locale formatting.
import { expect } from '@open-wc/testing';
import { QualityMonitor } from '../src/call/quality-monitor.js';
import { readSample } from '../src/call/stats-sample.js';
import type { QualityReport } from '../src/call/connection-quality.js';
import { applyProcessing, currentProcessing, supportedSwitches } from '../src/call/audio-processing.js';
import { canChooseOutput, listOutputs, OutputDevice } from '../src/call/output-device.js';
import { formatElapsed } from '../src/call/call-timer.js';
import { hostBrowser, skipBecause } from './helpers/participants.js';

/** Two connections in this page, `a` sending camera and microphone to `b`, connected. */
async function loopbackCall() {
  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = e => void b.addIceCandidate(e.candidate ?? undefined).catch(() => {});
  b.onicecandidate = e => void a.addIceCandidate(e.candidate ?? undefined).catch(() => {});
  for (const track of media.getTracks()) a.addTrack(track, media);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  await Promise.all(
    [a, b].map(
      pc =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pc.connectionState === 'connected') resolve();
            if (pc.connectionState === 'failed') reject(new Error('loopback connection failed'));
          };
          pc.addEventListener('connectionstatechange', check);
          check();
        }),
    ),
  );
  return {
    a,
    b,
    close() {
      a.close();
      b.close();
      for (const track of media.getTracks()) track.stop();
    },
  };
}

describe('connection quality from real getStats()', () => {
  it('reads real figures and shows "good" on loopback, for the remote and for our upload', async () => {
    const call = await loopbackCall();
    const reports = new Map<string | null, QualityReport>();
    let resolveGood!: () => void;
    const good = new Promise<void>(resolve => (resolveGood = resolve));
    // from a's side: b is the remote peer; a sends video, so a's upload is judged too
    const monitor = new QualityMonitor({
      connections: () => [['b', call.a]],
      intervalMs: 250,
      onChange: (peerId, report) => {
        reports.set(peerId, report);
        if (reports.get('b')?.level === 'good' && reports.get(null)?.level === 'good') resolveGood();
      },
    });
    try {
      monitor.start();
      await good;
      const { sample } = readSample(await call.a.getStats(), null);
      expect(sample.rttMs, 'round-trip time measured').to.be.a('number').below(100);
      expect(monitor.get('b')).to.deep.equal({ level: 'good', reasons: [] });
    } finally {
      monitor.stop();
      call.close();
    }
  });
});

describe('microphone processing switched during a call', () => {
  const ALL_ON = { noiseSuppression: true, echoCancellation: true, autoGainControl: true };
  const ALL_OFF = { noiseSuppression: false, echoCancellation: false, autoGainControl: false };

  it('turns noise suppression, echo cancellation and auto gain off and on on the sent microphone, as getSettings() reports', async function () {
    expect(supportedSwitches(), 'this browser knows all three').to.have.members(Object.keys(ALL_ON));
    const stream = await navigator.mediaDevices.getUserMedia({ audio: ALL_ON });
    const first = stream.getAudioTracks()[0]!;
    const pc = new RTCPeerConnection();
    try {
      const caps = first.getCapabilities() as Record<string, unknown>;
      if (!Object.keys(ALL_ON).every(name => Array.isArray(caps[name]) && [true, false].every(v => (caps[name] as unknown[]).includes(v))))
        skipBecause(this, `the fake microphone cannot switch its processing: capabilities ${JSON.stringify(caps)}`);
      expect(currentProcessing(first)).to.deep.equal(ALL_ON);
      const sender = pc.addTrack(first, stream);
      first.enabled = false; // muted
      const off = await applyProcessing(first, ALL_OFF, next => sender.replaceTrack(next));
      console.info(`${hostBrowser()}: switched off ${off.track === first ? 'on the live track' : 'by reopening the microphone'}`);
      expect(off.ignored, 'nothing ignored').to.deep.equal([]);
      expect(off.settings).to.deep.equal(ALL_OFF);
      expect(currentProcessing(off.track), 'what the track itself says').to.deep.equal(ALL_OFF);
      expect(sender.track, 'the connection sends the switched microphone').to.equal(off.track);
      expect(off.track.readyState).to.equal('live');
      expect(off.track.enabled, 'still muted').to.equal(false);
      expect(off.track.getSettings().deviceId, 'the same microphone').to.equal(first.getSettings().deviceId);
      expect(first.readyState, 'a replaced track is stopped').to.equal(off.track === first ? 'live' : 'ended');
      const one = await applyProcessing(off.track, { noiseSuppression: true }, next => sender.replaceTrack(next));
      expect(one.settings, 'one switch, the others as they were').to.deep.equal({ ...ALL_OFF, noiseSuppression: true });
      expect(sender.track).to.equal(one.track);
      one.track.stop();
    } finally {
      pc.close();
      for (const t of stream.getTracks()) t.stop();
    }
  });

  it('without a way to swap the track, reports what the track does, never what was asked', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const track = stream.getAudioTracks()[0]!;
    try {
      const before = currentProcessing(track);
      const opposite = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, !v]));
      const result = await applyProcessing(track, opposite);
      console.info(`${hostBrowser()}: applyConstraints on the live track: asked ${JSON.stringify(opposite)}, getSettings ${JSON.stringify(result.settings)}`);
      expect(result.track).to.equal(track);
      expect(result.settings).to.deep.equal(currentProcessing(track));
      expect(result.ignored.sort()).to.deep.equal(Object.keys(opposite).filter(k => result.settings[k as keyof typeof result.settings] !== opposite[k]).sort());
      expect(track.readyState).to.equal('live');
    } finally {
      for (const t of stream.getTracks()) t.stop();
    }
  });

  it('refuses an ended track instead of pretending', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const [track] = stream.getAudioTracks();
    track!.stop();
    let error: unknown = null;
    await applyProcessing(track!, { noiseSuppression: false }).catch(e => (error = e));
    expect(String(error)).to.contain('ended');
  });
});

describe('speaker choice', () => {
  afterEach(() => localStorage.removeItem('metered-call:speaker'));

  it('says whether the browser can choose outputs, lists them, applies and remembers the choice', async function () {
    // the output list is filled once the page may use the microphone
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    try {
      const outputs = await listOutputs();
      console.info(`${hostBrowser()}: setSinkId ${canChooseOutput() ? 'present' : 'absent'}; audio outputs: ${JSON.stringify(outputs.map(o => o.label || o.deviceId))}`);
      if (!canChooseOutput()) skipBecause(this, 'this browser cannot choose audio outputs (no HTMLMediaElement.setSinkId)');
      if (outputs.length === 0) skipBecause(this, 'this browser lists no audio output here (headless, no sound device)');
      const target = outputs[outputs.length - 1]!.deviceId;
      const chooser = new OutputDevice();
      expect(chooser.chosen).to.equal('');
      chooser.choose(target);
      const elements = [document.createElement('video'), document.createElement('audio')];
      expect(await chooser.apply(elements)).to.equal(target);
      for (const el of elements) expect((el as HTMLMediaElement & { sinkId: string }).sinkId).to.equal(target);
      expect(new OutputDevice().chosen, 'remembered for this site').to.equal(target);
    } finally {
      for (const t of stream.getTracks()) t.stop();
    }
  });

  it('falls back to the default output when the remembered one is gone, and keeps the choice', async function () {
    if (!canChooseOutput()) skipBecause(this, 'this browser cannot choose audio outputs (no HTMLMediaElement.setSinkId)');
    const chooser = new OutputDevice();
    chooser.choose('an-output-that-was-unplugged');
    const element = document.createElement('audio');
    expect(await chooser.apply([element])).to.equal('');
    expect((element as HTMLMediaElement & { sinkId: string }).sinkId).to.equal('');
    expect(new OutputDevice().chosen).to.equal('an-output-that-was-unplugged');
  });
});

describe('call timer', () => {
  it("formats elapsed time the locale's way", () => {
    console.info(`${hostBrowser()}: Intl.DurationFormat ${'DurationFormat' in Intl ? 'present' : 'absent'}`);
    expect(formatElapsed(3_723_000, 'en')).to.equal('1:02:03');
    expect(formatElapsed(65_000, 'en')).to.match(/^0?1:05$/);
    expect(formatElapsed(3_723_000, 'ar-EG')).to.contain('\u0663');
  });
});
