// Which strings an element speaks: its own `lang`, else the nearest ancestor's, else
// `<html lang>`; `fr-CA` falls back to `fr`, then to English. English is built in; every
// other language is an optional file (src/i18n/<lang>.ts, dist/i18n/<lang>.js) that calls
// `registerStrings()`, as a site can. The `strings` property overrides single keys per element.
import { en } from './en.js';
import { registerStrings, registry } from './registry.js';
import type { StringOverrides, Strings } from './strings.js';

export { registerStrings };

/** The language an element speaks: its own `lang` or the closest ancestor's. */
export function langOf(el: Element): string {
  return (el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? '').trim().toLowerCase();
}

/** Registered strings for `lang` (`pt-br`, else `pt`, else English), with `overrides` on top. */
export function stringsFor(lang: string, overrides: StringOverrides | null | undefined): Strings {
  const { languages } = registry();
  let found: StringOverrides | undefined;
  for (let tag = lang; tag && !found; tag = tag.slice(0, Math.max(0, tag.lastIndexOf('-')))) found = languages.get(tag);
  const base = withEnglish(found ?? languages.get('en'));
  return overrides ? merge(base, overrides) : base;
}

// a registered language merged over English once (a key it lacks reads in English, never `undefined`)
const complete = new WeakMap<StringOverrides, Strings>();
function withEnglish(strings: StringOverrides | undefined): Strings {
  if (!strings) return en;
  let merged = complete.get(strings);
  if (!merged) complete.set(strings, (merged = merge(en, strings)));
  return merged;
}

const merge = (base: Strings, over: StringOverrides): Strings => ({ ...base, ...over, errors: { ...base.errors, ...over.errors } }) as Strings;

// <html lang> changes and newly registered languages re-render every connected element
// (one observer and one registry listener for the page)
const listeners = new Set<() => void>();
let observer: MutationObserver | null = null;
// at module level, not inside watchLang: a callback made there would close over the first
// caller's scope and keep that element alive for as long as the page lives
const notifyAll = () => listeners.forEach(l => l());

/**
 * Calls `listener` when `el`'s own `lang` or `<html lang>` changes, or a language is
 * registered (a language file loaded after the element rendered); returns the unsubscribe.
 */
export function watchLang(el: Element, listener: () => void): () => void {
  if (typeof MutationObserver === 'undefined') return () => {};
  if (!observer) {
    registry().listeners.add(notifyAll);
    observer = new MutationObserver(notifyAll);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }
  listeners.add(listener);
  const own = new MutationObserver(listener);
  own.observe(el, { attributes: true, attributeFilter: ['lang'] });
  return () => {
    listeners.delete(listener);
    own.disconnect();
  };
}
