// The pre-join screen: camera preview, name (from `name`, else remembered per site),
// camera and microphone pickers, toggles that carry into the call, Join that reuses the
// preview's stream; `skip-prejoin` and `autojoin` go without it.
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import { instrumentPage } from './helpers/instrument.js';
import { uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { until, watchFrames } from './helpers/resilience.js';
import { $, $$, makeCall, whenShadow } from './helpers/call-ui.js';

const probe = instrumentPage();
const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];
const NAME_KEY = 'metered-call:name';

async function prejoin(attrs: Partial<MeteredCall> = {}): Promise<MeteredCall> {
  const el = await makeCall(server, { room: uniqueRoom('prejoin'), ...attrs });
  elements.push(el);
  return el;
}

const previewVideo = (el: MeteredCall) => $<HTMLVideoElement>(el, '[part~="prejoin"] [part~="video"]');

describe('pre-join screen', function () {
  this.timeout(40000);
  beforeEach(() => localStorage.removeItem(NAME_KEY));
  afterEach(async () => {
    await Promise.all(elements.splice(0).map(el => el.leave()));
    localStorage.removeItem(NAME_KEY);
  });

  it('previews the camera with pickers and the name from `name`; Join reuses the preview’s stream and remembers the typed name', async () => {
    const el = await prejoin({ name: 'Site Name' });
    expect(el.state).to.equal('idle');
    expect($(el, '[part~="prejoin"]'), 'the pre-join screen').to.exist;
    await whenShadow(el, () => previewVideo(el)?.srcObject, 'a preview');
    const frames = watchFrames(() => previewVideo(el));
    await frames.frames(3, 10000);
    frames.stop();
    await whenShadow(el, () => $$(el, '[part~="camera-select"] option').length > 0 && $$(el, '[part~="microphone-select"] option').length > 0, 'pickers');
    const input = $<HTMLInputElement>(el, '[part~="name-input"]')!;
    expect(input.value, 'pre-filled from name').to.equal('Site Name');

    const preview = previewVideo(el)!.srcObject as MediaStream;
    const tracksBefore = probe.tracks.length;
    input.value = '  Zoë  Martin ';
    const joined = oneEvent(el, 'joined');
    $<HTMLButtonElement>(el, '[part~="join-button"]')!.click();
    await joined;
    expect(probe.tracks.length, 'no second getUserMedia').to.equal(tracksBefore);
    await el.updateComplete;
    expect($<HTMLVideoElement>(el, '[part~="local"] video')!.srcObject, 'the call sends the preview').to.equal(preview);
    expect(el.name).to.equal('Zoë Martin');
    expect(localStorage.getItem(NAME_KEY), 'remembered for this site').to.equal('Zoë Martin');
    expect($(el, '[part~="local"] [part~="name"]')!.textContent).to.equal('Zoë Martin (you)');

    // next visit, no `name` attribute: the remembered one
    const again = await prejoin();
    expect($<HTMLInputElement>(again, '[part~="name-input"]')!.value).to.equal('Zoë Martin');
  });

  it('microphone and camera toggled off before joining stay off in the call', async () => {
    const el = await prejoin({ name: 'Quiet' });
    await whenShadow(el, () => previewVideo(el)?.srcObject, 'a preview');
    $<HTMLButtonElement>(el, '[part~="prejoin"] [part~="mic-button"]')!.click();
    $<HTMLButtonElement>(el, '[part~="prejoin"] [part~="camera-button"]')!.click();
    await whenShadow(el, () => $(el, '[part~="prejoin"] [part~="avatar"]'), 'initials instead of the preview');
    const stream = el.shadowRoot!.querySelector('[part~="prejoin"] [part~="mic-button"]')!.getAttribute('aria-pressed');
    expect(stream).to.equal('false');
    const joined = oneEvent(el, 'joined');
    $<HTMLButtonElement>(el, '[part~="join-button"]')!.click();
    await joined;
    await el.updateComplete;
    expect(el.hasAttribute('muted') && el.hasAttribute('camera-off')).to.equal(true);
    const sent = probe.tracks.filter(t => t.readyState === 'live');
    expect(sent.length).to.be.greaterThan(0);
    expect(sent.every(t => !t.enabled), 'every live track disabled').to.equal(true);
  });

  it('choosing a microphone switches the preview to it and is remembered for the call', async () => {
    const el = await prejoin();
    await whenShadow(el, () => $$(el, '[part~="microphone-select"] option').length > 0, 'pickers');
    const select = $<HTMLSelectElement>(el, '[part~="microphone-select"]')!;
    const preview = previewVideo(el)!.srcObject as MediaStream;
    const old = preview.getAudioTracks()[0]!;
    const choice = [...select.options].find(o => o.value !== select.value) ?? select.options[0]!;
    select.value = choice.value;
    select.dispatchEvent(new Event('change'));
    // a track swapped inside the same stream changes no DOM and fires no event here: polled
    await until(() => preview.getAudioTracks()[0] !== old, 'the new microphone in the preview');
    expect(preview.getAudioTracks()[0]!.getSettings().deviceId).to.equal(choice.value);
    expect(old.readyState).to.equal('ended');
    expect(JSON.parse(localStorage.getItem('metered-call:devices') ?? '{}').microphone).to.equal(choice.value);
  });

  it('Enter in the name field joins; with skip-prejoin the Join button joins without a preview; with autojoin there is no pre-join', async () => {
    const el = await prejoin({ name: 'Keyboard' });
    $<HTMLInputElement>(el, '[part~="name-input"]')!.focus();
    const joined = oneEvent(el, 'joined');
    await sendKeys({ press: 'Enter' });
    await joined;

    const tracks = probe.tracks.length;
    const skip = await prejoin({ skipPrejoin: true });
    expect($(skip, '[part~="prejoin"]')).to.equal(null);
    expect($(skip, '[part~="lobby"] video'), 'no preview').to.equal(null);
    expect(probe.tracks.length, 'no camera before joining').to.equal(tracks);
    const skipJoined = oneEvent(skip, 'joined');
    $<HTMLButtonElement>(skip, '[part~="join-button"]')!.click();
    await skipJoined;

    const auto = await makeCall(server, { autojoin: true });
    elements.push(auto);
    expect($(auto, '[part~="prejoin"]'), 'autojoin: no pre-join').to.equal(null);
    const autoJoined = oneEvent(auto, 'joined');
    auto.room = uniqueRoom('auto');
    await autoJoined;
  });
});
