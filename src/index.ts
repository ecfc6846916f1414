// The package's main entry: the class and its types, no side effects.
// Register with `import 'metered-call/define'` or `MeteredCall.define('my-call')`.
export { MeteredCall } from './metered-call-element.js';
export { MeteredCallError, ERRORS, type MeteredCallErrorCode, type MeteredCallErrorDetail } from './errors.js';
export { EVENT_NAMES, type MeteredCallEvent, type MeteredCallEventDetails, type MeteredCallEventName } from './events.js';
export type { CallState, RemoteTile, ResilienceOptions } from './types.js';
export type { MeteredCallTokenProvider, MeteredCallTokenRequest, MeteredCallTokenResponse } from './call/token.js';
export type { MeteredCallAttributes, MeteredCallProperties } from './framework-types.js';
export { MAX_NAME_LENGTH, cleanName, introduceMessage, parsePeerMessage, type IntroduceMessage, type PeerMessage } from './protocol/messages.js';
export { VERSION } from './version.js';
export { registerStrings } from './i18n/localize.js';
