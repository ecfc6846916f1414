// What the other participants' tiles say: who is speaking (Web Audio levels; the speaker
// layout puts them in the main spot; nothing measured while the tab is hidden), each
// connection's state, and a "click to enable audio" button when the browser blocks sound.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import { instrumentPage } from './helpers/instrument.js';
import { uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { endCalls, hostBrowser, type Participant, skipBecause } from './helpers/participants.js';
import { until, watchFrames } from './helpers/resilience.js';
import { $, joinVisitor, makeCall, tileOf, whenShadow } from './helpers/call-ui.js';

const probe = instrumentPage();
const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];

const parts = (tile: Element | null) => (tile?.getAttribute('part') ?? '').split(' ');
const muteOn = (p: Participant) => p.eval(`window.el.shadowRoot.querySelector('[part~="mic-button"]').click()`);

async function call(attrs: Partial<MeteredCall> = {}) {
  const room = uniqueRoom('remote');
  const a = await makeCall(server, { room, name: 'Ana', skipPrejoin: true, ...attrs });
  elements.push(a);
  await a.join();
  return { a, room };
}

/** A key press in the element, as a visitor's (the element resumes a suspended AudioContext on one). */
async function gesture(a: MeteredCall) {
  await a.updateComplete;
  $<HTMLButtonElement>(a, '[part~="devices-button"]')!.focus();
  await sendKeys({ press: 'x' });
}

/**
 * Headless Firefox on these machines has no audio output, and its AudioContext never leaves
 * `suspended` (measured: `resume()` does not settle, even after a real key press), so no
 * level can be read there: the Web Audio tests run in Chromium.
 */
function needsRunningAudio(this: Mocha.Context) {
  if (hostBrowser() === 'firefox') skipBecause(this, 'headless Firefox has no audio output (its AudioContext never runs)');
}

