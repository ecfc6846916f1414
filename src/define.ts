// Registers <metered-call>. Import this module (or `metered-call/define`) for the side
// effect; import the class from `metered-call` to register it under another name.
import { MeteredCall } from './metered-call-element.js';

export { MeteredCall };

MeteredCall.define();

declare global {
  interface HTMLElementTagNameMap {
    'metered-call': MeteredCall;
  }
}
