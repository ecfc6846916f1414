// Template typings for Vue 3 (checked by vue-tsc / Volar). Load them once in your app:
//   import type {} from 'metered-call/vue';
// and tell Vue's compiler that the tag is a custom element (vite.config:
// vue({ template: { compilerOptions: { isCustomElement: tag => tag === 'metered-call' } } })).
//   <metered-call :room="room" token-url="/api/token" @joined="onJoined" @peer-joined="…" />
// Bind properties by their camelCase name (`:tokenProvider="fn"`): Vue sets a property when
// the element has one of that name; kebab-case bindings (`:server-url`) become attributes,
// which suits strings only.
import type { EmitFn, HTMLAttributes, ReservedProps } from 'vue';
import type { MeteredCall } from './metered-call-element.js';
import type { MeteredCallEventHandler, MeteredCallProperties, MeteredCallVueEventProps } from './framework-types.js';
import type { MeteredCallEventDetails } from './events.js';

/** Props of `<metered-call>` in a Vue template (kebab-case attributes are normalised to these). */
export type MeteredCallVueProps = Omit<HTMLAttributes, keyof MeteredCallVueEventProps> &
  ReservedProps &
  MeteredCallProperties &
  MeteredCallVueEventProps;

/** What Volar sees for the tag: the element instance, its props and its events. */
export type MeteredCallVueComponent = new () => MeteredCall & {
  $props: MeteredCallVueProps;
  $emit: EmitFn<{ [K in keyof MeteredCallEventDetails]: MeteredCallEventHandler<K> }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'metered-call': MeteredCallVueComponent;
  }
}
