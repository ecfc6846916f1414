// Helpers of the call-experience tests (test/ui-*.test.ts, test/chat.test.ts, test/a11y.test.ts).
// Waits are driven by DOM mutations, events and presented frames — never by fixed sleeps.
import { fixture, html } from '@open-wc/testing';
import type { MeteredCall } from '../../src/index.js';
import '../../src/define.js';
import { DEV_KEY, type LocalServer } from './local-server.js';
import { openParticipant, type OpenOptions, type Participant } from './participants.js';

export const PARTICIPANT = '/test/fixtures/resilience-participant.html';

/** The first element in `el`'s shadow root matching `selector`. */
export const $ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<T>(selector);
export const $$ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string) => [...el.shadowRoot!.querySelectorAll<T>(selector)];

/**
 * Resolves once `check()` holds, re-checked on every change in `el`'s shadow tree and
 * attributes (a MutationObserver, not a timer); rejects after `timeoutMs` naming `what`.
 */
export function whenShadow(el: HTMLElement, check: () => unknown, what: string, timeoutMs = 15000): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = () => {
      try {
        return !!check();
      } catch {
        return false;
      }
    };
    if (ok()) return resolve();
    const observer = new MutationObserver(() => {
      if (!ok()) return;
      observer.disconnect();
      deadline.removeEventListener('abort', onTimeout);
      resolve();
    });
    const deadline = AbortSignal.timeout(timeoutMs);
    const onTimeout = () => {
      observer.disconnect();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    };
    deadline.addEventListener('abort', onTimeout, { once: true });
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
    observer.observe(el, { attributes: true });
  });
}

/** The same, as page source for participants: `window.__whenShadow(el, () => …, what)`. */
export const WHEN_SHADOW_SOURCE = `window.__whenShadow ??= (${whenShadow.toString()});`;

/** The tile of `peerId` (camera, or `screen`) in `el`. */
export const tileOf = (el: HTMLElement, peerId: string, screen = false) =>
  $$(el, `[part~="tile"][data-peer-id="${peerId}"]`).find(t => t.hasAttribute('data-screen') === screen) ?? null;

/** A `<metered-call>` in this page, configured for the local server (not joined). */
export async function makeCall(server: LocalServer, attrs: Partial<MeteredCall> = {}): Promise<MeteredCall> {
  const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
  Object.assign(el, {
    serverUrl: server.wsUrl,
    turnUrl: `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`,
    apiKey: DEV_KEY,
    ...attrs,
  });
  await el.updateComplete;
  return el;
}

/** Another visitor (its own browser context) with `<metered-call>` in `room`, joined; resolves with its peer id too. */
export async function joinVisitor(
  server: LocalServer,
  room: string,
  name: string,
  attrs: Record<string, string> = {},
  options: OpenOptions = {},
): Promise<{ p: Participant; id: string }> {
  const p = await openParticipant(PARTICIPANT, {
    attrs: JSON.stringify({
      'server-url': server.wsUrl,
      'turn-url': `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`,
      'api-key': DEV_KEY,
      room,
      name,
      'skip-prejoin': '',
      ...attrs,
    }),
  }, options);
  const id = await p.eval<string>('window.__r.join()');
  await p.eval(WHEN_SHADOW_SOURCE);
  return { p, id };
}

/** Page source: resolves once the participant's tile for `peerId` satisfies `test` (a string of JS over `t`, the tile). */
export const remoteTileWhere = (peerId: string, test: string, what: string, screen = false) =>
  `window.__whenShadow(window.el, () => { const t = [...window.el.shadowRoot.querySelectorAll('[part~="tile"][data-peer-id="${peerId}"]')].find(t => t.hasAttribute('data-screen') === ${screen}); return t && (${test}); }, ${JSON.stringify(what)}, 15000)`;

/** In B's page: sound energy received from A while B's picture of A presents 20 frames. */
export const energyOnB = (idA: string) => `(async () => {
  const pc = window.__r.livePcs()[0];
  const energy = async () => { let e = 0; (await pc.getStats()).forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'audio') e += s.totalAudioEnergy || 0; }); return e; };
  const w = window.__r.watchFrames(() => window.el.shadowRoot.querySelector('[part~="tile"][data-peer-id="${idA}"]:not([data-screen]) video'));
  const before = await energy();
  await w.frames(20, 15000);
  w.stop();
  return (await energy()) - before;
})()`;
