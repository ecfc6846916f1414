// Types shared by the React and Vue typings (src/react.ts, src/vue.ts): what a template
// may set on <metered-call> — properties by their camelCase names, attributes by their
// kebab-case names — and a handler type per event. Types only: this module emits no code.
import type { MeteredCallEvent, MeteredCallEventDetails, MeteredCallEventName } from './events.js';
import type { MeteredCall } from './metered-call-element.js';

/** Every property a page or framework may set (the configuration; `state`/`peerId` are read-only). */
export type MeteredCallSettableProperty =
  | 'room'
  | 'apiKey'
  | 'tokenUrl'
  | 'tokenProvider'
  | 'turnApp'
  | 'turnApiKey'
  | 'name'
  | 'serverUrl'
  | 'turnUrl'
  | 'autojoin'
  | 'skipPrejoin'
  | 'layout'
  | 'chat'
  | 'theme'
  | 'strings'
  | 'maxPeers'
  | 'iceTransportPolicy'
  | 'resilience'
  | 'showTimer'
  | 'confirmLeave';

/** The configuration as properties (what React 19 and Vue set when the element is defined). */
export type MeteredCallProperties = Partial<Pick<MeteredCall, MeteredCallSettableProperty>>;

/** The configuration as attributes (kebab-case; booleans by presence). */
export interface MeteredCallAttributes {
  room?: string;
  'api-key'?: string;
  'token-url'?: string;
  'turn-app'?: string;
  'turn-api-key'?: string;
  name?: string;
  'server-url'?: string;
  'turn-url'?: string;
  autojoin?: boolean | '';
  'skip-prejoin'?: boolean | '';
  layout?: 'grid' | 'speaker' | '';
  chat?: boolean | '';
  theme?: 'light' | 'dark' | '';
  'max-peers'?: number | string;
  'ice-transport-policy'?: RTCIceTransportPolicy;
  'show-timer'?: boolean | '';
  'confirm-leave'?: boolean | '';
}

/** `peer-joined` → `PeerJoined`. */
export type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${PascalCase<Tail>}`
  : Capitalize<S>;

/** A listener for one of the element's events. */
export type MeteredCallEventHandler<K extends MeteredCallEventName> = (event: MeteredCallEvent<K>) => void;

/** React 19: `on` + the exact event name (`onjoined`, `onpeer-joined`, `onerror`). */
export type MeteredCallReactEventProps = {
  [K in MeteredCallEventName as `on${K}`]?: MeteredCallEventHandler<K>;
};

/** Vue: what `@joined` / `@peer-joined` compile to (`onJoined`, `onPeerJoined`). */
export type MeteredCallVueEventProps = {
  [K in MeteredCallEventName as `on${PascalCase<K>}`]?: MeteredCallEventHandler<K>;
};

export type { MeteredCallEventDetails };
