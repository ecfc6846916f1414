// Languages (issue 15): English built in and ten optional language files, each complete (every
// key of English, a viewer text for every error code); every language rendered in every state
// (pre-join, joining, joined with another participant, its panels and the leave question, left, error) at 320 px with
// no text overflowing its control, axe-clean; right-to-left Arabic mirrors the layout; a language registered
// after the element rendered re-renders it; and the built files, loaded the way a site loads them
// (dist/i18n/<lang>.js after dist/metered-call.js), are ASCII-only classic scripts.
import { expect } from '@open-wc/testing';
import type { MeteredCall } from '../src/index.js';
import { registerStrings } from '../src/index.js';
import { ERRORS } from '../src/errors.js';
import { en } from '../src/i18n/en.js';
import { stringsFor } from '../src/i18n/localize.js';
import { registry } from '../src/i18n/registry.js';
import '../src/i18n/fr.js';
import '../src/i18n/es.js';
import '../src/i18n/de.js';
import '../src/i18n/pt.js';
import '../src/i18n/it.js';
import '../src/i18n/nl.js';
import '../src/i18n/pl.js';
import '../src/i18n/ja.js';
import '../src/i18n/zh.js';
import '../src/i18n/ar.js';
import { freshBundle } from './helpers/bundle.js';
import { $, joinVisitor, makeCall, whenShadow } from './helpers/call-ui.js';
import { startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, openParticipant } from './helpers/participants.js';

const LANGUAGES = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl', 'pl', 'ja', 'zh', 'ar'];
const OPTIONAL = LANGUAGES.filter(l => l !== 'en');

/** Text a visitor reads in a control, heading or label (found by part, role of text). */
const TEXT_CONTROLS = [
  '[part~="button"]',
  '[part~="button"] > span',
  '[part~="summary"]',
  '[part~="status"]',
  '[part~="notice"]',
  '[part~="error"]',
  '[part~="empty"]',
  'h2',
  'label > span',
  '.room-line',
  '.empty-chat',
  '[part~="leave-confirm"] p',
  '[part~="timer"]',
].join(',');

/**
 * Every visible text control of `el` whose text is wider than its box (scrollWidth > clientWidth),
 * or that sticks out of the element (a button grown by an unbreakable word, clipped by the frame):
 * "part: text (why)".
 */
function overflowing(el: MeteredCall): string[] {
  const frame = el.getBoundingClientRect();
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(TEXT_CONTROLS)].flatMap(n => {
    const box = n.getBoundingClientRect();
    if (!n.getClientRects().length || !box.width) return [];
    const why =
      n.scrollWidth > n.clientWidth
        ? `${n.scrollWidth} > ${n.clientWidth} px`
        : box.left < frame.left - 0.5 || box.right > frame.right + 0.5
          ? `${Math.round(box.left - frame.left)}..${Math.round(box.right - frame.left)} px out of 0..${Math.round(frame.width)}`
          : '';
    return why ? [`${n.getAttribute('part') ?? n.tagName.toLowerCase()}: "${n.textContent?.trim()}" (${why})`] : [];
  });
}

/** What the element shows, as one string: the check that a language is really in use. */
const shown = (el: MeteredCall) => el.shadowRoot!.querySelector('.frame')!.textContent!.replace(/\s+/g, ' ');

let server: LocalServer;
const elements: MeteredCall[] = [];

async function sized(attrs: Partial<MeteredCall>, width: number, height: number): Promise<MeteredCall> {
  const el = await makeCall(server, attrs);
  el.style.display = 'block';
  el.style.width = `${width}px`;
  el.style.height = `${height}px`;
  elements.push(el);
  await el.updateComplete;
  return el;
}

