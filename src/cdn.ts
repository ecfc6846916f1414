// Entry of dist/metered-call.js, the one-file bundle for <script src>: registers
// <metered-call> on load and exposes the class as `MeteredCall` on the global object.
// Loading it twice is harmless: the second copy sees the tag taken and stays quiet
// (or warns once, naming both versions, if they differ).
import { registerStrings } from './i18n/localize.js';
import { MeteredCall } from './metered-call-element.js';

MeteredCall.define();

// a page without a build step adds a language with `MeteredCall.registerStrings('sv', {...})`
// (the shipped ones are dist/i18n/<lang>.js; docs/languages.md)
const global = globalThis as typeof globalThis & { MeteredCall?: typeof MeteredCall & { registerStrings: typeof registerStrings } };
global.MeteredCall ??= Object.assign(MeteredCall, { registerStrings });

declare global {
  interface HTMLElementTagNameMap {
    'metered-call': MeteredCall;
  }
}