describe('remote tiles: active speaker, connection state, autoplay', function () {
  this.timeout(60000);
  afterEach(() => endCalls(elements));

  it('highlights who speaks (part, attribute) and puts them in the speaker layout’s main spot; silence ends it', async function () {
    needsRunningAudio.call(this);
    const { a, room } = await call({ layout: 'speaker' });
    // B talks (the fake microphone's tone), C joins muted
    const { p: b, id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
    const { p: c, id: idC } = await joinVisitor(server, room, 'C', {}, { browser: 'chromium' });
    await muteOn(c);
    await gesture(a);
    await whenShadow(a, () => parts(tileOf(a, idB)).includes('speaking') && a.getAttribute('active-speaker') === idB, 'B speaking on A', 20000);
    await whenShadow(a, () => parts(tileOf(a, idB)).includes('main'), 'B in the main spot');
    expect(parts(tileOf(a, idC))).to.not.include('speaking');
    expect(tileOf(a, idB)!.hasAttribute('data-speaking')).to.equal(true);

    // B falls silent, C speaks: the spot follows
    await muteOn(b);
    await muteOn(c);
    await whenShadow(a, () => !parts(tileOf(a, idB)).includes('speaking'), 'B no longer speaking', 20000);
    await whenShadow(a, () => a.getAttribute('active-speaker') === idC && parts(tileOf(a, idC)).includes('main'), 'C speaking, in the main spot', 20000);
  });

  it('measures nothing while the tab is hidden, and resumes when it is visible again', async function () {
    needsRunningAudio.call(this);
    const { a, room } = await call();
    const { id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
    await gesture(a);
    await whenShadow(a, () => parts(tileOf(a, idB)).includes('speaking'), 'B speaking on A', 20000);
    // every level reading goes through AnalyserNode.getFloatTimeDomainData: count them
    const proto = AnalyserNode.prototype;
    const read = proto.getFloatTimeDomainData;
    let reads = 0;
    proto.getFloatTimeDomainData = function countedRead(this: AnalyserNode, array) {
      reads++;
      return read.call(this, array);
    };
    const clock = watchFrames(() => tileOf(a, idB)?.querySelector('video') ?? null); // B's frames keep time
    try {
      await until(() => reads > 0, 'levels being read');
      // the fake: what the browser says when the tab goes to the background
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
      const hiddenAt = reads;
      await clock.frames(30, 10000); // about a second of call
      expect(reads, 'no reads while hidden').to.equal(hiddenAt);
      delete (document as { visibilityState?: string }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => reads > hiddenAt, 'reads again once visible');
    } finally {
      delete (document as { visibilityState?: string }).visibilityState;
      proto.getFloatTimeDomainData = read;
      clock.stop();
    }
  });

  it('shows each connection’s state on its tile: connecting, connected, reconnecting, connected again', async () => {
    const { a, room } = await call();
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const tile = a.shadowRoot!.querySelector('[part~="remote"]');
      const state = tile?.getAttribute('data-connection');
      if (state && seen[seen.length - 1] !== state) seen.push(state);
    });
    observer.observe(a.shadowRoot!, { subtree: true, childList: true, attributes: true });
    const { id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
    await whenShadow(a, () => tileOf(a, idB)?.dataset.connection === 'connected', 'connected');
    expect(seen.slice(0, 2)).to.deep.equal(['connecting', 'connected']);
    expect($(a, `[data-peer-id="${idB}"] [part~="status"]`), 'no badge once connected').to.equal(null);

    // the connection drops: what the browser reports, faked on A's RTCPeerConnection
    const pc = probe.peerConnections.find(p => p.connectionState === 'connected')!;
    Object.defineProperty(pc, 'connectionState', { configurable: true, get: () => 'disconnected' });
    pc.dispatchEvent(new Event('connectionstatechange'));
    await whenShadow(a, () => parts(tileOf(a, idB)).includes('reconnecting'), 'reconnecting on the tile');
    expect($(a, `[data-peer-id="${idB}"] [part~="status"]`)!.textContent).to.equal('Reconnecting…');
    delete (pc as { connectionState?: string }).connectionState;
    pc.dispatchEvent(new Event('connectionstatechange'));
    await whenShadow(a, () => tileOf(a, idB)?.dataset.connection === 'connected' && !$(a, `[data-peer-id="${idB}"] [part~="status"]`), 'connected again');
    observer.disconnect();
    expect(seen).to.deep.equal(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('re-renders without reloading the videos (srcObject is set once per stream)', async () => {
    const { a, room } = await call();
    const { id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
    await whenShadow(a, () => tileOf(a, idB)?.querySelector('video')?.srcObject, 'B’s video');
    const videos = [tileOf(a, idB)!.querySelector('video')!, $<HTMLVideoElement>(a, '[part~="local"] video')!];
    // count assignments on these elements: each one would re-run the media load algorithm
    const sets = videos.map(() => 0);
    const setter = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
    videos.forEach((video, i) =>
      Object.defineProperty(video, 'srcObject', {
        configurable: true,
        get: () => setter.get!.call(video),
        set: (v: MediaProvider | null) => {
          sets[i]!++;
          setter.set!.call(video, v);
        },
      }),
    );
    for (let i = 0; i < 5; i++) {
      a.requestUpdate();
      await a.updateComplete;
    }
    videos.forEach(video => delete (video as { srcObject?: unknown }).srcObject);
    expect(sets, 'srcObject assignments over five renders (remote, local)').to.deep.equal([0, 0]);
  });

  it('when the browser blocks sound, offers a "click to enable audio" button that unmutes everyone', async () => {
    // the fake: an autoplay policy that refuses sound until the visitor clicks
    const proto = HTMLMediaElement.prototype;
    const play = proto.play;
    let clicked = false;
    proto.play = function fakeAutoplayPolicy(this: HTMLMediaElement) {
      if (!this.muted && !clicked) return Promise.reject(new DOMException('play() with sound needs a click (fake)', 'NotAllowedError'));
      return play.call(this);
    };
    try {
      const { a, room } = await call();
      const { id: idB } = await joinVisitor(server, room, 'B', {}, { browser: 'chromium' });
      await whenShadow(a, () => $(a, '[part~="unmute-button"]'), 'the enable-audio button');
      const video = tileOf(a, idB)!.querySelector('video')!;
      expect(video.muted, 'playing without sound meanwhile').to.equal(true);
      const frames = watchFrames(() => video);
      await frames.frames(3, 10000); // the picture plays
      frames.stop();
      clicked = true;
      $<HTMLButtonElement>(a, '[part~="unmute-button"]')!.click();
      await whenShadow(a, () => !$(a, '[part~="unmute-button"]'), 'the button gone');
      expect(video.muted, 'sound on').to.equal(false);
      expect(a.shadowRoot!.activeElement?.matches('[part~="mic-button"]'), 'focus kept in the controls').to.equal(true);
    } finally {
      proto.play = play;
    }
  });
});

