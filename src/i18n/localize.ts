// Which strings an element speaks: its own `lang`, else the nearest ancestor's, else
// `<html lang>`; `fr-CA` falls back to `fr`, then to English. The `strings` property
// overrides single keys per element. Languages beyond the built-in ones can be added
// with `registerStrings()`.
import { en } from './en.js';
import { fr } from './fr.js';
import type { StringOverrides, Strings } from './strings.js';

const languages = new Map<string, Strings>([
  ['en', en],
  ['fr', fr],
]);

/**
 * Adds (or replaces) the strings of a language for every element on the page, e.g.
 * `registerStrings('de', { ...englishStrings, leave: 'Verlassen' })` (both exported by the
 * package entry). Elements whose `lang` (or an ancestor's) is `de` or `de-*` speak it.
 */
export function registerStrings(lang: string, strings: Strings): void {
  languages.set(lang.toLowerCase(), strings);
}

/** The language an element speaks: its own `lang` or the closest ancestor's. */
export function langOf(el: Element): string {
  return (el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? '').trim().toLowerCase();
}

/** Built-in strings for `lang` (`pt-br` → `pt` → `en`), with `overrides` on top. */
export function stringsFor(lang: string, overrides: StringOverrides | null | undefined): Strings {
  let base = en;
  for (let tag = lang; tag; tag = tag.slice(0, Math.max(0, tag.lastIndexOf('-')))) {
    const found = languages.get(tag);
    if (found) {
      base = found;
      break;
    }
  }
  if (!overrides) return base;
  return { ...base, ...overrides, errors: { ...base.errors, ...overrides.errors } } as Strings;
}

// <html lang> changes re-render every connected element (one observer for the page)
const listeners = new Set<() => void>();
let observer: MutationObserver | null = null;
// at module level, not inside watchLang: a callback made there would close over the first
// caller's scope and keep that element alive for as long as the page lives
const notifyAll = () => listeners.forEach(l => l());

/** Calls `listener` when `el`'s own `lang` or `<html lang>` changes; returns the unsubscribe. */
export function watchLang(el: Element, listener: () => void): () => void {
  if (typeof MutationObserver === 'undefined') return () => {};
  if (!observer) {
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
