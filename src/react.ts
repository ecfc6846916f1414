// JSX typings for React 19, which sets properties and listens to custom events natively.
// Load them once in your app:  import type {} from 'metered-call/react';
//   <metered-call room="standup" tokenUrl="/api/token" onjoined={e => e.detail.peerId} />
// Event props are `on` + the exact event name: onjoined, onpeer-joined, onpeer-left,
// onintroduce, onleft, onerror. Kebab-case attributes (api-key="…") work too.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { MeteredCall } from './metered-call-element.js';
import type { MeteredCallAttributes, MeteredCallProperties, MeteredCallReactEventProps } from './framework-types.js';

/** Props of `<metered-call>` in JSX. */
export type MeteredCallReactProps = DetailedHTMLProps<HTMLAttributes<MeteredCall>, MeteredCall> &
  MeteredCallProperties &
  Omit<MeteredCallAttributes, keyof MeteredCallProperties> &
  MeteredCallReactEventProps;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'metered-call': MeteredCallReactProps;
    }
  }
}
