// The page's languages, in one place shared by every copy of the element on the page (the CDN
// bundle, an npm build, a second version) and by the language files (dist/i18n/<lang>.js),
// whichever loads first: a classic language script may run before a module-script bundle.
// Each language file bundles this small module, so it lives on the global object, under a
// registered symbol (never a name a page could clash with).
import type { StringOverrides } from './strings.js';

interface Registry {
  languages: Map<string, StringOverrides>;
  /** Called after each registration: every copy of the element re-renders. */
  listeners: Set<() => void>;
}

const KEY = Symbol.for('metered-call.languages.v1');

/** The page's registry of languages, made on first use. */
export function registry(): Registry {
  const global = globalThis as typeof globalThis & { [KEY]?: Registry };
  return (global[KEY] ??= { languages: new Map(), listeners: new Set() });
}

/**
 * Adds (or replaces) the strings of a language, e.g. `registerStrings('id', { leave: 'Keluar', ... })`;
 * a key it lacks is shown in English. Elements already on the page re-render.
 */
export function registerStrings(lang: string, strings: StringOverrides): void {
  const { languages, listeners } = registry();
  languages.set(lang.trim().toLowerCase(), strings);
  listeners.forEach(listener => listener());
}
