// Leave confirmation (`confirm-leave`): the Leave button asks first while in the room;
// "Leave" leaves, "Cancel" or Escape closes the question and focus goes back to the
// Leave button. leave() from a script never asks.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

export class LeaveConfirm implements ReactiveController {
  /** The question is showing. */
  asking = false;

  constructor(
    private readonly host: Host,
    /** Whether the Leave button should ask now (the attribute is set and we are in the room). */
    private readonly wanted: () => boolean,
    private readonly leave: () => void,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    // the call ended some other way, or the attribute went: nothing left to ask
    if (this.asking && !this.wanted()) this.asking = false;
  }

  /** The Leave button: asks (focus on the question's Cancel), or leaves at once. */
  readonly request = (): void => {
    if (!this.wanted()) return this.leave();
    if (this.asking) return this.cancel();
    this.asking = true;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.query('[part~="leave-confirm"] [part~="cancel-button"]')?.focus());
  };

  readonly confirm = (): void => {
    this.asking = false;
    this.leave();
  };

  readonly cancel = (): void => {
    this.asking = false;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.query('[part~="leave-button"]')?.focus());
  };

  /** Escape inside the question cancels it, and nothing else (an open panel stays open). */
  readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    this.cancel();
  };

  private query(selector: string): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(selector);
  }
}
