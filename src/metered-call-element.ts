import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { CallSession, type CallConfig, type CallState, type RemoteTile } from './controllers/call-session.js';
import { DEFAULT_MAX_PEERS, type ResilienceOptions } from './controllers/resilience.js';
import { PageLifecycle } from './lifecycle/page-lifecycle.js';
import type { MeteredCallTokenProvider } from './controllers/token.js';
import type { MeteredCallEvent, MeteredCallEventDetails } from './events.js';
import { styles } from './metered-call.styles.js';
import { cleanName } from './protocol/messages.js';
import { VERSION } from './version.js';

const warnedTags = new Set<string>();

/**
 * A multi-party video call in one element, on Metered's Realtime Messaging and TURN.
 *
 * @tagname metered-call
 * @summary Drop-in WebRTC video call: set a room and a Metered key, and visitors are in a call.
 *
 * @attr {string} state - (read-only) The call state, written by the element: `idle`, `joining`, `joined`, `reconnecting`, `left` or `error`. Style with `metered-call[state="joined"]`.
 *
 * @fires {CustomEvent<{ peerId: string; room: string }>} joined - This participant is in the room.
 * @fires {CustomEvent<{ peerId: string }>} peer-joined - Another participant entered the room.
 * @fires {CustomEvent<{ peerId: string }>} peer-left - A participant left; their tile is gone.
 * @fires {CustomEvent<{ peerId: string; username: string }>} introduce - A participant told their display name (cleaned, at most 64 characters, keyed by the server-stamped peer id).
 * @fires {CustomEvent<{}>} left - This participant left the call; tracks are stopped and connections closed.
 * @fires {CustomEvent<{ code: MeteredCallErrorCode; message: string; fatal: boolean }>} error - Something failed. Does not bubble. `fatal: false` for notices such as `media-denied` (the call goes on).
 *
 * @csspart lobby - The panel shown before joining, after leaving and on a fatal error.
 * @csspart stage - The grid of participant tiles.
 * @csspart tile - One participant's tile (also carries `local self` or `remote`).
 * @csspart local - Modifier of the tile showing this participant.
 * @csspart self - Alias of `local`.
 * @csspart remote - Modifier of every other participant's tile.
 * @csspart video - The `<video>` in a tile.
 * @csspart avatar - The initials shown when a participant has no video.
 * @csspart name - A participant's name label.
 * @csspart status - A tile's connection badge ("Connecting…", "Can't connect").
 * @csspart summary - The line that states the call state and the participant count.
 * @csspart notice - A non-fatal notice, e.g. why you joined without camera.
 * @csspart error - The fatal error: what happened and how the site owner can fix it.
 * @csspart controls - The bar holding the buttons.
 * @csspart button - Every button (with one of the modifiers below).
 * @csspart join-button - The Join / Try again button.
 * @csspart leave-button - The Leave / Cancel button.
 * @csspart unmute-button - Shown when the browser blocked sound until a click.
 *
 * @cssprop [--metered-call-background=#10131a] - Background of the element.
 * @cssprop [--metered-call-foreground=#f4f6fb] - Text colour.
 * @cssprop [--metered-call-muted-foreground=#a3abbd] - Secondary text colour.
 * @cssprop [--metered-call-tile-background=#1c2230] - Background of a tile without video.
 * @cssprop [--metered-call-tile-radius=14px] - Corner radius of tiles.
 * @cssprop [--metered-call-tile-aspect-ratio=16 / 9] - Aspect ratio of tiles.
 * @cssprop [--metered-call-gap=10px] - Space between tiles.
 * @cssprop [--metered-call-padding=12px] - Padding inside the element.
 * @cssprop [--metered-call-radius=18px] - Corner radius of the element.
 * @cssprop [--metered-call-accent=#3b82f6] - Colour of the Join button and focus rings.
 * @cssprop [--metered-call-accent-foreground=#ffffff] - Text colour on the accent colour.
 * @cssprop [--metered-call-danger=#e5484d] - Colour of the Leave button and errors.
 * @cssprop [--metered-call-font-family=system-ui] - Font family.
 * @cssprop [--metered-call-font-size=15px] - Base text size (the page's own font size does not reach inside the element).
 * @cssprop [--metered-call-min-height=320px] - Minimum height of the element.
 */
