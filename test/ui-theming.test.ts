// demo/theming.html: three looks of one live element, made only with --metered-call-* custom
// properties and ::part() rules from the page. The page itself, in an iframe (it loads the
// built dist/metered-call.js, as `npm start` serves it), joined to a local server: switching
// the look changes the computed styles of the element's parts, and the page's look rules hold
// nothing else.
import { expect } from '@open-wc/testing';
import type { MeteredCall } from '../src/index.js';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { freshBundle } from './helpers/bundle.js';

const LOOKS = ['studio', 'paper', 'candy'] as const;

/** What a visitor sees change between looks, read from computed styles inside the element. */
interface Look {
  frameBackground: string;
  controlsBackground: string;
  tileRadius: string;
  tileBorder: string;
  nameBackground: string;
  nameTransform: string;
  leaveBackground: string;
  buttonRadius: string;
  controlSize: string;
  fontFamily: string;
}

function readLook(el: MeteredCall): Look {
  const root = el.shadowRoot!;
  const view = el.ownerDocument.defaultView!;
  const part = (p: string) => {
    const node = root.querySelector(`[part~="${p}"]`);
    if (!node) throw new Error(`no ${p} part`);
    return view.getComputedStyle(node);
  };
  const frame = view.getComputedStyle(root.querySelector('.frame')!);
  const controls = part('controls');
  const tile = part('tile');
  const mic = part('mic-button');
  return {
    frameBackground: `${frame.backgroundColor} ${frame.backgroundImage}`,
    controlsBackground: controls.backgroundColor,
    tileRadius: tile.borderTopLeftRadius,
    tileBorder: `${tile.borderTopWidth} ${tile.borderTopStyle} ${tile.outlineStyle}`,
    nameBackground: part('name').backgroundColor,
    nameTransform: `${part('name').textTransform} ${part('name').fontStyle}`,
    leaveBackground: part('leave-button').backgroundColor,
    buttonRadius: mic.borderTopLeftRadius,
    controlSize: mic.height,
    fontFamily: frame.fontFamily,
  };
}

describe('demo/theming.html', function () {
  this.timeout(60000);
  let server: LocalServer;
  let frame: HTMLIFrameElement | undefined;

  before(async function () {
    this.timeout(240000); // a build, when the bundle is older than the sources
    await freshBundle(); // the page loads dist/metered-call.js: built from the current sources
    server = await startLocalServer({ turn: false });
  });
  after(async () => {
    const el = frame?.contentDocument?.getElementById('call') as MeteredCall | null | undefined;
    await el?.leave();
    frame?.remove();
    if (server) await stopLocalServer(server);
  });

  it('switches one joined element between three looks that differ in every styled part', async () => {
    frame = document.createElement('iframe');
    frame.style.cssText = 'width: 1024px; height: 760px; border: 0';
    const loaded = new Promise(r => frame!.addEventListener('load', r, { once: true }));
    frame.src = `/demo/theming.html?look=paper#${uniqueRoom('theming')}`;
    document.body.append(frame);
    await loaded;
    const doc = frame.contentDocument!;
    const el = doc.getElementById('call') as MeteredCall;
    expect(el.shadowRoot, 'the bundle upgraded the element').to.not.equal(null);
    expect(el.dataset.look, '?look= picks the look').to.equal('paper');

    // the page's configuration points at :8080 (npm start); this test's server instead
    el.serverUrl = server.wsUrl;
    el.turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
    el.apiKey = DEV_KEY;
    el.setAttribute('name', 'Ana');
    await el.join();
    await el.updateComplete;

    const looks = {} as Record<(typeof LOOKS)[number], Look>;
    for (const look of LOOKS) {
      doc.querySelector<HTMLInputElement>(`input[name="look"][value="${look}"]`)!.click();
      // the buttons' colours ease in (a CSS transition): a style read starts it, then wait for it to end
      readLook(el);
      await Promise.all(el.shadowRoot!.getAnimations().map(a => a.finished));
      expect(el.dataset.look).to.equal(look);
      expect(doc.getElementById('call'), 'the same element').to.equal(el);
      expect(el.state, 'still in the call').to.equal('joined');
      looks[look] = readLook(el);
    }

    // every property read differs between any two looks
    for (const key of Object.keys(looks.studio) as (keyof Look)[]) {
      const values = LOOKS.map(l => looks[l][key]);
      expect(new Set(values).size, `${key}: ${values.join(' | ')}`).to.equal(3);
    }
    // and they are the page's values
    expect(looks.studio.tileRadius).to.equal('2px');
    expect(looks.paper.tileRadius).to.equal('0px');
    expect(looks.candy.tileRadius).to.equal('28px');
    expect(looks.studio.controlsBackground).to.equal('rgb(20, 20, 22)');
    expect(looks.paper.nameTransform).to.equal('none italic');
    expect(looks.studio.nameTransform).to.equal('uppercase normal');
    expect(looks.candy.frameBackground).to.contain('linear-gradient');
    expect(looks.candy.controlSize).to.equal('48px');

    // the CSS shown on the page is the CSS in force
    expect(doc.getElementById('css')!.textContent).to.contain('metered-call[data-look="candy"]');
  });

  it('makes its looks only with --metered-call-* properties and ::part() rules', async () => {
    const html = await (await fetch('/demo/theming.html')).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const sheets = [...doc.querySelectorAll('style[data-look]')];
    expect(sheets.map(s => (s as HTMLElement).dataset.look)).to.deep.equal([...LOOKS]);
    let rules = 0;
    for (const style of sheets) {
      const look = (style as HTMLElement).dataset.look;
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(style.textContent!);
      for (const rule of sheet.cssRules) {
        expect(rule, rule.cssText).to.be.instanceOf(CSSStyleRule);
        const r = rule as CSSStyleRule;
        for (const selector of r.selectorText.split(',').map(s => s.trim())) {
          expect(selector.startsWith(`metered-call[data-look="${look}"]`), selector).to.equal(true);
          if (selector.includes('::part(')) continue;
          // a rule on the element itself: custom properties only
          const names = [...r.style].filter(n => !n.startsWith('--metered-call-'));
          expect(names, `${selector} sets ${names.join(', ')}`).to.deep.equal([]);
        }
        rules++;
      }
    }
    expect(rules, 'the looks have rules').to.be.above(20);
  });
});
