// Accessibility: axe finds nothing in any state — pre-join, joining, joined with others
// (with the chat and device panels open, the call timer, the leave question), error, left —
// in the light and the dark theme;
// joins and departures are announced in a polite live region; focus moves where the
// visitor can go on when the element's state changes; motion stops under
// prefers-reduced-motion.
import { expect, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import { uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { endCalls, hostBrowser, skipBecause } from './helpers/participants.js';
import { $, $$, joinVisitor, makeCall, tileOf, whenShadow } from './helpers/call-ui.js';

const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];

async function call(attrs: Partial<MeteredCall>) {
  const el = await makeCall(server, { room: uniqueRoom('a11y'), name: 'Ana Lima', ...attrs });
  elements.push(el);
  return el;
}

const live = (el: MeteredCall) => $$(el, '[role="status"]:not([part])').map(r => r.textContent ?? '').join('|');

describe('accessibility', function () {
  this.timeout(60000);
  afterEach(() => endCalls(elements));

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in every state, ${theme} theme`, async () => {
      // pre-join, with the preview running and the pickers filled
      // with the call timer and the leave question (issue 15)
      const el = await call({ theme, chat: true, showTimer: true, confirmLeave: true });
      await whenShadow(el, () => $(el, '[part~="prejoin"] video') && $(el, '[part~="camera-select"]'), 'pre-join with preview');
      await expect(el).to.be.accessible();

      // joining, held there: a token that never comes
      const joining = await call({ theme, skipPrejoin: true, apiKey: '', tokenProvider: () => new Promise(() => {}) });
      void joining.join().catch(() => {});
      await whenShadow(joining, () => joining.state === 'joining' && $(joining, '[part~="local"] video'), 'joining with a self-view');
      await expect(joining).to.be.accessible();
      await joining.leave();

      // joined, with someone else (muted, camera off), then with each panel open
      const joined = oneEvent(el, 'joined');
      $<HTMLButtonElement>(el, '[part~="join-button"]')!.click();
      await joined;
      const { p: b, id: idB } = await joinVisitor(server, el.room, 'Bruno', {}, { browser: 'chromium' });
      await b.eval(`window.el.shadowRoot.querySelector('[part~="mic-button"]').click(); window.el.shadowRoot.querySelector('[part~="camera-button"]').click()`);
      await whenShadow(el, () => tileOf(el, idB)?.matches('[part~="audio-off"][part~="video-off"][data-connection="connected"]'), 'Bruno on the stage');
      await b.eval(`window.el.sendChat('hello')`);
      await whenShadow(el, () => $(el, '[part~="badge"]'), 'an unread message');
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, '[part~="chat-button"]')!.click();
      await whenShadow(el, () => $(el, '[part~="message"]'), 'chat open');
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, '[part~="devices-button"]')!.click();
      await whenShadow(el, () => $(el, '[part~="devices"] select'), 'devices open');
      await expect(el).to.be.accessible();
      // the device panel's speaker picker and processing switches, where this browser has them, and the timer
      console.info(`${hostBrowser()}: device panel with ${$$(el, '[part~="speaker-select"]').length} speaker picker, ${$$(el, '[part~="switch"]').length} switches`);
      expect($(el, '[part~="timer"]'), 'the call timer').to.exist;

      // the leave question
      $<HTMLButtonElement>(el, '[part~="leave-button"]')!.click();
      await whenShadow(el, () => $(el, '[part~="leave-confirm"]'), 'the leave question');
      await expect(el).to.be.accessible();

      // left
      await el.leave();
      await el.updateComplete;
      expect($(el, '[part~="lobby"]')).to.exist;
      await expect(el).to.be.accessible();

      // error
      const failing = await call({ theme, skipPrejoin: true, apiKey: 'pk_live_unknown' });
      await failing.join().catch(() => {});
      await failing.updateComplete;
      expect($(failing, '[part~="error"]')).to.exist;
      await expect(failing).to.be.accessible();
    });
  }

  it('announces joins and departures by name in a polite live region', async () => {
    const el = await call({ skipPrejoin: true });
    await el.join();
    await el.updateComplete;
    expect(live(el)).to.contain('You joined the call');
    const regions = $$(el, '[role="status"]:not([part])');
    expect(regions.length).to.be.greaterThan(0);
    const { p: b } = await joinVisitor(server, el.room, 'Bruno', {}, { browser: 'chromium' });
    await whenShadow(el, () => live(el).includes('Bruno joined'), 'Bruno joined, announced');
    const left = oneEvent(el, 'peer-left');
    await b.eval('window.el.leave()');
    await left;
    await whenShadow(el, () => live(el).includes('Bruno left'), 'Bruno left, announced');
  });

  it('moves focus where the visitor can go on: Join → Cancel → microphone; Leave → Rejoin', async () => {
    const el = await call({ skipPrejoin: true });
    $<HTMLButtonElement>(el, '[part~="join-button"]')!.focus();
    const joined = oneEvent(el, 'joined');
    $<HTMLButtonElement>(el, '[part~="join-button"]')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.getAttribute('part'), 'joining: Cancel').to.equal('button leave-button');
    await joined;
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.getAttribute('part'), 'the same button, now Leave, keeps it').to.equal('button leave-button');
    const left = oneEvent(el, 'left');
    $<HTMLButtonElement>(el, '[part~="leave-button"]')!.click();
    await left;
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button join-button');
  });

  it('respects prefers-reduced-motion', async function () {
    if (hostBrowser() === 'firefox') skipBecause(this, "emulateMedia's reducedMotion is Chromium-only (CDP)");
    const el = await call({ skipPrejoin: true });
    await el.join();
    await el.updateComplete;
    const button = $(el, '[part~="mic-button"]')!;
    expect(getComputedStyle(button).transitionDuration).to.not.equal('0s');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(button).transitionDuration).to.equal('0s');
      expect(getComputedStyle($(el, '[part~="local"]')!, '::after').transitionDuration).to.equal('0s');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});
