import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ActiveSpeaker } from './controllers/active-speaker.js';
import { CallSession, type CallConfig } from './call/call-session.js';
import { DEFAULT_MAX_PEERS } from './call/resilience.js';
import type { CallState, ResilienceOptions } from './types.js';
import { PageLifecycle } from './controllers/page-lifecycle.js';
import { Chat } from './call/chat.js';
import { read, write, type DeviceKind } from './controllers/devices.js';
import { Devices, MediaControls } from './controllers/media-controls.js';
import type { MeteredCallTokenProvider } from './call/token.js';
import type { MeteredCallEvent, MeteredCallEventDetails } from './events.js';
import { en } from './i18n/en.js';
import { langOf, stringsFor, watchLang } from './i18n/localize.js';
import type { StringOverrides, Strings } from './i18n/strings.js';
import { styles } from './metered-call.styles.js';
import { parseCallMessage, stateMessage, type MediaState } from './protocol/call-messages.js';
import { cleanName } from './protocol/messages.js';
import { renderChat } from './ui/chat.js';
import { renderBar, renderDeviceSelects, renderDevicesPanel, type ToggleView } from './ui/controls.js';
import { icons } from './ui/icons.js';
import { renderPrejoin } from './ui/prejoin.js';
import { renderTile, type TileView } from './ui/tile.js';
import { VERSION } from './version.js';

const warnedTags = new Set<string>();
/** Where this visitor's name is remembered (per site: localStorage is per origin). */
const NAME_KEY = 'metered-call:name';
/** Without `layout`, rooms larger than this get the speaker layout. */
const SPEAKER_LAYOUT_FROM = 9;
/** Where focus goes when the state changes under it. */
const FOCUS_TARGET: Record<CallState, string> = {
  idle: '[part~="name-input"], [part~="join-button"]',
  joining: '[part~="leave-button"]',
  joined: '[part~="mic-button"]',
  reconnecting: '[part~="leave-button"]',
  left: '[part~="join-button"]',
  error: '[part~="join-button"]',
};

