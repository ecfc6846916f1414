// Where the keyboard goes: the side panel that is open (chat, devices, people, or the reaction picker) and focus moving
// into it and back to its button, focus put back after a state change took the focused
// control away, and the keyboard shortcuts (M, V, S, C, Escape) while focus is in the
// element and not in a text field.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { inCall, type CallState } from '../types.js';

export type Panel = 'chat' | 'devices' | 'people' | 'reactions';

/** Where focus goes when the state changes under it. */
const FOCUS_TARGET: Record<CallState, string> = {
  idle: '[part~="name-input"], [part~="join-button"]',
  joining: '[part~="leave-button"]',
  joined: '[part~="mic-button"]',
  reconnecting: '[part~="leave-button"]',
  left: '[part~="join-button"]',
  error: '[part~="join-button"]',
};

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

export interface ShortcutContext {
  state: CallState;
  /** The pre-join screen is showing (M and V work there too). */
  prejoin: boolean;
  chat: boolean;
  actions: { mic: () => void; camera: () => void; screen: () => void; chat: () => void };
}

export class Panels implements ReactiveController {
  open: Panel | null = null;
  private focusAfter = false;

  constructor(
    private readonly host: Host,
    private readonly context: () => ShortcutContext,
    /** Called whenever the open panel changes (the chat's unread count depends on it). */
    private readonly onChange: (open: Panel | null) => void,
  ) {
    host.addController(this);
    host.addEventListener('keydown', this.onKeydown);
  }

  /** Opens `panel`, or closes it when it is open; focus moves into it (its first field). */
  toggle(panel: Panel): void {
    this.set(this.open === panel ? null : panel);
    // (a panel without fields, the people list or the reaction picker: its first focusable)
    if (this.open) void this.host.updateComplete.then(() => (this.query('.panel input, .panel select') ?? this.query('.panel [tabindex], .picker button'))?.focus());
  }

  /** Closes the open panel; focus goes back to the panel's button. */
  readonly close = (): void => {
    const was = this.open;
    this.set(null);
    void this.host.updateComplete.then(() => this.query(`[part~="${was}-button"]`)?.focus());
  };

  /** Closes without moving focus (the call ended, the chat was turned off). */
  reset(): void {
    if (this.open) this.set(null);
  }

  /** The state shown is about to change: the tree under focus may go, so remember whether focus was ours. */
  stateChanging(): void {
    // not :focus-within, which Firefox does not match while its window is in the background
    this.focusAfter ||= !!this.host.shadowRoot?.activeElement;
  }

  hostUpdated(): void {
    if (!this.focusAfter) return;
    this.focusAfter = false;
    // only when what had focus is gone (a kept button keeps it)
    if (!this.host.shadowRoot?.activeElement) this.query(FOCUS_TARGET[this.context().state])?.focus();
  }

  private set(panel: Panel | null): void {
    this.open = panel;
    this.onChange(panel);
    this.host.requestUpdate();
  }

  private query(selector: string): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(selector);
  }

  private readonly onKeydown = (e: KeyboardEvent) => {
    const target = e.composedPath()[0] as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || /^(INPUT|TEXTAREA|SELECT)$/.test(target?.tagName) || target?.isContentEditable) {
      if (e.key === 'Escape' && this.open) this.close();
      return;
    }
    const c = this.context();
    const calling = inCall(c.state);
    if (!calling && !c.prejoin) return;
    const action = (
      {
        m: c.actions.mic,
        v: c.actions.camera,
        s: calling ? c.actions.screen : null,
        c: calling && c.chat ? c.actions.chat : null,
        escape: this.open ? this.close : null,
      } as Record<string, (() => void) | null>
    )[e.key.toLowerCase()];
    if (!action) return;
    e.preventDefault();
    action();
  };
}
