// demo/docs.html, the plain-HTML reference generated from custom-elements.json: it lists
// every attribute, event, part and custom property the manifest declares, and each row's
// control really drives the live example (built bundle, local server).
import { expect } from '@open-wc/testing';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, openParticipant, type Participant } from './helpers/participants.js';

const PAGE = '/demo/docs.html';

const rowsOf = (table: string) => `[...document.querySelectorAll('#${table} tbody tr')].map(r => r.dataset.name)`;
const set = (table: string, row: string, value: string) => `(() => {
  const input = document.querySelector('#${table} tr[data-name=${JSON.stringify(row)}] input');
  input.value = ${JSON.stringify(value)};
  input.dispatchEvent(new Event(input.type === 'text' && '${table}' === 'css-properties' ? 'input' : 'change'));
})()`;
// Buttons transition their colours: read the style once the element's transitions have run.
const shadowStyle = (selector: string, property: string) => `(async () => {
  const node = document.getElementById('live').shadowRoot.querySelector(${JSON.stringify(selector)});
  await Promise.all(node.getAnimations().map(animation => animation.finished));
  return getComputedStyle(node).${property};
})()`;

describe('demo/docs.html (generated from custom-elements.json)', function () {
  this.timeout(40000);
  let server: LocalServer;
  let page: Participant;
  let element: { attributes: { name: string }[]; events: { name: string }[]; cssParts: { name: string }[]; cssProperties: { name: string }[] };

  before(async () => {
    expect((await fetch('/dist/metered-call.js')).ok, 'dist/metered-call.js is missing: run npm run build').to.equal(true);
    const manifest = await (await fetch('/custom-elements.json')).json();
    element = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []).find((d: { tagName?: string }) => d.tagName === 'metered-call');
    server = await startLocalServer();
    page = await openParticipant(PAGE, { server: server.wsUrl, room: uniqueRoom('docs') });
    try {
      await page.eval(`new Promise((resolve, reject) => {
        const t0 = Date.now();
        const poll = () => window.docs?.ready ? resolve() : Date.now() - t0 > 10000 ? reject(new Error('docs page not ready')) : requestAnimationFrame(poll);
        poll();
      })`);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${(await page.logs()).join('\n')}`);
    }
  });
  after(async () => {
    await closeAllParticipants();
    await stopLocalServer(server);
  });

  it('has one row for every attribute, event, part and custom property in the manifest', async () => {
    expect(await page.eval(rowsOf('attributes'))).to.deep.equal(element.attributes.map(a => a.name));
    expect(await page.eval(rowsOf('events'))).to.deep.equal(element.events.map(e => e.name));
    expect(await page.eval(rowsOf('parts'))).to.deep.equal(element.cssParts.map(p => p.name));
    expect(await page.eval(rowsOf('css-properties'))).to.deep.equal(element.cssProperties.map(p => p.name));
    expect(await page.eval(rowsOf('members'))).to.include.members(['join', 'leave', 'tokenProvider', 'state']);
  });

  it('drives the live example: an attribute, a custom property, a part outline, a method and its events', async () => {
    await page.eval(set('attributes', 'name', 'Docs reader'));
    expect(await page.eval(`document.getElementById('live').name`)).to.equal('Docs reader');

    await page.eval(set('css-properties', '--metered-call-accent', 'rgb(1, 2, 3)'));
    expect(await page.eval(shadowStyle('[part~="join-button"]', 'backgroundColor'))).to.equal('rgb(1, 2, 3)');

    await page.eval(`(() => { const b = document.querySelector('#parts tr[data-name="join-button"] input'); b.checked = true; b.dispatchEvent(new Event('change')); })()`);
    expect(await page.eval(shadowStyle('[part~="join-button"]', 'outlineStyle'))).to.equal('solid');

    await page.eval(`document.querySelector('#members tr[data-name="join"] button').click()`);
    await page.eval(`new Promise((resolve, reject) => {
      const t0 = Date.now();
      const poll = () => /^1×/.test(document.querySelector('#events tr[data-name="joined"] .live').textContent) ? resolve()
        : Date.now() - t0 > 15000 ? reject(new Error('joined not shown')) : requestAnimationFrame(poll);
      poll();
    })`);
    expect(await page.eval(`document.querySelector('#attributes tr[data-name="state"] .live').textContent`)).to.equal('joined');
    expect(DEV_KEY).to.equal(await page.eval(`document.getElementById('live').apiKey`));
  });
});