/**
 * A multi-party video call in one element, on Metered's Realtime Messaging and TURN.
 *
 * @tagname metered-call
 * @summary Drop-in WebRTC video call: set a room and a Metered key, and visitors are in a call.
 *
 * @attr {string} state - (read-only) The call state, written by the element: `idle`, `joining`, `joined`, `reconnecting`, `left` or `error`. Style with `metered-call[state="joined"]`.
 * @attr {boolean} muted - (read-only) Present while this participant's microphone is off.
 * @attr {boolean} camera-off - (read-only) Present while this participant's camera is off.
 * @attr {boolean} sharing - (read-only) Present while this participant shares their screen.
 * @attr {string} active-speaker - (read-only) The peer id of the participant speaking (or who spoke last); absent when nobody has.
 *
 * @fires {CustomEvent<{ peerId: string; room: string }>} joined - This participant is in the room.
 * @fires {CustomEvent<{ peerId: string }>} peer-joined - Another participant entered the room.
 * @fires {CustomEvent<{ peerId: string }>} peer-left - A participant left; their tile is gone.
 * @fires {CustomEvent<{ peerId: string; username: string }>} introduce - A participant told their display name (cleaned, at most 64 characters, keyed by the server-stamped peer id).
 * @fires {CustomEvent<{}>} left - This participant left the call; tracks are stopped and connections closed.
 * @fires {CustomEvent<{ peerId: string; username: string; text: string; self: boolean }>} chat-message - A chat message, sent by this participant (`self: true`, after `sendChat()` or the chat panel) or received (text cleaned, at most 500 characters; `peerId` is the server-stamped sender).
 * @fires {CustomEvent<{ code: MeteredCallErrorCode; message: string; fatal: boolean }>} error - Something failed. Does not bubble. `fatal: false` for notices such as `media-denied` (the call goes on).
 *
 * @slot controls - Extra controls, placed in the control bar before the Leave button.
 * @slot lobby - Extra content in the pre-join screen and the lobby (after leaving, on error), e.g. instructions or a logo.
 * @slot empty - What the stage says while nobody else is in the call (default: "Waiting for others to join").
 *
 * @csspart lobby - The panel shown before joining (also `prejoin`), after leaving and on a fatal error.
 * @csspart prejoin - The pre-join screen: camera preview, name, devices, Join.
 * @csspart name-input - The name field of the pre-join screen.
 * @csspart device-select - A camera or microphone picker (also `camera-select` or `microphone-select`).
 * @csspart camera-select - The camera picker.
 * @csspart microphone-select - The microphone picker.
 * @csspart stage - The area holding the participant tiles.
 * @csspart empty - The "waiting for others" note on the stage (holds the `empty` slot).
 * @csspart tile - One participant's tile; state modifiers below are added as tokens.
 * @csspart local - Modifier of the tiles showing this participant (camera and screen).
 * @csspart self - Alias of `local`.
 * @csspart remote - Modifier of every other participant's tiles.
 * @csspart screen - Modifier of a tile showing a shared screen.
 * @csspart main - Modifier of the tile shown large in the speaker layout.
 * @csspart speaking - Modifier of the tile of someone speaking now.
 * @csspart audio-off - Modifier of the tile of someone whose microphone is off.
 * @csspart video-off - Modifier of the tile of someone whose camera is off (initials shown).
 * @csspart connecting - Modifier of a remote tile while its connection is being set up.
 * @csspart reconnecting - Modifier of a remote tile while its connection is restored.
 * @csspart failed - Modifier of a remote tile whose connection could not be made.
 * @csspart video - The `<video>` in a tile.
 * @csspart avatar - The initials shown when a participant has no video.
 * @csspart name - A participant's name label.
 * @csspart mic-off - The microphone-off mark next to a name.
 * @csspart status - A tile's status badge ("Connecting…", "Reconnecting…", "Can't connect", "Camera off").
 * @csspart summary - The line that states the call state and the participant count.
 * @csspart notice - A non-fatal notice, e.g. why you joined without camera.
 * @csspart error - The fatal error: what happened and how the site owner can fix it.
 * @csspart controls - The bar holding the buttons.
 * @csspart button - Every button (with one of the modifiers below).
 * @csspart join-button - The Join / Rejoin / Try again button.
 * @csspart leave-button - The Leave / Cancel button.
 * @csspart mic-button - The microphone toggle (`aria-pressed="true"` while on).
 * @csspart camera-button - The camera toggle (`aria-pressed="true"` while on).
 * @csspart screen-button - The screen sharing toggle.
 * @csspart chat-button - Opens and closes the chat panel (with the `chat` attribute).
 * @csspart devices-button - Opens the camera and microphone settings.
 * @csspart close-button - Closes a panel.
 * @csspart send-button - Sends a chat message.
 * @csspart unmute-button - Shown when the browser blocked sound until a click ("click to enable audio").
 * @csspart badge - The unread-message count on the chat button.
 * @csspart panel - A side panel (also `chat` or `devices`).
 * @csspart chat - The chat panel.
 * @csspart devices - The camera and microphone settings panel.
 * @csspart messages - The list of chat messages.
 * @csspart message - One chat message (also `self` for ours).
 * @csspart message-author - The sender's name in a chat message.
 * @csspart message-text - The text of a chat message.
 * @csspart message-input - The chat text field.
 *
 * @cssprop [--metered-call-background=light-dark(#f6f7f9, #0f1218)] - Background of the element.
 * @cssprop [--metered-call-foreground=light-dark(#151922, #f2f4f8)] - Text colour.
 * @cssprop [--metered-call-muted-foreground=light-dark(#5b6475, #a3abbd)] - Secondary text colour.
 * @cssprop [--metered-call-surface=light-dark(#ffffff, #1b202b)] - Background of panels and fields.
 * @cssprop [--metered-call-border=light-dark(#dde1e8, #2b3242)] - Borders of panels and fields.
 * @cssprop [--metered-call-tile-background=light-dark(#e6e9ef, #1c2230)] - Background of a tile without video.
 * @cssprop [--metered-call-tile-radius=14px] - Corner radius of tiles and panels.
 * @cssprop [--metered-call-tile-aspect-ratio=16 / 9] - Aspect ratio of tiles.
 * @cssprop [--metered-call-gap=10px] - Space between tiles.
 * @cssprop [--metered-call-padding=12px] - Padding inside the element.
 * @cssprop [--metered-call-radius=18px] - Corner radius of the element.
 * @cssprop [--metered-call-accent=#2563eb] - Colour of the Join button, active toggles, own chat messages and focus rings.
 * @cssprop [--metered-call-accent-foreground=#ffffff] - Text colour on the accent colour.
 * @cssprop [--metered-call-danger=#dc2626] - Colour of the Leave button, of microphone/camera toggles while off, and of errors.
 * @cssprop [--metered-call-speaking=#22c55e] - Ring around the tile of who is speaking.
 * @cssprop [--metered-call-control-size=44px] - Size of the control bar's round buttons.
 * @cssprop [--metered-call-font-family=system-ui] - Font family.
 * @cssprop [--metered-call-font-size=15px] - Base text size (the page's own font size does not reach inside the element).
 * @cssprop [--metered-call-min-height=360px] - Minimum height of the element (give it a height to fill a box).
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

  /** Skip the pre-join screen (camera preview, name, devices): the Join button joins at once. */
  @property({ type: Boolean, attribute: 'skip-prejoin' }) skipPrejoin = false;

  /**
   * `grid` (everyone the same size) or `speaker` (who speaks large, the others in a filmstrip).
   * Without it: grid, and speaker from 10 participants on. A shared screen is always shown large.
   */
  @property() layout: '' | 'grid' | 'speaker' = '';

  /** Turns on the text chat panel (the `sendChat()` method and `chat-message` event work without it). */
  @property({ type: Boolean }) chat = false;

  /** `light` or `dark`; without it the element follows the visitor's `prefers-color-scheme`. */
  @property() theme: '' | 'light' | 'dark' = '';

  /**
   * Overrides for any user-visible string, e.g. `{ leave: 'Hang up', peerJoined: n => n + ' is here' }`;
   * merged over the strings of the element's language (`lang` attribute, else the page's; English built in, ten more as optional files: docs/languages.md).
   */
  @property({ attribute: false }) strings: StringOverrides | null = null;

  /**
   * Most participants in the room, this one included (default 6, the practical limit of a
   * mesh call). A visitor who finds the room full (from the server's presence snapshot on
   * joining) gets `state="error"` with code `room-full`; the others never see them. Give
   * every element of a room the same value.
   */
  @property({ type: Number, attribute: 'max-peers' }) maxPeers: number = DEFAULT_MAX_PEERS;

  /** `relay` sends media only through TURN (hides visitors' IP addresses from each other); default `all`. */
  @property({ attribute: 'ice-transport-policy' }) iceTransportPolicy: RTCIceTransportPolicy = 'all';

  /**
   * Tuning of recovery: signalling reconnect backoff, when TURN credentials are renewed and
   * how failed renewals are retried (see `ResilienceOptions`). Property only; read on join.
   */
  @property({ attribute: false }) resilience: ResilienceOptions | null = null;

  private readonly session = new CallSession(this, {
    onStateChange: state => this.reflectState(state),
    onMessage: (peerId, data) => this.onCallMessage(peerId, data),
    onPeerJoined: peerId => this.onPeerJoined(peerId),
    onIntroduce: (peerId, username) => this.onIntroduce(peerId, username),
    onPeerLeft: peerId => this.onPeerLeft(peerId),
  });
  private readonly media = new MediaControls(this, this.session, new Devices(this), () => this.sendState());
  private readonly speaker = new ActiveSpeaker(this, () => this.audioTracks());
  private readonly chatLog = new Chat(this, this.session, id => this.nameOf(id));
  /** What each participant told us they send (keyed by the server-stamped sender). */
  private readonly remoteStates = new Map<string, MediaState>();
  /** Names of participants, kept until their `peer-left` is announced. */
  private readonly knownNames = new Map<string, string>();
  private readonly pendingJoins = new Map<string, ReturnType<typeof setTimeout>>();
  private t: Strings = en;
  private shownState: CallState = 'idle';
  private focusAfter = false;
  private panel: 'chat' | 'devices' | null = null;
  private live: [string, string] = ['', ''];
  private stateTimer: ReturnType<typeof setTimeout> | null = null;
  private statePending = false;
  private unwatchLang: (() => void) | null = null;
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
    this.addController({ hostUpdate: () => this.beforeRender(), hostUpdated: () => this.afterRender() });
    this.addEventListener('keydown', this.onKeydown);
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
    const config = this.config();
    // the pre-join preview becomes the call's media (already allowed, devices chosen)
    if (this.session.state !== 'joined' && this.session.state !== 'reconnecting') config.media!.stream = this.media.takePreview();
    return this.session.join(config);
  }

  /**
   * Sends a chat message to everyone in the call (also without the `chat` panel, for a
   * page's own chat UI). Resolves once sent; the element then fires `chat-message` with
   * `self: true`. Rejects when not in a call, for empty text, or when sending more than
   * 5 messages at once (then 1 a second). Text is cleaned and cut to 500 characters.
   */
  sendChat(text: string): Promise<void> {
    return this.chatLog.send(text);
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
    this.unwatchLang = watchLang(this, () => this.requestUpdate());
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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatchLang?.();
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
      media: { audio: this.media.devices.constraints('microphone'), video: this.media.devices.constraints('camera') },
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

  /** Before each render: strings for the current language, and state changes seen once. */
  private beforeRender(): void {
    this.t = stringsFor(langOf(this), this.strings);
    if (this.internals) this.internals.ariaLabel = this.t.call;
    const state = this.session.state;
    if (state !== this.shownState) {
      // the tree under focus may go: remember whether focus was ours to put back
      // (not :focus-within, which Firefox does not match while its window is in the background)
      this.focusAfter ||= !!this.shadowRoot?.activeElement;
      this.onStateShown(this.shownState, state);
      this.shownState = state;
    }
    if (!this.chat && this.panel === 'chat') this.panel = null;
    // the pre-join preview starts with the pre-join screen (its first render shows "Starting camera…")
    if (this.showsPrejoin && this.isConnected) void this.media.startPreview().catch(() => {});
  }

  protected override render(): TemplateResult {
    const state = this.session.state;
    const inCall = state === 'joining' || state === 'joined' || state === 'reconnecting';
    const theme = this.theme === 'light' || this.theme === 'dark' ? this.theme : nothing;
    // the language's direction: Arabic or Hebrew mirror the layout, English stays left to right in an RTL page
    return html`<div class="frame" data-theme=${theme} dir=${this.t.dir}>
        ${inCall ? this.renderCall(state) : this.showsPrejoin ? this.renderPrejoin() : this.renderLobby(state)}
      </div>
      <div class="visually-hidden" role="status">${this.live[0]}</div>
      <div class="visually-hidden" role="status">${this.live[1]}</div>`;
  }

  private get showsPrejoin(): boolean {
    return this.session.state === 'idle' && !this.skipPrejoin && !this.autojoin;
  }

  private renderLobby(state: CallState): TemplateResult {
    const s = this.t;
    const error = state === 'error' ? this.session.error : null;
    const heading = error ? (s.errors[error.code] ?? error.viewerMessage) : state === 'left' ? s.left : s.call;
    return html`
      <div part="lobby" class="lobby" data-state=${state}>
        <div class="lobby-icon" aria-hidden="true">${error ? icons.alert : icons.camera}</div>
        <h2>${heading}</h2>
        ${error
          ? html`<div part="error" class="error" role="alert">
              <strong>${s.howToFix}</strong>${error.hint} <code>(${error.code})</code>
            </div>`
          : html`<p>${this.room ? s.room(this.room) : s.noRoom}</p>`}
        <slot name="lobby"></slot>
        <div part="controls" class="controls">
          <button part="button join-button" class="join" @click=${this.onJoinClick}>
            ${error ? s.tryAgain : state === 'left' ? s.rejoin : s.join}
          </button>
        </div>
      </div>
    `;
  }

  private renderPrejoin(): TemplateResult {
    const s = this.t;
    const m = this.media;
    const stream = m.stream;
    const hasVideo = !!stream?.getVideoTracks().length;
    return renderPrejoin({
      s,
      room: this.room,
      name: this.name || read(NAME_KEY) || '',
      preview: {
        ...this.localView(stream, hasVideo),
        status: m.previewPending ? s.cameraStarting : !hasVideo ? s.cameraOff : undefined,
      },
      toggles: this.mediaToggles(stream),
      devices: renderDeviceSelects(m.devices, stream, s, this.onChooseDevice),
      notice: m.previewNotice ? (s.errors[m.previewNotice.code] ?? m.previewNotice.viewerMessage) : null,
      onJoin: this.onPrejoinSubmit,
    });
  }

  private renderCall(state: CallState): TemplateResult {
    const s = this.t;
    const views = this.tileViews();
    const screens = views.filter(v => v.screen);
    const speaker =
      screens.length > 0 || this.layout === 'speaker' || (this.layout !== 'grid' && views.length > SPEAKER_LAYOUT_FROM);
    if (speaker) {
      // the spot: a shared screen (others' before ours), else who speaks, else the first other participant
      const main =
        screens.find(v => !v.local) ??
        screens[0] ??
        views.find(v => v.peerId === this.speaker.active && !v.screen) ??
        views.find(v => !v.local) ??
        views[0]!;
      main.main = true;
    }
    const alone = this.session.tiles.size === 0;
    const notice = this.session.notice;
    const count = this.session.tiles.size + 1;
    const chatOpen = this.chat && this.panel === 'chat';
    return html`
      <div class="main" ?data-panel=${!!this.panel}>
        <section
          part="stage"
          class="stage"
          data-layout=${speaker ? 'speaker' : 'grid'}
          data-count=${String(Math.min(speaker ? views.length - 1 : views.length, 13))}
          aria-label=${s.stage}
        >
          ${repeat(views, v => v.key, v => renderTile(v, s, this.onRemoteMedia))}
          ${alone && state === 'joined' ? html`<div part="empty" class="empty"><slot name="empty">${s.waiting}</slot></div>` : nothing}
        </section>
        ${chatOpen ? renderChat(this.chatLog.messages, s, this.onChatSubmit, this.closePanel) : nothing}
        ${this.panel === 'devices'
          ? renderDevicesPanel(renderDeviceSelects(this.media.devices, this.media.stream, s, this.onChooseDevice), s, this.closePanel)
          : nothing}
      </div>
      ${this.media.screenFailed
        ? html`<p part="notice" class="notice" role="status">${s.screenFailed}</p>`
        : notice
          ? html`<p part="notice" class="notice" role="status">${s.errors[notice.code] ?? notice.viewerMessage}</p>`
          : nothing}
      ${this.soundBlocked
        ? html`<button part="button unmute-button" class="unmute" @click=${this.onUnmuteClick}>${icons.sound}<span>${s.enableAudio}</span></button>`
        : nothing}
      ${renderBar({
        s,
        summary:
          state === 'joining'
            ? s.joining(this.room)
            : state === 'reconnecting'
              ? s.reconnecting
              : html`<strong>${this.room}</strong> · ${count === 1 ? s.waiting : s.participants(count)}`,
        toggles: [
          ...this.mediaToggles(this.media.stream),
          {
            part: 'screen-button',
            label: s.screen,
            on: !!this.media.screen,
            icon: icons.screen,
            key: 'S',
            onClick: this.onScreenClick,
            unavailable: MediaControls.canShareScreen ? (state === 'joined' ? undefined : s.connecting) : s.screenUnsupported,
          },
          ...(this.chat
            ? [{ part: 'chat-button', label: s.chat, on: chatOpen, icon: icons.chat, key: 'C', onClick: this.onChatClick, badge: this.chatLog.unread, badgeLabel: s.unread }]
            : []),
          { part: 'devices-button', label: s.devices, on: this.panel === 'devices', icon: icons.devices, onClick: this.onDevicesClick },
        ],
        leaveLabel: state === 'joining' ? s.cancel : s.leave,
        onLeave: this.onLeaveClick,
      })}
    `;
  }

  /** Microphone and camera toggles (pre-join and in the call). */
  private mediaToggles(stream: MediaStream | null): ToggleView[] {
    const s = this.t;
    const m = this.media;
    const hasAudio = !!stream?.getAudioTracks().length;
    const hasVideo = !!stream?.getVideoTracks().length;
    const none = (has: boolean) => (has || !stream ? undefined : this.t.errors['no-camera']);
    return [
      { part: 'mic-button', label: s.microphone, on: m.micOn && hasAudio, icon: m.micOn && hasAudio ? icons.mic : icons.micOff, key: 'M', onClick: this.onMicClick, unavailable: none(hasAudio) },
      { part: 'camera-button', label: s.camera, on: m.camOn && hasVideo, icon: m.camOn && hasVideo ? icons.camera : icons.cameraOff, key: 'V', onClick: this.onCameraClick, unavailable: none(hasVideo) },
    ];
  }

  private localView(stream: MediaStream | null, hasVideo: boolean): TileView {
    const m = this.media;
    const showVideo = hasVideo && m.camOn;
    return {
      key: 'local',
      peerId: this.session.localPeerId ?? '',
      local: true,
      screen: false,
      stream,
      name: cleanName(this.name), // exactly what the others are told
      showVideo,
      audioOff: !m.micOn || !stream?.getAudioTracks().length,
      videoOff: !showVideo,
      speaking: this.speaker.speaking.has('local'),
      main: false,
      connection: 'connected',
    };
  }

  /** Everyone's tiles: others first, then us, then shared screens. */
  private tileViews(): TileView[] {
    const s = this.t;
    const views: TileView[] = [];
    const screens: TileView[] = [];
    for (const tile of this.session.tiles.values()) {
      const name = this.session.names.get(tile.peerId) ?? '';
      const state = this.remoteStates.get(tile.peerId);
      const video = tile.stream?.getVideoTracks().find(t => t.readyState === 'live');
      const showVideo = !!video && !video.muted && state?.video !== false;
      const connection = tile.connection === 'unreachable' ? 'failed' : tile.connection;
      views.push({
        key: tile.peerId,
        peerId: tile.peerId,
        local: false,
        screen: false,
        stream: tile.stream,
        name,
        showVideo,
        audioOff: state?.audio === false,
        videoOff: !showVideo,
        speaking: this.speaker.speaking.has(tile.peerId),
        main: false,
        connection,
      });
      if (tile.screen && state?.screen !== false) {
        screens.push({ ...views[views.length - 1]!, key: `screen:${tile.peerId}`, screen: true, stream: tile.screen, showVideo: true, videoOff: false, speaking: false });
      }
    }
    const stream = this.media.stream;
    const state = this.session.state;
    const hasVideo = !!stream?.getVideoTracks().some(t => t.readyState === 'live');
    const local = this.localView(stream, hasVideo);
    if (state === 'joining') local.status = stream ? undefined : s.cameraStarting;
    else if (!hasVideo) local.status = this.session.mediaMode === 'audio-only' ? s.audioOnly : s.cameraOff;
    views.push(local);
    if (this.media.screen) {
      screens.push({ ...local, key: 'screen:local', screen: true, stream: this.media.screen, showVideo: true, videoOff: false, speaking: false, status: undefined });
    }
    return [...views, ...screens];
  }

  // ---------------------------------------------------------------- the call experience

  /** Reacts once to each state the element shows (announcements, per-call resets). */
  private onStateShown(from: CallState, to: CallState): void {
    const s = this.t;
    if (to === 'joined' && from === 'joining') {
      this.chatLog.clear();
      this.media.apply(); // the visitor's microphone/camera choices hold in the call
      this.announce(s.youJoined);
    } else if (to === 'reconnecting') this.announce(s.reconnecting);
    else if (to === 'left') this.announce(s.youLeft);
    else if (to === 'error' && this.session.error) this.announce(s.errors[this.session.error.code] ?? this.session.error.viewerMessage);
    if (to !== 'joined' && to !== 'reconnecting') {
      this.remoteStates.clear();
      this.panel = null;
      // no timer outlives the call (each one holds the element)
      for (const timer of this.pendingJoins.values()) clearTimeout(timer);
      this.pendingJoins.clear();
      if (this.stateTimer) clearTimeout(this.stateTimer);
      this.stateTimer = null;
      this.statePending = false;
    }
    if (to !== 'idle') this.media.stopPreview();
  }

  /** After each render: read-only state attributes, the preview, focus, the chat's scroll. */
  private afterRender(): void {
    const m = this.media;
    // off by the visitor's choice, or a stream without that kind of track; an element with
    // no media yet (idle, no preview) is neither muted nor camera-off
    const stream = m.stream;
    this.toggleAttribute('muted', !m.micOn || (!!stream && !stream.getAudioTracks().length));
    this.toggleAttribute('camera-off', !m.camOn || (!!stream && !stream.getVideoTracks().length));
    this.toggleAttribute('sharing', m.state.screen);
    const active = this.speaker.active;
    if (active) this.setAttribute('active-speaker', active);
    else this.removeAttribute('active-speaker');
    if (this.focusAfter) {
      this.focusAfter = false;
      // only when what had focus is gone (a kept button keeps it)
      if (!this.shadowRoot?.activeElement) this.renderRoot.querySelector<HTMLElement>(FOCUS_TARGET[this.session.state])?.focus();
    }
    const log = this.renderRoot.querySelector('.messages');
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** Tells everyone what we send (microphone, camera, screen); coalesced to one message per 500 ms. */
  private sendState(): void {
    const peer = this.session.sdkPeer;
    if (!peer || this.session.state !== 'joined') return;
    if (this.stateTimer) {
      this.statePending = true;
      return;
    }
    peer.send(stateMessage(this.media.state)).catch(() => {});
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      if (this.statePending) {
        this.statePending = false;
        this.sendState();
      }
    }, 500);
  }

  /** A message from another participant that is not `introduce`: state or chat, or dropped. */
  private onCallMessage(senderPeerId: string, data: unknown): void {
    const message = parseCallMessage(data);
    // only participants we see in the room: the map stays as small as the room
    if (!message || !this.session.tiles.has(senderPeerId)) return;
    if (message.type === 'state') {
      const before = this.remoteStates.get(senderPeerId);
      this.remoteStates.set(senderPeerId, message);
      if (message.screen && !before?.screen) this.announce(this.t.presenting(this.nameOf(senderPeerId)));
      this.requestUpdate();
    } else {
      this.chatLog.receive(senderPeerId, message.text);
      if (this.panel !== 'chat') this.announce(this.t.newMessage(this.nameOf(senderPeerId)));
    }
  }

  private nameOf(peerId: string | null): string {
    if (peerId === null) return cleanName(this.name);
    return this.session.names.get(peerId) ?? this.knownNames.get(peerId) ?? this.t.guest;
  }

  /** Polite announcements through two alternating live regions (the same text twice is still announced). */
  private announce(text: string): void {
    this.live = this.live[0] ? ['', text] : [text, ''];
    this.requestUpdate();
  }

  private onPeerJoined(peerId: string): void {
    this.sendState(); // the newcomer learns our state (as with introduce)
    // the name comes with `introduce`; announce then, or as a guest if it never comes
    this.pendingJoins.set(
      peerId,
      setTimeout(() => this.announceJoin(peerId), 3000),
    );
  }

  private onIntroduce(peerId: string, username: string): void {
    if (this.knownNames.size < 256 || this.knownNames.has(peerId)) this.knownNames.set(peerId, username);
    if (this.pendingJoins.has(peerId)) this.announceJoin(peerId);
  }

  private announceJoin(peerId: string): void {
    clearTimeout(this.pendingJoins.get(peerId));
    this.pendingJoins.delete(peerId);
    if (this.session.tiles.has(peerId)) this.announce(this.t.peerJoined(this.nameOf(peerId)));
  }

  private onPeerLeft(peerId: string): void {
    this.remoteStates.delete(peerId);
    const wasAnnounced = !this.pendingJoins.has(peerId);
    clearTimeout(this.pendingJoins.get(peerId));
    this.pendingJoins.delete(peerId);
    if (wasAnnounced) this.announce(this.t.peerLeft(this.nameOf(peerId)));
    this.knownNames.delete(peerId);
  }

  /** Audio to measure for the active speaker: everyone's microphone while in a call. */
  private audioTracks(): Map<string, MediaStreamTrack> {
    const tracks = new Map<string, MediaStreamTrack>();
    const state = this.session.state;
    if (state !== 'joined' && state !== 'reconnecting') return tracks;
    for (const tile of this.session.tiles.values()) {
      const track = tile.stream?.getAudioTracks()[0];
      if (track) tracks.set(tile.peerId, track);
    }
    const own = this.session.localStream?.getAudioTracks()[0];
    if (own) tracks.set('local', own);
    return tracks;
  }

  // ---------------------------------------------------------------- handlers

  private readonly onJoinClick = () => {
    this.speaker.resume();
    this.join().catch(() => {}); // shown in the element and as an `error` event
  };

  private readonly onPrejoinSubmit = (e: Event) => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement | null;
    const name = cleanName(input?.value ?? '');
    if (name) write(NAME_KEY, name);
    this.name = name;
    this.onJoinClick();
  };

  private readonly onLeaveClick = () => {
    void this.leave();
  };

  private readonly onMicClick = () => this.media.toggleMic();
  private readonly onCameraClick = () => this.media.toggleCamera();
  private readonly onScreenClick = () => void this.media.toggleScreen();
  private readonly onChatClick = () => this.openPanel('chat');
  private readonly onDevicesClick = () => {
    this.openPanel('devices');
    if (this.panel) void this.media.devices.refresh();
  };

  private openPanel(panel: 'chat' | 'devices'): void {
    this.panel = this.panel === panel ? null : panel;
    if (this.panel === 'chat') this.chatLog.unread = 0;
    this.chatLog.open = this.panel === 'chat';
    this.requestUpdate();
    // into the panel: its first field (the message box, the first picker)
    if (this.panel) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.panel input, .panel select')?.focus());
  }

  private readonly closePanel = () => {
    const was = this.panel;
    this.panel = null;
    this.chatLog.open = false;
    this.requestUpdate();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[part~="${was}-button"]`)?.focus());
  };

  private readonly onChooseDevice = (kind: DeviceKind, id: string) => {
    this.media.switchDevice(kind, id).catch((err: unknown) => console.warn(`<metered-call> could not switch ${kind}: ${(err as Error)?.message}`));
  };

  private readonly onChatSubmit = (e: Event) => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('text') as HTMLInputElement;
    const text = input.value;
    this.sendChat(text).then(
      () => {
        if (input.value === text) input.value = '';
      },
      () => {},
    );
  };

  /** Keyboard shortcuts while focus is in the element (never while typing): M, V, S, C, Escape. */
  private readonly onKeydown = (e: KeyboardEvent) => {
    const target = e.composedPath()[0] as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || /^(INPUT|TEXTAREA|SELECT)$/.test(target?.tagName) || target?.isContentEditable) {
      if (e.key === 'Escape' && this.panel) this.closePanel();
      return;
    }
    const state = this.session.state;
    const inCall = state === 'joining' || state === 'joined' || state === 'reconnecting';
    if (!inCall && !this.showsPrejoin) return;
    const action = (
      {
        m: this.onMicClick,
        v: this.onCameraClick,
        s: inCall ? this.onScreenClick : null,
        c: inCall && this.chat ? this.onChatClick : null,
        escape: this.panel ? this.closePanel : null,
      } as Record<string, (() => void) | null>
    )[e.key.toLowerCase()];
    if (!action) return;
    e.preventDefault();
    action();
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
    for (const video of this.renderRoot.querySelectorAll<HTMLVideoElement>('.remote:not([data-screen]) video')) {
      video.muted = false;
      void video.play().catch(() => {});
    }
    this.speaker.resume();
    this.soundBlocked = false;
    this.requestUpdate();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="mic-button"]')?.focus());
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
