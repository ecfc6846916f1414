// The element's optional call features (issue 15), in real calls between browser contexts:
// the speaker picker (setSinkId on every remote tile, later ones too, remembered per site),
// the microphone's processing switches (applied live to the sent track, showing what the
// browser applied), picture-in-picture of the other participant, fullscreen of the element,
// the call timer (`show-timer`) and the leave question (`confirm-leave`); and each control
// hidden where the browser does not offer what it needs.
//
// What the test browsers offer (logged by each test): headless Chromium lists three fake
// outputs and has setSinkId, PiP and fullscreen, and its fake microphone switches the three
// processings (tied together: one off turns all off); headless Firefox (153) has setSinkId but
// lists no output to a page (it exposes them through selectAudioOutput()), has the PiP API and
// fullscreen, and its fake microphone offers each processing only off. The hidden cases the
// browsers do not give are made by removing the API from this page for one element (named
// where it is done). PiP runs after fullscreen: Firefox's PiP window keeps the focus, and
// Firefox refuses fullscreen to a page without it.
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import { canChooseOutput, listOutputs } from '../src/call/output-device.js';
import { canPictureInPicture } from '../src/controllers/window-modes.js';
import { en } from '../src/i18n/en.js';
import { instrumentPage } from './helpers/instrument.js';
import { uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { endCalls, hostBrowser, skipBecause, type Participant } from './helpers/participants.js';
import { until } from './helpers/resilience.js';
import { $, $$, energyOnB, joinVisitor, makeCall, tileOf, whenShadow } from './helpers/call-ui.js';

const probe = instrumentPage();
const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];

type SinkVideo = HTMLVideoElement & { sinkId: string };

async function joined(attrs: Partial<MeteredCall> = {}, room = uniqueRoom('extras')): Promise<MeteredCall> {
  const el = await makeCall(server, { room, name: 'Ana Lima', skipPrejoin: true, ...attrs });
  elements.push(el);
  await el.join();
  return el;
}

/** A (this page) and B (another context, Chromium) in a call, A showing B's video. */
async function pair(attrs: Partial<MeteredCall> = {}): Promise<{ a: MeteredCall; b: Participant; idB: string }> {
  const a = await joined(attrs);
  const { p: b, id: idB } = await joinVisitor(server, a.room, 'Bruno', {}, { browser: 'chromium' });
  await whenShadow(a, () => tileOf(a, idB)?.matches('[data-connection="connected"]') && !tileOf(a, idB)!.querySelector('video')!.hidden, 'B’s video on A');
  return { a, b, idB };
}

const button = (el: MeteredCall, name: string) => $<HTMLButtonElement>(el, `[part~="${name}-button"]`);