export class MeteredCall extends LitElement {
  static override styles = styles;

  /** The package version (used to warn when two different versions register the same tag). */
  static readonly version: string = VERSION;

  /**
   * Registers the element under `tag` (default `metered-call`). Safe to call any number of
   * times: the same class again is a no-op, another version already registered under the
   * tag gets one console warning, and it never throws (CMSs paste script tags twice).
   */
  static define(tag = 'metered-call', registry: CustomElementRegistry | undefined = globalThis.customElements): void {
    try {
      if (!registry) return;
      const existing = registry.get(tag) as (CustomElementConstructor & { version?: string }) | undefined;
      if (existing) {
        if (existing !== this && existing.version !== this.version && !warnedTags.has(tag)) {
          warnedTags.add(tag);
          console.warn(
            `<${tag}>: version ${existing.version ?? 'unknown'} is already registered; version ${this.version} was loaded too and is not used.`,
          );
        }
        return;
      }
      try {
        registry.define(tag, this);
      } catch (err) {
        // this constructor is already registered under another tag: register a subclass
        if ((err as DOMException)?.name !== 'NotSupportedError') throw err;
        registry.define(tag, class extends this {});
      }
    } catch (err) {
      console.warn(`<${tag}>: not registered: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  /** The room (Metered channel) to join. Changing it while in a call moves the call to the new room. */
  @property() room = '';

  /** The Metered Realtime Messaging publishable key (`pk_live_…`). Not needed with `token-url` or `tokenProvider`. */
  @property({ attribute: 'api-key' }) apiKey = '';

  /**
   * The token path: your endpoint that mints a short-lived signalling token (a JWT signed
   * with your secret key) for the room. The element requests `GET <token-url>?room=<room>&name=<name>`
   * (same-origin cookies included) and expects HTTP 200 with JSON
   * `{ "token": "<JWT>", "expiresAt": <Unix seconds> }`; it fetches the next token before
   * this one expires. `api-key` is then not needed.
   */
  @property({ attribute: 'token-url' }) tokenUrl = '';

  /**
   * For apps: a function `({ room, name, signal }) => Promise<{ token, expiresAt } | string>`
   * returning a signalling token for the room; called before joining and again before the
   * token expires. Wins over `token-url`. Property only (functions are not attributes).
   */
  @property({ attribute: false }) tokenProvider: MeteredCallTokenProvider | null = null;

  /**
   * The Metered TURN app name: credentials come from
   * `https://<turn-app>.metered.live/api/v1/turn/credentials?apiKey=<turn-api-key>`.
   * Without it (and without `turn-url`) the call uses STUN only.
   */
  @property({ attribute: 'turn-app' }) turnApp = '';

  /** The TURN app's API key (a different key from `api-key`, as in Metered's dashboard). */
  @property({ attribute: 'turn-api-key' }) turnApiKey = '';

  /** The display name this participant introduces themselves with. */
  @property() name = '';

  /**
   * Signalling origin passed to the SDK's `url` option, e.g. `ws://127.0.0.1:8080`
   * (local server) or a proxy. Default: Metered's cloud (`wss://rms.metered.ca`).
   */
  @property({ attribute: 'server-url' }) serverUrl = '';

  /** Full TURN credentials URL; overrides `turn-app` / `turn-api-key` (local server, proxies). */
  @property({ attribute: 'turn-url' }) turnUrl = '';

  /**
   * Join as soon as the element is on the page and has a `room` and an `api-key` (or `token-url` / `tokenProvider`).
   * Without it the element waits for `join()` or for its Join button.
   */
  @property({ type: Boolean, reflect: false }) autojoin = false;

  /**
   * Most participants in the room, this one included (default 6, the practical limit of a
   * mesh call). A visitor who finds the room full (from the server's presence snapshot on
   * joining) gets `state="error"` with code `room-full`; the others never see them. Give
   * every element of a room the same value.
   */
  @property({ type: Number, attribute: 'max-peers' }) maxPeers = DEFAULT_MAX_PEERS;

  /** `relay` sends media only through TURN (hides visitors' IP addresses from each other); default `all`. */
  @property({ attribute: 'ice-transport-policy' }) iceTransportPolicy: RTCIceTransportPolicy = 'all';

  /**
   * Tuning of recovery: signalling reconnect backoff, when TURN credentials are renewed and
   * how failed renewals are retried (see `ResilienceOptions`). Property only; read on join.
   */
  @property({ attribute: false }) resilience: ResilienceOptions | null = null;

  private readonly session = new CallSession(this, { onStateChange: state => this.reflectState(state) });
  private readonly internals: ElementInternals | null;
  /** `pagehide` leaves the room (others see peer-left at once); bfcache restore rejoins. */
  protected readonly pageLifecycle = new PageLifecycle(this);
  private autojoinArmed = true;
  private soundBlocked = false;

  constructor() {
    super();
    this.internals = typeof this.attachInternals === 'function' ? this.attachInternals() : null;
    if (this.internals) {
      this.internals.role = 'region';
      this.internals.ariaLabel = 'Video call';
    }
  }

  /** (read-only) The call state; also reflected as the `state` attribute. */
  get state(): CallState {
    return this.session.state;
  }

  /** (read-only) This participant's peer id while in a call, else `null`. */
  get peerId(): string | null {
    return this.session.localPeerId;
  }

  /**
   * Joins the room. Resolves once joined (at once if already joined; the same promise
   * while a join is in progress). Rejects with the `MeteredCallError` the `error` event
   * describes, or with an `AbortError` when `leave()` cancels it.
   */
  join(): Promise<void> {
    this.autojoinArmed = false;
    return this.session.join(this.config());
  }

  /**
   * Leaves the room: stops every local track, closes every peer connection and the
   * signalling socket. Resolves when that is done. Safe at any time, also during `join()`.
   */
  leave(): Promise<void> {
    this.autojoinArmed = false;
    return this.session.leave();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.reflectState(this.session.state);
    // back on the page after a removal: autojoin again
    if (this.session.state !== 'joining' && this.session.state !== 'joined' && this.session.state !== 'reconnecting') {
      this.autojoinArmed = true;
    }
    this.maybeAutojoin();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('name')) this.session.setName(this.name);
    const s = this.session.state;
    if (changed.has('room') && (s === 'joining' || s === 'joined' || s === 'reconnecting') && this.config().room !== this.session.room) {
      // a new room while in a call: the same path a user takes, leave then join
      void this.session
        .leave()
        .then(() => this.session.join(this.config()))
        .catch(() => {});
    }
    // after this update, not inside it (joining changes state and renders again)
    queueMicrotask(() => this.maybeAutojoin());
  }

  private maybeAutojoin(): void {
    if (!this.autojoin || !this.autojoinArmed || !this.isConnected) return;
    // attributes may still be on their way (CMS scripts)
    if (!this.room || !(this.apiKey || this.tokenUrl || this.tokenProvider)) return;
    this.autojoinArmed = false;
    this.session.join(this.config()).catch(() => {}); // shown in the element and as an `error` event
  }

  private config(): CallConfig {
    return {
      room: this.room.trim(),
      apiKey: this.apiKey.trim(),
      name: this.name,
      serverUrl: this.serverUrl.trim(),
      turnUrl: this.turnUrl.trim(),
      turnApp: this.turnApp.trim(),
      turnApiKey: this.turnApiKey.trim(),
      tokenUrl: this.tokenUrl.trim(),
      tokenProvider: this.tokenProvider,
      maxPeers: this.maxPeers,
      iceTransportPolicy: this.iceTransportPolicy,
      ...(this.resilience ? { resilience: this.resilience } : {}),
    };
  }

  private reflectState(state: CallState): void {
    if (this.isConnected && this.getAttribute('state') !== state) this.setAttribute('state', state);
    // also as a custom state, for `metered-call:state(joined)`
    const states = this.internals?.states;
    if (states) {
      states.clear();
      states.add(state);
    }
  }

  // ---------------------------------------------------------------- rendering

  protected override render(): TemplateResult {
    const state = this.session.state;
    const inCall = state === 'joining' || state === 'joined' || state === 'reconnecting';
    return html`<div class="frame">${inCall ? this.renderCall(state) : this.renderLobby(state)}</div>`;
  }

  private renderLobby(state: CallState): TemplateResult {
    const error = state === 'error' ? this.session.error : null;
    const heading = error ? error.viewerMessage : state === 'left' ? 'You left the call' : 'Video call';
    return html`
      <div part="lobby" class="lobby" data-state=${state}>
        <div class="lobby-icon" aria-hidden="true">${error ? alertIcon : cameraIcon}</div>
        <h2>${heading}</h2>
        ${error
          ? html`<div part="error" class="error" role="alert">
              <strong>How to fix it</strong>${error.hint} <code>(${error.code})</code>
            </div>`
          : this.room
            ? html`<p>Room <span class="room">${this.room}</span></p>`
            : html`<p>No room is set.</p>`}
        <div part="controls" class="controls">
          <button part="button join-button" class="join" @click=${this.onJoinClick}>
            ${error ? 'Try again' : state === 'left' ? 'Rejoin' : 'Join call'}
          </button>
        </div>
      </div>
    `;
  }

  private renderCall(state: CallState): TemplateResult {
    const tiles = [...this.session.tiles.values()];
    const count = tiles.length + 1;
    const notice = this.session.notice;
    return html`
      <section part="stage" class="stage" data-count=${count > 9 ? 'many' : String(count)} aria-label="Participants">
        ${this.renderLocalTile()} ${repeat(tiles, t => t.peerId, t => this.renderRemoteTile(t))}
      </section>
      ${notice ? html`<p part="notice" class="notice" role="status">${notice.viewerMessage}</p>` : nothing}
      <div part="controls" class="bar">
        <span part="summary" class="summary" role="status" aria-live="polite">${this.summary(state, count)}</span>
        ${this.soundBlocked
          ? html`<button part="button unmute-button" class="secondary" @click=${this.onUnmuteClick}>Turn on sound</button>`
          : nothing}
        <button part="button leave-button" class="leave" @click=${this.onLeaveClick}>
          ${state === 'joining' ? 'Cancel' : 'Leave'}
        </button>
      </div>
    `;
  }

  private summary(state: CallState, count: number): TemplateResult | string {
    if (state === 'joining') return html`Joining <strong>${this.room}</strong>…`;
    if (state === 'reconnecting') return 'Connection lost. Reconnecting…';
    const others = count - 1;
    return html`<strong>${this.room}</strong> · ${others === 0
        ? 'waiting for others to join'
        : `${count} participants`}`;
  }

  private renderLocalTile(): TemplateResult {
    const stream = this.session.localStream;
    const hasVideo = !!stream?.getVideoTracks().some(t => t.readyState === 'live');
    const myName = cleanName(this.name); // exactly what the others are told
    const label = myName ? `${myName} (you)` : 'You';
    const mode = this.session.mediaMode;
    return html`
      <figure part="tile local self" class="tile local" data-peer-id=${this.session.localPeerId ?? ''}>
        ${hasVideo
          ? html`<video part="video" autoplay playsinline muted .muted=${true} .srcObject=${stream}></video>`
          : this.renderAvatar(myName, this.session.localPeerId ?? 'local')}
        ${this.session.state === 'joining'
          ? html`<span part="status" class="status">${stream ? 'Joining…' : 'Starting camera…'}</span>`
          : !hasVideo
            ? html`<span part="status" class="status">${mode === 'audio-only' ? 'Audio only' : 'Camera off'}</span>`
            : nothing}
        <figcaption class="label"><span part="name" class="name">${label}</span></figcaption>
      </figure>
    `;
  }

  private renderRemoteTile(tile: RemoteTile): TemplateResult {
    const name = this.session.names.get(tile.peerId) ?? '';
    const video = tile.stream?.getVideoTracks().find(t => t.readyState === 'live');
    const showVideo = !!video && !video.muted;
    const status =
      tile.connection === 'unreachable'
        ? "Can't connect"
        : tile.connection === 'reconnecting'
          ? 'Reconnecting…'
          : tile.connection === 'connecting' && !showVideo
            ? 'Connecting…'
            : '';
    return html`
      <figure part="tile remote" class="tile remote" data-peer-id=${tile.peerId}>
        <video
          part="video"
          autoplay
          playsinline
          .srcObject=${tile.stream}
          @loadedmetadata=${this.onRemoteMedia}
        ></video>
        ${showVideo ? nothing : this.renderAvatar(name, tile.peerId)}
        ${status
          ? html`<span part="status" class="status" data-connection=${tile.connection}>${status}</span>`
          : nothing}
        <figcaption class="label"><span part="name" class="name">${name || 'Guest'}</span></figcaption>
      </figure>
    `;
  }

  private renderAvatar(name: string, key: string): TemplateResult {
    return html`<div part="avatar" class="avatar" data-hue=${hueOf(key)}>
      <span class="initials" aria-hidden="true">${initialsOf(name)}</span>
    </div>`;
  }

  // ---------------------------------------------------------------- handlers

  private readonly onJoinClick = () => {
    this.join().catch(() => {}); // shown in the element and as an `error` event
  };

  private readonly onLeaveClick = () => {
    void this.leave();
  };

  private readonly onRemoteMedia = (event: Event) => {
    const video = event.currentTarget as HTMLVideoElement;
    video.play().catch((err: unknown) => {
      if ((err as DOMException)?.name !== 'NotAllowedError') return;
      // autoplay with sound refused before any click: play muted, offer a button
      video.muted = true;
      void video.play().catch(() => {});
      this.soundBlocked = true;
      this.requestUpdate();
    });
  };

  private readonly onUnmuteClick = () => {
    for (const video of this.renderRoot.querySelectorAll<HTMLVideoElement>('.remote video')) {
      video.muted = false;
      void video.play().catch(() => {});
    }
    this.soundBlocked = false;
    this.requestUpdate();
  };

  // ---------------------------------------------------------------- typed listeners

  /** @internal Typed `addEventListener`, including the non-bubbling `error`. */
  override addEventListener<K extends keyof MeteredCallEventDetails>(
    type: K,
    listener: (this: MeteredCall, ev: MeteredCallEvent<K>) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: MeteredCall, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override addEventListener(type: string, listener: any, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject, options);
  }

  /** @internal */
  override removeEventListener<K extends keyof MeteredCallEventDetails>(
    type: K,
    listener: (this: MeteredCall, ev: MeteredCallEvent<K>) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: MeteredCall, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override removeEventListener(type: string, listener: any, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject, options);
  }
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0]!)[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1]!)[0] ?? '') : '';
  return (first + last).toUpperCase();
}

function hueOf(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return String(h % 8);
}

const cameraIcon = html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><rect x="2" y="6" width="14" height="12" rx="2.5"></rect><path d="M16 10.5 22 7v10l-6-3.5"></path></svg>`;
const alertIcon = html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><circle cx="12" cy="12" r="9.5"></circle><path d="M12 7.5v5.5"></path><path d="M12 16.5h.01"></path></svg>`;
