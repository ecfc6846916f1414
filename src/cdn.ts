// Entry of dist/metered-call.js, the one-file bundle for <script src>: registers
// <metered-call> on load and exposes the class as `MeteredCall` on the global object.
// Loading it twice is harmless: the second copy sees the tag taken and stays quiet
// (or warns once, naming both versions, if they differ).
import { MeteredCall } from './metered-call-element.js';

MeteredCall.define();

const global = globalThis as typeof globalThis & { MeteredCall?: typeof MeteredCall };
global.MeteredCall ??= MeteredCall;

declare global {
  interface HTMLElementTagNameMap {
    'metered-call': MeteredCall;
  }
}
