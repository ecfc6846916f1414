// Platform conventions, checked against custom-elements.json so a new attribute or event
// is held to them automatically — the checks custom-elements-everywhere runs for
// frameworks, seen from plain DOM: attributes kebab-case ↔ camelCase properties, booleans by
// presence, configuration not reflected, lowercase event names with object details, no
// invented `*change` events, events that cross shadow roots, an element that works inside
// another component's shadow root and survives being removed and re-added.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { MeteredCall } from '../src/index.js';
import '../src/define.js';

interface Manifest {
  modules: { declarations?: { tagName?: string; attributes: { name: string; fieldName?: string; type?: { text: string }; description?: string }[]; events: { name: string }[] }[] }[];
}
let element: Manifest['modules'][number]['declarations'] extends (infer D)[] | undefined ? D : never;

const kebab = (camel: string) => camel.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
const writable = () => element.attributes.filter(a => !/^\(read-only\)/.test(a.description ?? ''));

describe('<metered-call> platform conventions (from custom-elements.json)', () => {
  before(async () => {
    const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
    element = manifest.modules.flatMap(m => m.declarations ?? []).find(d => d.tagName === 'metered-call')!;
    expect(element, 'custom-elements.json describes <metered-call>').to.exist;
  });

  it('names every attribute in kebab-case after its camelCase property', () => {
    for (const a of writable()) {
      expect(a.fieldName, `${a.name} has a property`).to.be.a('string');
      expect(a.name, a.fieldName).to.equal(kebab(a.fieldName!));
    }
  });

  it('maps each attribute to its property, does not reflect properties back, and reads booleans by presence', async () => {
    const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
    for (const a of writable()) {
      const field = a.fieldName as keyof MeteredCall;
      if (a.type?.text === 'boolean') {
        el.setAttribute(a.name, '');
        expect(el[field], `${a.name}=""`).to.equal(true);
        el.setAttribute(a.name, 'false'); // HTML booleans: presence is true, whatever the value
        expect(el[field], `${a.name}="false"`).to.equal(true);
        el.removeAttribute(a.name);
        expect(el[field], `no ${a.name}`).to.equal(false);
      } else if (a.type?.text === 'number') {
        el.setAttribute(a.name, '4');
        expect(el[field], `${a.name}="4"`).to.equal(4);
        el.removeAttribute(a.name);
      } else {
        el.setAttribute(a.name, `v-${a.name}`);
        expect(el[field], a.name).to.equal(`v-${a.name}`);
        el.removeAttribute(a.name);
      }
      (el as unknown as Record<string, unknown>)[a.fieldName!] =
        a.type?.text === 'boolean' ? true : a.type?.text === 'number' ? 3 : 'from-property';
      await el.updateComplete;
      expect(el.hasAttribute(a.name), `${a.fieldName} is not reflected to ${a.name}`).to.equal(false);
      (el as unknown as Record<string, unknown>)[a.fieldName!] = a.type?.text === 'boolean' ? false : '';
    }
  });

  it('fires lowercase events with no invented change events', () => {
    // quality-change is the one change event: connection quality has no attribute to watch
    // (issue 15 names it), unlike the call state, which the `state` attribute covers
    const names = element.events.map(e => e.name);
    expect(names).to.include('quality-change');
    for (const name of names) {
      expect(name, 'lowercase, kebab-case').to.match(/^[a-z]+(-[a-z]+)*$/);
      expect(name === 'quality-change' ? '' : name, 'no *change events: the state attribute and the platform cover changes').to.not.match(/change/);
    }
  });

  it('works inside another component’s shadow root; its error reaches that host (composed) but not the document (no bubbling)', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    const el = document.createElement('metered-call') as MeteredCall;
    root.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="lobby"]'), 'rendered inside a shadow root').to.exist;
    const heard: string[] = [];
    const onHost = (e: Event) => heard.push(`host:${(e as CustomEvent).detail.code}`);
    const onDocument = () => heard.push('document');
    host.addEventListener('error', onHost);
    document.addEventListener('error', onDocument);
    const failed = oneEvent(el, 'error');
    await el.join().catch(() => {}); // no room, no key: a real invalid-config error
    await failed;
    host.removeEventListener('error', onHost);
    document.removeEventListener('error', onDocument);
    expect(heard).to.deep.equal(['host:invalid-config']);
  });

  it('can be removed and added again, and created by document.createElement before configuration', async () => {
    const el = document.createElement('metered-call') as MeteredCall;
    el.room = 'r1';
    el.autojoin = false;
    document.body.append(el);
    await el.updateComplete;
    el.remove();
    document.body.append(el);
    await el.updateComplete;
    expect([el.room, el.state, el.getAttribute('state')]).to.deep.equal(['r1', 'idle', 'idle']);
    el.remove();
  });
});
