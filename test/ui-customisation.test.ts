// Customisation from the page: strings (the `strings` property; `lang` with English and
// French built in, inherited from the page, re-read when it changes), slots (extra
// controls, lobby content, the empty stage), light/dark themes that follow
// prefers-color-scheme unless the page sets one, custom properties and ::part rules —
// and no inline style attribute anywhere in the element (strict CSP).
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import { startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { hostBrowser } from './helpers/participants.js';
import { $, $$, makeCall, whenShadow } from './helpers/call-ui.js';
// French is an optional language file, registered as a site would (`import 'metered-call/i18n/fr'`)
import '../src/i18n/fr.js';

let server: LocalServer;
const elements: MeteredCall[] = [];
const text = (el: MeteredCall, selector: string) => $(el, selector)?.textContent?.trim();
const join = (el: MeteredCall) => text(el, '[part~="join-button"]');

describe('customisation', function () {
  this.timeout(40000);

  before(async () => {
    server = await startLocalServer({ turn: false });
  });
  after(async () => {
    await stopLocalServer(server);
    document.documentElement.lang = 'en';
  });
  afterEach(async () => {
    await Promise.all(elements.splice(0).map(el => el.leave()));
  });

  it('speaks the language of its lang attribute, else of the page, with fallbacks, and re-renders when either changes', async () => {
    const el = await makeCall(server, { room: 'salle' });
    elements.push(el);
    expect(join(el)).to.equal('Join call');
    el.setAttribute('lang', 'fr');
    await whenShadow(el, () => join(el) === 'Rejoindre l’appel', 'French');
    expect(text(el, '.title')).to.equal('Prêt à rejoindre ?');
    el.setAttribute('lang', 'fr-CA');
    await el.updateComplete;
    expect(join(el), 'fr-CA → fr').to.equal('Rejoindre l’appel');
    el.setAttribute('lang', 'de');
    await whenShadow(el, () => join(el) === 'Join call', 'unknown → English');
    el.removeAttribute('lang');
    document.documentElement.lang = 'fr';
    await whenShadow(el, () => join(el) === 'Rejoindre l’appel', 'the page’s lang');
    document.documentElement.lang = 'en';
    await whenShadow(el, () => join(el) === 'Join call', 'back to English');

    const wrapper = await fixture<HTMLDivElement>(html`<div lang="fr"><metered-call room="x"></metered-call></div>`);
    const inner = wrapper.querySelector('metered-call')!;
    await inner.updateComplete;
    expect(join(inner), 'an ancestor’s lang').to.equal('Rejoindre l’appel');
  });

  it('takes any string from the strings property, over the language’s, viewer error texts included', async () => {
    const el = await makeCall(server, { room: '', skipPrejoin: true, lang: 'fr' });
    elements.push(el);
    el.strings = { join: 'Enter the room', errors: { 'invalid-config': 'Nothing to join yet.' } };
    await el.updateComplete;
    expect(join(el)).to.equal('Enter the room');
    expect(text(el, '[part~="lobby"] p'), 'the others stay French').to.equal('Aucune salle n’est définie.');
    await el.join().catch(() => {});
    await el.updateComplete;
    expect(text(el, '[part~="lobby"] h2')).to.equal('Nothing to join yet.');
    expect(join(el)).to.equal('Réessayer');
    el.room = uniqueRoom('strings');
    el.strings = { leave: 'Hang up', participants: n => `${n} here`, youJoined: 'Welcome!' };
    await el.join();
    await el.updateComplete;
    expect($(el, '[part~="leave-button"]')!.getAttribute('aria-label')).to.equal('Hang up');
    expect($$(el, '[role="status"]').map(r => r.textContent).join('|')).to.contain('Welcome!');
  });

  it('places the page’s own controls, lobby content and empty-stage content in its slots', async () => {
    const el = await fixture<MeteredCall>(html`<metered-call room=${uniqueRoom('slots')}>
      <button slot="controls" id="raise">✋ Raise hand</button>
      <p slot="lobby" id="rules">Be kind.</p>
      <span slot="empty" id="alone">Share the link to invite someone</span>
    </metered-call>`);
    Object.assign(el, { serverUrl: server.wsUrl, apiKey: 'pk_live_local' });
    elements.push(el);
    await el.updateComplete;
    const assigned = (name: string) => $<HTMLSlotElement>(el, `slot[name="${name}"]`)?.assignedElements().map(e => e.id);
    expect(assigned('lobby'), 'in the pre-join screen').to.deep.equal(['rules']);
    await el.join();
    await el.updateComplete;
    expect(assigned('controls')).to.deep.equal(['raise']);
    expect($(el, '[part~="controls"] slot[name="controls"]'), 'inside the control bar').to.exist;
    expect(assigned('empty'), 'on the stage while alone').to.deep.equal(['alone']);
    expect(el.querySelector('#raise')!.getBoundingClientRect().width, 'shown').to.be.greaterThan(0);
  });

  it('follows prefers-color-scheme unless theme is set; custom properties and ::part rules restyle it; no inline styles', async function () {
    const el = await makeCall(server, { room: 'themes', skipPrejoin: true });
    elements.push(el);
    const frame = () => getComputedStyle($(el, '.frame')!).backgroundColor;
    const LIGHT = 'rgb(246, 247, 249)';
    const DARK = 'rgb(15, 18, 24)';
    if (hostBrowser() === 'chromium') {
      // emulateMedia's colorScheme is Chromium-only (CDP)
      await emulateMedia({ colorScheme: 'dark' });
      expect(frame(), 'dark system').to.equal(DARK);
      await emulateMedia({ colorScheme: 'light' });
      expect(frame(), 'light system').to.equal(LIGHT);
      el.theme = 'dark';
      await el.updateComplete;
      expect(frame(), 'theme=dark wins over a light system').to.equal(DARK);
      await emulateMedia({ colorScheme: 'dark' });
      el.theme = 'light';
      await el.updateComplete;
      expect(frame(), 'theme=light wins over a dark system').to.equal(LIGHT);
    } else {
      el.theme = 'light';
      await el.updateComplete;
      expect(frame()).to.equal(LIGHT);
      el.setAttribute('theme', 'dark');
      await el.updateComplete;
      expect(frame()).to.equal(DARK);
    }
    expect(el.hasAttribute('theme') && el.getAttribute('theme') !== el.theme, 'the property is not reflected').to.equal(false);

    el.style.setProperty('--metered-call-accent', 'rgb(10, 120, 60)');
    el.style.setProperty('--metered-call-tile-radius', '3px');
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('metered-call::part(join-button) { letter-spacing: 3px; } metered-call::part(tile local) { outline: 4px solid rgb(200, 0, 0); }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      await el.updateComplete;
      const joinButton = $(el, '[part~="join-button"]')!;
      await Promise.all(joinButton.getAnimations().map(a => a.finished)); // its colour transition
      expect(getComputedStyle(joinButton).backgroundColor, '--metered-call-accent').to.equal('rgb(10, 120, 60)');
      expect(getComputedStyle(joinButton).letterSpacing, '::part(join-button)').to.equal('3px');
      await el.join();
      await el.updateComplete;
      const tile = $(el, '[part~="local"]')!;
      expect(getComputedStyle(tile).borderTopLeftRadius, '--metered-call-tile-radius').to.equal('3px');
      expect(getComputedStyle(tile).outlineColor, '::part(tile local)').to.equal('rgb(200, 0, 0)');
      expect($$(el, '[style]'), 'no inline style attributes (strict CSP)').to.have.length(0);
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter(s => s !== sheet);
      if (hostBrowser() === 'chromium') await emulateMedia({ colorScheme: 'light' });
    }
  });
});