/** A real click (the browser's own input, with user activation: PiP and fullscreen need it). */
async function realClick(target: HTMLElement): Promise<void> {
  target.scrollIntoView({ block: 'center' });
  const box = target.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/** The next fullscreenchange; a refusal (fullscreenerror) fails at once instead of waiting. */
const fullscreenChange = () =>
  new Promise<void>((resolve, reject) => {
    document.addEventListener('fullscreenchange', () => resolve(), { once: true });
    document.addEventListener('fullscreenerror', () => reject(new Error(`fullscreen refused (page focused: ${document.hasFocus()})`)), { once: true });
  });

async function openDevices(el: MeteredCall): Promise<void> {
  button(el, 'devices')!.click();
  await whenShadow(el, () => $(el, '[part~="devices"] [part~="microphone-select"]'), 'the device panel with its pickers');
}

/**
 * Runs `body` with `name` of `target` replaced by `value`, or removed for `undefined` (a browser
 * without that API, simulated in this page), then puts it back.
 */
async function without<T>(target: object, name: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(target, name);
  if (value === undefined) delete (target as Record<string, unknown>)[name];
  else Object.defineProperty(target, name, { value, configurable: true, writable: true });
  try {
    return await body();
  } finally {
    if (own) Object.defineProperty(target, name, own);
    else delete (target as Record<string, unknown>)[name];
  }
}

describe('call extras in the element', function () {
  this.timeout(60000);
  afterEach(async () => {
    localStorage.removeItem('metered-call:speaker');
    if (document.fullscreenElement) await document.exitFullscreen();
    await endCalls(elements);
  });

  it('speaker: a picker beside camera and microphone; every remote tile, also one arriving later, plays through the choice, remembered for the site', async function () {
    const { a, idB } = await pair();
    await openDevices(a);
    const outputs = await listOutputs();
    console.info(`${hostBrowser()}: setSinkId ${canChooseOutput() ? 'present' : 'absent'}, outputs listed: ${outputs.length}`);
    if (!canChooseOutput() || !outputs.length) {
      expect($(a, '[part~="speaker-select"]'), 'no picker with nothing to choose').to.equal(null);
      skipBecause(this, 'this browser lists no audio output to a page (or cannot choose one): the picker is hidden');
    }
    await whenShadow(a, () => $$(a, '[part~="speaker-select"] option').length === outputs.length, 'the speaker picker, one option per output');
    const picker = $<HTMLSelectElement>(a, '[part~="speaker-select"]')!;
    expect(picker.matches('[part~="device-select"]'), 'styled as the other pickers').to.equal(true);
    const target = outputs[outputs.length - 1]!.deviceId;
    picker.value = target;
    picker.dispatchEvent(new Event('change'));
    const videoOf = (el: MeteredCall, peerId: string) => tileOf(el, peerId)!.querySelector<SinkVideo>('video')!;
    await until(() => videoOf(a, idB).sinkId === target, 'B’s tile playing through the chosen output');
    expect(localStorage.getItem('metered-call:speaker'), 'remembered for this site').to.equal(target);

    // a participant who arrives later plays through it too
    const { id: idC } = await joinVisitor(server, a.room, 'Carla', {}, { browser: 'chromium' });
    await whenShadow(a, () => tileOf(a, idC)?.querySelector('video'), 'C’s tile on A');
    await until(() => videoOf(a, idC).sinkId === target, 'C’s tile, arrived later, playing through the chosen output');

    // another element of this site starts with the remembered choice
    const d = await joined({ name: 'Dora' });
    await openDevices(d);
    await whenShadow(d, () => $<HTMLSelectElement>(d, '[part~="speaker-select"]')?.value === target, 'the remembered output in a new element’s picker');
  });

  it('processing switches: one per processing the microphone can switch, applied live to the sent track, showing what the browser applied', async function () {
    const { a, b } = await pair();
    const pc = probe.peerConnections.find(p => p.connectionState === 'connected')!;
    const sdpBefore = pc.localDescription!.sdp;
    const sent = () => pc.getSenders().find(s => s.track?.kind === 'audio')!.track!;
    const caps = sent().getCapabilities() as Record<string, unknown>;
    const switchable = (['noiseSuppression', 'echoCancellation', 'autoGainControl'] as const).filter(
      n => navigator.mediaDevices.getSupportedConstraints()[n] && Array.isArray(caps[n]) && (caps[n] as unknown[]).includes(true) && (caps[n] as unknown[]).includes(false),
    );
    console.info(`${hostBrowser()}: microphone capabilities ${JSON.stringify(caps)}; switchable: ${switchable.join(', ') || 'none'}`);
    await openDevices(a);
    const parts = { noiseSuppression: 'noise-suppression', echoCancellation: 'echo-cancellation', autoGainControl: 'auto-gain' };
    expect($$(a, '[part~="switch"]').map(s => s.getAttribute('part')), 'a switch for each, no other').to.deep.equal(switchable.map(n => `switch ${parts[n]}-switch`));
    if (!switchable.length) skipBecause(this, 'this fake microphone can switch no processing: no switch is shown');
    const settings = sent().getSettings() as Record<string, unknown>;
    for (const name of switchable) {
      const input = $<HTMLInputElement>(a, `[part~="${parts[name]}-switch"]`)!;
      expect(input.checked, `${name} as the track says`).to.equal(settings[name]);
      expect(input.getAttribute('role')).to.equal('switch');
      expect(input.closest('label')!.textContent!.trim(), `${name} labelled`).to.equal(en[name]);
    }

    const noise = $<HTMLInputElement>(a, '[part~="noise-suppression-switch"]')!;
    const was = noise.checked;
    const oldTrack = sent();
    noise.click();
    await whenShadow(a, () => !noise.disabled && sent().getSettings().noiseSuppression === !was, 'noise suppression switched on the sent track');
    await a.updateComplete;
    // every switch shows what the sent track does now (a browser may tie them together: Chromium does)
    const now = sent().getSettings() as Record<string, unknown>;
    console.info(`${hostBrowser()}: noise suppression ${!was}: the microphone now ${JSON.stringify(Object.fromEntries(switchable.map(n => [n, now[n]])))}`);
    for (const name of switchable) expect($<HTMLInputElement>(a, `[part~="${parts[name]}-switch"]`)!.checked, `${name} as the track says`).to.equal(now[name]);
    expect(sent().readyState, 'a live microphone is sent').to.equal('live');
    if (sent() !== oldTrack) expect(oldTrack.readyState, 'a replaced microphone is released').to.equal('ended');
    expect(pc.localDescription!.sdp, 'no renegotiation').to.equal(sdpBefore);
    expect(a.state).to.equal('joined');
    // B still hears A
    const idA = a.peerId!;
    const energy = await b.eval<number>(energyOnB(idA));
    expect(energy, 'B hears A after the switch').to.be.greaterThan(0);
  });

  it('hides the speaker picker and the switches where the browser offers neither', async () => {
    // a browser without setSinkId and without these constraints, simulated for one element by removing both APIs here
    const el = await without(HTMLMediaElement.prototype, 'setSinkId', undefined, () =>
      without(navigator.mediaDevices, 'getSupportedConstraints', () => ({}), async () => {
        expect(canChooseOutput(), 'setSinkId removed').to.equal(false);
        return joined();
      }),
    );
    await openDevices(el);
    expect($(el, '[part~="camera-select"]'), 'the camera picker').to.exist;
    expect($(el, '[part~="speaker-select"]'), 'no speaker picker').to.equal(null);
    expect($$(el, '[part~="switch"]'), 'no switch').to.have.length(0);
  });

  it('fullscreen: the element fills the screen and the button says so; where fullscreen is not allowed, no button', async () => {
    const a = await joined();
    console.info(`${hostBrowser()}: fullscreenEnabled ${document.fullscreenEnabled}`);
    expect(button(a, 'fullscreen')!.getAttribute('aria-pressed')).to.equal('false');
    const entered = fullscreenChange();
    await realClick(button(a, 'fullscreen')!);
    await entered;
    expect(document.fullscreenElement, 'the element is fullscreen').to.equal(a);
    await whenShadow(a, () => button(a, 'fullscreen')!.getAttribute('aria-pressed') === 'true', 'the button pressed');
    const box = a.getBoundingClientRect();
    expect([box.width, box.height], 'the whole screen').to.deep.equal([window.innerWidth, window.innerHeight]);
    const exited = fullscreenChange();
    await realClick(button(a, 'fullscreen')!);
    await exited;
    expect(document.fullscreenElement).to.equal(null);
    await whenShadow(a, () => button(a, 'fullscreen')!.getAttribute('aria-pressed') === 'false', 'the button released');

    // a frame without allowfullscreen (document.fullscreenEnabled false), and PiP off, simulated here
    await without(document, 'fullscreenEnabled', false, () =>
      without(document, 'pictureInPictureEnabled', false, async () => {
        const b = await joined();
        expect(button(b, 'fullscreen'), 'no fullscreen button').to.equal(null);
        expect(button(b, 'pip'), 'no PiP button').to.equal(null);
        expect(button(b, 'devices'), 'the others stay').to.exist;
      }),
    );
  });

  it('picture-in-picture: unavailable while nobody else has video, then shows the other participant, and closes again', async function () {
    const supported = canPictureInPicture();
    console.info(`${hostBrowser()}: pictureInPictureEnabled ${String(document.pictureInPictureEnabled)}, requestPictureInPicture ${typeof HTMLVideoElement.prototype.requestPictureInPicture}`);
    const a = await joined();
    if (!supported) {
      expect(button(a, 'pip'), 'no PiP button').to.equal(null);
      skipBecause(this, 'this browser has no picture-in-picture API: the button is hidden');
    }
    expect(button(a, 'pip')!.getAttribute('aria-disabled'), 'alone: nothing to show').to.equal('true');
    expect(button(a, 'pip')!.title).to.equal(en.noVideo);
    const { id: idB } = await joinVisitor(server, a.room, 'Bruno', {}, { browser: 'chromium' });
    await whenShadow(a, () => tileOf(a, idB)?.querySelector('video:not([hidden])') && !button(a, 'pip')!.hasAttribute('aria-disabled'), 'B’s video, PiP available');
    await realClick(button(a, 'pip')!);
    const root = a.shadowRoot!;
    await whenShadow(a, () => button(a, 'pip')!.getAttribute('aria-pressed') === 'true', 'PiP on');
    expect(root.pictureInPictureElement, 'B’s video in the PiP window').to.equal(tileOf(a, idB)!.querySelector('video'));
    await realClick(button(a, 'pip')!);
    await whenShadow(a, () => button(a, 'pip')!.getAttribute('aria-pressed') === 'false', 'PiP off');
    expect(root.pictureInPictureElement).to.equal(null);
  });

  it('show-timer: the elapsed call time over the stage, ticking each second, only in the call', async () => {
    const el = await makeCall(server, { room: uniqueRoom('timer'), name: 'Ana', skipPrejoin: true, showTimer: true });
    elements.push(el);
    expect($(el, '[part~="timer"]'), 'before joining').to.equal(null);
    await el.join();
    await el.updateComplete;
    const timer = () => $<HTMLTimeElement>(el, '[part~="stage"] [part~="timer"]');
    expect(timer()!.textContent, 'just joined').to.match(/^0?0:00$/);
    expect(timer()!.title).to.equal(en.callTime);
    await whenShadow(el, () => timer()!.dateTime !== 'PT0S', 'a second of call');
    expect(timer()!.textContent).to.match(/^0?0:0[1-9]$/);
    // without the attribute, no timer; set again, it shows the time since joining, not since then
    el.showTimer = false;
    await el.updateComplete;
    expect(timer(), 'attribute removed').to.equal(null);
    el.showTimer = true;
    await el.updateComplete;
    expect(parseInt(timer()!.dateTime.slice(2), 10), 'counted from the join').to.be.at.least(1);
    await el.leave();
    await el.updateComplete;
    expect(timer(), 'after leaving').to.equal(null);
  });

  it('confirm-leave: Leave asks first; Escape and Cancel stay in the call with focus back on Leave; Leave in the question leaves', async () => {
    const { a, b } = await pair({ confirmLeave: true });
    const leave = button(a, 'leave')!;
    const question = () => $(a, '[part~="leave-confirm"]');
    await openDevices(a); // an open panel stays open when Escape closes the question
    leave.click();
    await whenShadow(a, () => question(), 'the question');
    expect(question()!.getAttribute('role')).to.equal('alertdialog');
    expect(question()!.textContent).to.contain(en.leaveConfirm);
    expect(a.shadowRoot!.activeElement?.getAttribute('part'), 'focus on Cancel').to.equal('button cancel-button');
    expect(a.state, 'still in the call').to.equal('joined');

    await sendKeys({ press: 'Escape' });
    await whenShadow(a, () => !question(), 'Escape closes the question');
    await a.updateComplete;
    expect(a.shadowRoot!.activeElement, 'focus back on Leave').to.equal(leave);
    expect($(a, '[part~="devices"]'), 'only the question: the device panel stays').to.exist;
    expect(a.state).to.equal('joined');

    leave.click();
    await whenShadow(a, () => question(), 'the question again');
    button(a, 'cancel')!.click();
    await whenShadow(a, () => !question(), 'Cancel closes it');
    await a.updateComplete;
    expect(a.shadowRoot!.activeElement).to.equal(leave);
    expect(a.state).to.equal('joined');

    const idA = a.peerId!;
    leave.click();
    await whenShadow(a, () => question(), 'the question a third time');
    const left = oneEvent(a, 'left');
    button(a, 'confirm')!.click();
    await left;
    await b.eval(`window.__whenShadow(window.el, () => !window.el.shadowRoot.querySelector('[data-peer-id="${idA}"]'), 'A gone on B', 15000)`);
  });

  it('confirm-leave does not ask while joining: Cancel cancels at once', async () => {
    const el = await makeCall(server, { room: uniqueRoom('extras'), skipPrejoin: true, confirmLeave: true, apiKey: '', tokenProvider: () => new Promise(() => {}) });
    elements.push(el);
    void el.join().catch(() => {});
    await whenShadow(el, () => el.state === 'joining' && button(el, 'leave'), 'joining');
    button(el, 'leave')!.click();
    await whenShadow(el, () => el.state === 'left', 'cancelled');
    expect($(el, '[part~="leave-confirm"]')).to.equal(null);
  });
});