/** Renders `el` in each language: its own words shown, axe-clean; collects what overflows. */
async function everyLanguage(el: MeteredCall, state: string, marker: (lang: string) => string): Promise<string[]> {
  const problems: string[] = [];
  for (const lang of LANGUAGES) {
    el.setAttribute('lang', lang);
    const word = marker(lang);
    await whenShadow(el, () => shown(el).includes(word), `${state} in ${lang} showing "${word}"`);
    problems.push(...overflowing(el).map(p => `${state} / ${lang}: ${p}`));
    await expect(el, `${state} in ${lang}`).to.be.accessible();
  }
  el.setAttribute('lang', 'en');
  await whenShadow(el, () => shown(el).includes(marker('en')), `${state} back in English`);
  return problems;
}

describe('languages', function () {
  this.timeout(120000);

  before(async () => {
    server = await startLocalServer({ turn: false });
  });
  after(async () => {
    await stopLocalServer(server);
  });
  afterEach(async () => {
    await Promise.all(elements.splice(0).map(el => el.leave()));
    for (const el of document.querySelectorAll('metered-call')) el.remove();
    await closeAllParticipants();
  });

  it('ships ten optional languages, each with every key of English and a text for every error code', () => {
    const keys = Object.keys(en).sort();
    const codes = Object.keys(ERRORS).sort();
    expect(Object.keys(en.errors).sort(), 'English').to.deep.equal(codes);
    for (const lang of OPTIONAL) {
      const strings = registry().languages.get(lang);
      expect(strings, `${lang} is registered by src/i18n/${lang}.ts`).to.be.an('object');
      expect(Object.keys(strings!).sort(), `${lang}: the keys of English`).to.deep.equal(keys);
      expect(Object.keys(strings!.errors ?? {}).sort(), `${lang}: a text for every error code`).to.deep.equal(codes);
      const s = stringsFor(lang, null);
      for (const key of keys) {
        const value = s[key as keyof typeof s];
        expect(typeof value, `${lang}.${key}: the type of English's`).to.equal(typeof en[key as keyof typeof en]);
        if (typeof value === 'string') expect(value.trim(), `${lang}.${key}`).not.to.equal('');
      }
      for (const code of codes) expect(s.errors[code as keyof typeof ERRORS]?.trim(), `${lang} errors.${code}`).to.be.a('string').and.not.equal('');
      // interpolations keep the data they are given
      expect(s.room('R-42'), `${lang}.room`).to.contain('R-42');
      expect(s.joining('R-42'), `${lang}.joining`).to.contain('R-42');
      expect(s.participants(23), `${lang}.participants`).to.contain('23');
      expect(s.you('Ana'), `${lang}.you`).to.contain('Ana');
      expect(s.you(''), `${lang}.you, unnamed`).not.to.equal('');
      for (const f of [s.screenOf, s.peerJoined, s.peerLeft, s.presenting, s.newMessage]) expect(f('Ana'), `${lang}: ${f}`).to.contain('Ana');
      expect(s.unread('Chat', '9+'), `${lang}.unread`).to.contain('9+');
      expect(s.device('camera', 2), `${lang}.device`).to.contain('2');
      expect(s.dir, `${lang}.dir`).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
    }
  });

  it('re-renders elements already on the page when a language is registered, a partial one over English', async () => {
    // the lobby without a preview: nothing else would render it again
    const el = await sized({ room: 'r', skipPrejoin: true }, 640, 480);
    el.setAttribute('lang', 'x-site');
    await Promise.resolve(); // the lang observer's callback (a microtask) asks for the update
    await el.updateComplete;
    expect($(el, '[part~="join-button"]')!.textContent!.trim()).to.equal('Join call');
    expect(el.isUpdatePending, 'settled').to.equal(false);
    registerStrings('x-site', { join: 'Entrez', dir: 'rtl' });
    expect(el.isUpdatePending, 'the registration asks the element for an update').to.equal(true);
    await el.updateComplete;
    expect($(el, '[part~="join-button"]')!.textContent!.trim()).to.equal('Entrez');
    expect($(el, '.frame')!.getAttribute('dir'), 'its direction').to.equal('rtl');
    expect($(el, '[part~="lobby"] p')!.textContent!.trim(), 'a key it lacks, in English').to.equal('Room r');
  });

  it('renders every language in every state at 320 px without text overflowing its control', async () => {
    const problems: string[] = [];
    const room = uniqueRoom('i18n');

    // pre-join: preview, toggles, name field, device pickers
    const prejoin = await sized({ room: 'team', name: 'Ana' }, 320, 640);
    await whenShadow(prejoin, () => $(prejoin, '[part~="camera-select"]') && !shown(prejoin).includes(en.cameraStarting), 'the preview and its pickers');
    problems.push(...(await everyLanguage(prejoin, 'pre-join', l => stringsFor(l, null).prejoinTitle)));

    // joining, held still: a token that never comes
    const joining = await sized({ room: 'team', skipPrejoin: true, tokenProvider: () => new Promise(() => {}) }, 320, 640);
    void joining.join().catch(() => {});
    await whenShadow(joining, () => joining.state === 'joining', 'joining');
    problems.push(...(await everyLanguage(joining, 'joining', l => stringsFor(l, null).joining('team'))));

    // error: nothing to join
    const failed = await sized({ room: '', skipPrejoin: true }, 320, 640);
    await failed.join().catch(() => {});
    await whenShadow(failed, () => failed.state === 'error', 'the error');
    problems.push(...(await everyLanguage(failed, 'error', l => stringsFor(l, null).errors['invalid-config']!)));

    // joined, with another participant (its own browser context): then chat open, then the device panel
    const joined = await sized({ room, name: 'Ana', skipPrejoin: true, chat: true, showTimer: true, confirmLeave: true }, 320, 640);
    await joined.join();
    await joinVisitor(server, room, 'Bruno');
    await whenShadow(joined, () => $(joined, '[part~="remote"]') && !$(joined, '[part~="remote"][part~="connecting"]'), 'Bruno connected');
    problems.push(...(await everyLanguage(joined, 'joined', l => stringsFor(l, null).participants(2))));
    $(joined, '[part~="chat-button"]')!.click();
    await whenShadow(joined, () => $(joined, '[part~="chat"]'), 'the chat panel');
    problems.push(...(await everyLanguage(joined, 'joined, chat', l => stringsFor(l, null).noMessages)));
    $(joined, '[part~="devices-button"]')!.click();
    await whenShadow(joined, () => $(joined, '[part~="devices"]'), 'the device panel');
    problems.push(...(await everyLanguage(joined, 'joined, devices', l => stringsFor(l, null).devices)));
    // our hand up (its mark on our tile) and the people panel, then the reaction picker
    $(joined, '[part~="hand-button"]')!.click();
    $(joined, '[part~="people-button"]')!.click();
    await whenShadow(joined, () => $(joined, '[part~="people"] [part~="hand"]'), 'the people panel, a hand up');
    problems.push(...(await everyLanguage(joined, 'joined, people', l => stringsFor(l, null).people)));
    $(joined, '[part~="reactions-button"]')!.click();
    await whenShadow(joined, () => $(joined, '[part~="reaction-picker"]'), 'the reaction picker');
    problems.push(...(await everyLanguage(joined, 'joined, reactions', l => stringsFor(l, null).participants(2))));
    // the leave question (confirm-leave), over the bar with its timer (show-timer)
    $(joined, '[part~="leave-button"]')!.click();
    await whenShadow(joined, () => $(joined, '[part~="leave-confirm"]'), 'the leave question');
    problems.push(...(await everyLanguage(joined, 'joined, leave question', l => stringsFor(l, null).leaveConfirm)));

    // left
    await joined.leave();
    await whenShadow(joined, () => joined.state === 'left', 'left');
    problems.push(...(await everyLanguage(joined, 'left', l => stringsFor(l, null).left)));

    expect(problems, 'text wider than its control').to.deep.equal([]);
  });

  it('mirrors the layout in Arabic (right to left) and keeps English left to right', async () => {
    const room = uniqueRoom('rtl');
    const el = await sized({ room, name: 'Ana', skipPrejoin: true, chat: true }, 768, 620);
    await el.join();
    await joinVisitor(server, room, 'Bruno');
    await whenShadow(el, () => $(el, '[part~="remote"]'), 'Bruno');
    $(el, '[part~="chat-button"]')!.click();
    await whenShadow(el, () => $(el, '[part~="chat"]'), 'the chat panel');
    const box = (selector: string) => $(el, selector)!.getBoundingClientRect();
    const layout = () => ({
      dir: $(el, '.frame')!.getAttribute('dir'),
      // the controls run from the inline start: microphone first, Leave last
      micBeforeLeave: box('[part~="mic-button"]').left < box('[part~="leave-button"]').left,
      // the summary (room, count) is on the start side of the buttons
      summaryBeforeButtons: box('[part~="summary"]').left < box('[part~="mic-button"]').left,
      // the chat panel follows the stage
      stageBeforeChat: box('[part~="stage"]').left < box('[part~="chat"]').left,
      // the send button follows the message field
      inputBeforeSend: box('[part~="message-input"]').left < box('[part~="send-button"]').left,
      sendIconMirrored: getComputedStyle($(el, '[part~="send-button"] svg')!).transform !== 'none',
      // names and messages take their own direction ("Bruno!" stays "Bruno!" in Arabic)
      namesIsolated: getComputedStyle($(el, '[part~="remote"] [part~="name"]')!).unicodeBidi === 'plaintext',
    });
    expect(layout(), 'English').to.deep.equal({
      dir: 'ltr',
      micBeforeLeave: true,
      summaryBeforeButtons: true,
      stageBeforeChat: true,
      inputBeforeSend: true,
      sendIconMirrored: false,
      namesIsolated: true,
    });
    el.setAttribute('lang', 'ar');
    await whenShadow(el, () => $(el, '.frame')!.getAttribute('dir') === 'rtl', 'Arabic');
    expect(layout(), 'Arabic: every order reversed').to.deep.equal({
      dir: 'rtl',
      micBeforeLeave: false,
      summaryBeforeButtons: false,
      stageBeforeChat: false,
      inputBeforeSend: false,
      sendIconMirrored: true,
      namesIsolated: true,
    });
    // English inside an Arabic page still reads left to right (the element's language decides)
    document.documentElement.dir = 'rtl';
    try {
      el.setAttribute('lang', 'en');
      await whenShadow(el, () => $(el, '.frame')!.getAttribute('dir') === 'ltr', 'English');
      expect(layout().micBeforeLeave, 'English in an RTL page').to.equal(true);
    } finally {
      document.documentElement.dir = '';
    }
  });

  it('loads as a site does: dist/i18n/<lang>.js after dist/metered-call.js, ASCII-only classic scripts, the same strings as the sources', async () => {
    await freshBundle();
    for (const lang of OPTIONAL) {
      const source = await (await fetch(`/dist/i18n/${lang}.js`, { cache: 'no-store' })).text();
      const nonAscii = [...source].filter(c => c.charCodeAt(0) > 0x7f);
      expect(nonAscii.slice(0, 5), `dist/i18n/${lang}.js is ASCII-only`).to.deep.equal([]);
      expect(source, `dist/i18n/${lang}.js is a classic script`).not.to.match(/^\s*(import|export)[\s{*]/m);
      // (a non-Latin script is escaped to \uXXXX, six bytes a character: Arabic is the largest)
      expect(source.length, `dist/i18n/${lang}.js is small`).to.be.lessThan(16000);
    }
    // npm: `import 'metered-call/i18n/<lang>'` resolves to the same file, typed, kept by bundlers
    const pkg = (await (await fetch('/package.json', { cache: 'no-store' })).json()) as { exports: Record<string, unknown>; sideEffects: string[] };
    for (const lang of OPTIONAL) {
      expect(pkg.exports[`./i18n/${lang}`], `exports ./i18n/${lang}`).to.deep.equal({ types: `./dist/i18n/${lang}.d.ts`, default: `./dist/i18n/${lang}.js` });
      expect(pkg.sideEffects, `dist/i18n/${lang}.js registers: a side effect`).to.include(`./dist/i18n/${lang}.js`);
      expect((await fetch(`/dist/i18n/${lang}.d.ts`, { cache: 'no-store' })).ok, `dist/i18n/${lang}.d.ts`).to.equal(true);
    }
    const page = await openParticipant('/test/fixtures/i18n-page.html');
    // every language's words, as the built files carry them (escaped), equal the sources'
    const seen = await page.eval<Record<string, string[]>>(`customElements.whenDefined('metered-call').then(async () => {
      const out = {};
      for (const lang of ${JSON.stringify(LANGUAGES)}) {
        window.el.setAttribute('lang', lang);
        await Promise.resolve(); // the lang observer's callback (a microtask) asks for the update
        await window.el.updateComplete;
        out[lang] = [window.el.shadowRoot.querySelector('[part~="join-button"]').textContent.trim()];
      }
      return out;
    })`);
    for (const lang of LANGUAGES) expect(seen[lang], lang).to.deep.equal([stringsFor(lang, null).join]);
    const logs = await page.logs();
    expect(logs.filter(l => /^(error|warn|pageerror)/.test(l)), 'no errors or warnings').to.deep.equal([]);
    // the error texts too: the built Arabic file, decoded
    const arabic = await page.eval<string>(`(async () => {
      window.el.setAttribute('lang', 'ar');
      window.el.setAttribute('room', '');
      await Promise.resolve();
      await window.el.join().catch(() => {});
      await window.el.updateComplete;
      return window.el.shadowRoot.querySelector('[part~="lobby"] h2').textContent.trim() + '|' + window.el.shadowRoot.querySelector('.frame').dir;
    })()`);
    expect(arabic).to.equal(`${stringsFor('ar', null).errors['invalid-config']}|rtl`);
  });

  it('a language file reaches the bundle loaded after it (module script), one loaded after the element rendered re-renders it, and it imports as an ES module', async () => {
    await freshBundle();
    const page = await openParticipant('/test/fixtures/i18n-late-page.html');
    const before = await page.eval<string[]>(`customElements.whenDefined('metered-call').then(async () => {
      await Promise.all([window.fr.updateComplete, window.ar.updateComplete]);
      const join = el => el.shadowRoot.querySelector('[part~="join-button"]').textContent.trim();
      return [join(window.fr), join(window.ar), window.ar.shadowRoot.querySelector('.frame').dir];
    })`);
    expect(before, 'French (loaded first) is used; Arabic, not loaded yet, falls back to English').to.deep.equal([
      stringsFor('fr', null).join,
      'Join call',
      'ltr',
    ]);
    const after = await page.eval<string[]>(`new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/dist/i18n/ar.js';
      script.onerror = reject;
      // no update is asked for: the registration must re-render the element by itself
      script.onload = () => requestAnimationFrame(() => window.ar.updateComplete.then(() =>
        resolve([window.ar.shadowRoot.querySelector('[part~="join-button"]').textContent.trim(), window.ar.shadowRoot.querySelector('.frame').dir])));
      document.head.append(script);
    })`);
    expect(after).to.deep.equal([stringsFor('ar', null).join, 'rtl']);
    // the same file imported as an ES module (what a bundler does with `import 'metered-call/i18n/de'`)
    const german = await page.eval<string>(`import('/dist/i18n/de.js').then(async () => {
      window.fr.setAttribute('lang', 'de');
      await Promise.resolve();
      await window.fr.updateComplete;
      return window.fr.shadowRoot.querySelector('[part~="join-button"]').textContent.trim();
    })`);
    expect(german).to.equal(stringsFor('de', null).join);
  });
});
