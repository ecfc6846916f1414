// <metered-call>: the API contract (the JSDoc below is the documentation: it becomes
// custom-elements.json and the tables of docs/api.md), the properties, and the composition of
// the parts that do the work: the call engine (src/call/), reactive controllers that adapt
// it to the element (src/controllers/), and the view model and render functions (src/ui/).
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { ActiveSpeaker } from './controllers/active-speaker.js';
import { Announcer } from './controllers/announcer.js';
import { AutoplayUnblock } from './controllers/autoplay.js';
import { CallSession, type CallConfig } from './call/call-session.js';
import { DEFAULT_MAX_PEERS } from './call/resilience.js';
import { inCall, inRoom, type CallState, type ResilienceOptions } from './types.js';
import { PageLifecycle } from './controllers/page-lifecycle.js';
import { SendQualityController } from './controllers/send-quality.js';
import { Chat } from './call/chat.js';
import { read, write, type DeviceKind } from './controllers/devices.js';
import { Devices, MediaControls } from './controllers/media-controls.js';
import { MediaStateSync } from './controllers/media-state-sync.js';
import { Panels } from './controllers/panels.js';
import type { MeteredCallTokenProvider } from './call/token.js';
import type { MeteredCallEvent, MeteredCallEventDetails } from './events.js';
import { en } from './i18n/en.js';
import { langOf, stringsFor, watchLang } from './i18n/localize.js';
import type { StringOverrides, Strings } from './i18n/strings.js';
import { styles } from './metered-call.styles.js';
import { cleanName, type PeerMessage } from './protocol/messages.js';
import { renderCall } from './ui/call.js';
import { renderChat } from './ui/chat.js';
import { renderBar, renderDeviceSelects, renderDevicesPanel, type ToggleActions } from './ui/controls.js';
import { renderLobby } from './ui/lobby.js';
import { renderPrejoin } from './ui/prejoin.js';
import { callTiles, callToggles, chooseLayout, localTile, mediaToggles, type LocalParticipant } from './ui/view-model.js';
import { VERSION } from './version.js';
import { Interactions, type Announcement, type InteractionChannel } from './call/interactions.js';
import { ConnectionQuality } from './controllers/connection-quality.js';
import { REACTION_EMOJI, type ReactionKey } from './protocol/interaction-messages.js';
import { qualityOf, renderPeople, renderReactionPicker } from './ui/social.js';
import type { Social } from './ui/view-model.js';
// speaker, microphone processing, PiP and fullscreen, call timer, leave question (issue 15)
import { CallClock } from './controllers/call-clock.js';
import { LeaveConfirm } from './controllers/leave-confirm.js';
import { MicProcessing } from './controllers/mic-processing.js';
import { SpeakerOutput } from './controllers/speaker-output.js';
import { canFullscreen, canPictureInPicture, pipTileKey, WindowModes } from './controllers/window-modes.js';
import { renderLeaveConfirm, renderProcessingSwitches, renderSpeakerSelect, renderTimer } from './ui/call-extras.js';
import type { TileView, ToggleState } from './ui/view-model.js';

const warnedTags = new Set<string>();
/** Hands, reactions and quality reports go to the room as broadcasts of the session's peer. */
const channelOf = (session: CallSession): InteractionChannel => ({
  send: message => session.sdkPeer?.send(message) ?? Promise.reject(new Error('not in a call')),
  get selfId() {
    return session.localPeerId;
  },
});
/** Where this visitor's name is remembered (per site: localStorage is per origin). */
const NAME_KEY = 'metered-call:name';

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
 * @fires {CustomEvent<{ peerId: string; raised: boolean; self: boolean }>} hand-raised - A participant raised (`raised: true`) or lowered their hand; `self: true` for this participant's own (the Raise hand button).
 * @fires {CustomEvent<{ peerId: string; reaction: ReactionKey; emoji: string; self: boolean }>} reaction - A participant sent a reaction, by key from a fixed set (`thumbs-up`, `clap`, `laugh`, `heart`, `surprised`, `party`; `emoji` is what their tile shows for 4 s); `self: true` for this participant's own. At most 4 at once per sender, then 1 a second.
 * @fires {CustomEvent<{ peerId: string; quality: 'good' | 'fair' | 'poor'; reasons: QualityReason[]; self: boolean }>} quality-change - The measured quality of the connection to a participant changed, or (`self: true`, this participant's peer id) of this participant's upload; also when its reasons change (`reasons`: metric, level, value and unit, the worst first; empty when good).
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
 * @csspart hand-raised - Modifier of the tile of someone whose hand is up.
 * @csspart hand - The raised-hand mark next to a name (tile and people panel).
 * @csspart quality - The connection quality mark next to a name (`data-level` good, fair or poor; the tile's `title` gives the reasons).
 * @csspart reaction - A reaction shown briefly on the sender's tile.
 * @csspart hand-button - Raises and lowers this participant's hand (`aria-pressed="true"` while up).
 * @csspart reactions-button - Opens the reaction picker.
 * @csspart reaction-picker - The reactions to choose from.
 * @csspart reaction-button - One reaction in the picker.
 * @csspart people-button - Opens and closes the people panel.
 * @csspart people - The people panel: everyone in the call with their microphone, camera, hand and connection quality.
 * @csspart people-list - The list in the people panel.
 * @csspart person - One participant in the people panel (also `self` for this participant).
 * @csspart speaker-select - The speaker (audio output) picker in the device panel (also `device-select`); shown where the browser lets a page choose the output.
 * @csspart switch - A microphone processing switch in the device panel (also one of the three below); shown for what the browser supports, checked as it applied it.
 * @csspart noise-suppression-switch - The noise suppression switch.
 * @csspart echo-cancellation-switch - The echo cancellation switch.
 * @csspart auto-gain-switch - The automatic gain switch.
 * @csspart pip-button - Shows the active speaker (or a shared screen) in picture-in-picture; only where the browser offers it.
 * @csspart fullscreen-button - Shows the element in fullscreen; only where the browser allows it.
 * @csspart timer - The elapsed call time, at the top of the stage (with `show-timer`).
 * @csspart leave-confirm - The "Leave the call?" question (with `confirm-leave`).
 * @csspart cancel-button - The question's Cancel button (also Escape).
 * @csspart confirm-button - The question's Leave button.
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

  /** Shows how long this participant has been in the call, at the top of the stage (kept through reconnections). */
  @property({ type: Boolean, attribute: 'show-timer' }) showTimer = false;

  /** The Leave button asks "Leave the call?" first (Escape or Cancel stays). `leave()` never asks. */
  @property({ type: Boolean, attribute: 'confirm-leave' }) confirmLeave = false;

  private readonly session = new CallSession(this, {
    onStateChange: state => this.reflectState(state),
    onMessage: (peerId, message) => this.onPeerMessage(peerId, message),
    onPeerJoined: peerId => {
      this.mediaStates.send(); // the newcomer learns our media state (as with introduce)
      this.interactions.peerJoined(); // and our hand, if up, and our upload quality
      this.announcer.peerJoined(peerId);
      const pc = this.session.connections.get(peerId) ?? null;
      this.sendQuality.onConnection(peerId, pc, this.session.tiles.size + 1);
      this.quality.onConnection(peerId, pc);
    },
    onIntroduce: peerId => this.announcer.introduced(peerId),
    onPeerLeft: peerId => {
      this.mediaStates.forget(peerId);
      this.interactions.peerLeft(peerId);
      this.announcer.peerLeft(peerId);
      this.sendQuality.onConnection(peerId, null, this.session.tiles.size + 1);
      this.quality.onConnection(peerId, null);
    },
    // a repair replaces one seated participant's connection: the media policy follows it
    onConnection: (peerId, pc, change) => {
      if (!this.session.tiles.has(peerId)) return;
      const live = change === 'created' ? pc : null;
      this.sendQuality.onConnection(peerId, live, this.session.tiles.size + 1);
      this.quality.onConnection(peerId, live);
    },
  });
  /** What we send each participant (room size, their view, CPU); protected: read by tests and the bench. */
  protected readonly sendQuality = new SendQualityController(this, {
    localPeerId: () => this.session.localPeerId,
    send: message => void this.session.sdkPeer?.send(message).catch(() => {}),
    keepsQuality: track => !!this.media.screen?.getTracks().includes(track),
  });
  /** Remote video tracks that have delivered (been unmuted) at least once. */
  private readonly unmutedOnce = new WeakSet<MediaStreamTrack>();
  private readonly media = new MediaControls(this, this.session, new Devices(this), () => this.mediaStates.send());
  private readonly mediaStates = new MediaStateSync(this, this.session, () => this.media.mediaState);
  private readonly speaker = new ActiveSpeaker(this, () => this.audioTracks(), (peerId, track) => this.sendQuality.receiverOf(peerId, track));
  private readonly chatLog = new Chat(this, this.session, id => (id === null ? cleanName(this.name) : this.nameOf(id)));
  private readonly announcer = new Announcer(this, () => this.t, id => this.nameOf(id), id => this.session.tiles.has(id), () => inRoom(this.session.state));
  private readonly panels = new Panels(
    this,
    () => ({ state: this.session.state, prejoin: this.showsPrejoin, chat: this.chat, actions: this.toggleActions }),
    open => {
      if (open === 'chat') this.chatLog.unread = 0;
      this.chatLog.open = open === 'chat';
    },
  );
  // raised hands, reactions, connection quality (call/interactions.ts, controllers/connection-quality.ts)
  private readonly interactions = new Interactions(
    this,
    channelOf(this.session),
    what => this.announceInteraction(what),
  );
  private readonly quality = new ConnectionQuality(this, () => this.session.localPeerId, level => this.interactions.reportOwnQuality(level));
  private readonly autoplay = new AutoplayUnblock(this, () => this.speaker.resume());
  private readonly speakerOutput = new SpeakerOutput(this);
  private readonly micProcessing = new MicProcessing(this, this.session, () => this.media.stream);
  /** The tile PiP shows, chosen at each render of the call. */
  private pipKey: string | null = null;
  private readonly windowModes = new WindowModes(this, () => this.pipKey);
  private readonly clock = new CallClock(this, () => this.session.state, () => this.showTimer);
  private readonly leaveConfirm = new LeaveConfirm(this, () => this.confirmLeave && inRoom(this.session.state), () => void this.leave());
  /** `pagehide` leaves the room (others see peer-left at once); bfcache restore rejoins. */
  protected readonly pageLifecycle = new PageLifecycle(this);
  private t: Strings = en;
  private shownState: CallState = 'idle';
  private unwatchLang: (() => void) | null = null;
  private readonly internals: ElementInternals | null;
  private autojoinArmed = true;

  constructor() {
    super();
    this.internals = typeof this.attachInternals === 'function' ? this.attachInternals() : null;
    if (this.internals) {
      this.internals.role = 'region';
      this.internals.ariaLabel = 'Video call';
    }
    this.addController({ hostUpdate: () => this.beforeRender(), hostUpdated: () => this.afterRender() });
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
    if (!inRoom(this.session.state)) config.media!.stream = this.media.takePreview();
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
    if (!inCall(this.session.state)) this.autojoinArmed = true;
    this.maybeAutojoin();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('name')) this.session.setName(this.name);
    if (changed.has('room') && inCall(this.session.state) && this.config().room !== this.session.room) {
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

  // ---------------------------------------------------------------- what happens in the call

  /** A validated `state` or `chat` message from another participant (the session parsed it). */
  private onPeerMessage(peerId: string, message: PeerMessage): void {
    // only participants we see in the room
    if (!this.session.tiles.has(peerId)) return;
    if (message.type === 'view') this.sendQuality.onView(peerId, message);
    else if (message.type === 'state') {
      if (this.mediaStates.receive(peerId, message)) this.announcer.announce(this.t.presenting(this.nameOf(peerId)));
    } else if (message.type === 'chat') {
      this.chatLog.receive(peerId, message.text);
      if (this.panels.open !== 'chat') this.announcer.announce(this.t.newMessage(this.nameOf(peerId)));
    } else if (message.type === 'hand' || message.type === 'reaction' || message.type === 'quality') this.interactions.receive(peerId, message);
  }

  /** Another participant's hand went up or down, or they reacted: said in the live region. */
  private announceInteraction(what: Announcement): void {
    const s = this.t;
    const name = this.nameOf(what.peerId);
    this.announcer.announce(what.kind === 'reaction' ? s.reacted(name, REACTION_EMOJI[what.reaction]) : (what.raised ? s.handRaised : s.handLowered)(name));
  }

  /** A tile's hand, reaction and quality: ours (`null`) or a participant's. */
  private socialOf(peerId: string | null): Social {
    const i = this.interactions;
    const id = peerId ?? this.session.localPeerId ?? '';
    const reaction = i.reactions.showing(id);
    return {
      hand: peerId === null ? i.hands.mine : i.hands.isRaised(peerId),
      reaction: reaction && REACTION_EMOJI[reaction],
      ...qualityOf(this.quality.report(peerId), peerId === null ? undefined : i.reportedQuality.get(peerId), this.t),
    };
  }

  /** A participant's name: the one they introduced (the session's map of names), else "Guest". */
  private nameOf(peerId: string): string {
    return this.session.names.get(peerId) ?? this.t.guest;
  }

  /** Reacts once to each state the element shows (announcements, per-call resets). */
  private onStateShown(from: CallState, to: CallState): void {
    const s = this.t;
    if (to === 'joined' && from === 'joining') {
      this.chatLog.clear();
      this.media.apply(); // the visitor's microphone/camera choices hold in the call
      this.announcer.announce(s.youJoined);
    } else if (to === 'joined' && from === 'reconnecting') {
      // back under a new peer id: tell everyone our media state again (it also marks us as
      // an element, not a plain SDK page, for their recovery: call/peer-recovery.ts)
      this.mediaStates.send();
    } else if (to === 'reconnecting') this.announcer.announce(s.reconnecting);
    else if (to === 'left') this.announcer.announce(s.youLeft);
    else if (to === 'error' && this.session.error) this.announcer.announce(s.errors[this.session.error.code] ?? this.session.error.viewerMessage);
    if (!inRoom(to)) {
      this.panels.reset();
      this.sendQuality.stop();
      this.quality.stop();
      this.interactions.clear();
    } else this.quality.start();
    if (to !== 'idle') this.media.stopPreview();
  }

  /** Audio to measure for the active speaker: everyone's microphone while in the room. */
  private audioTracks(): Map<string, MediaStreamTrack> {
    const tracks = new Map<string, MediaStreamTrack>();
    if (!inRoom(this.session.state)) return tracks;
    for (const tile of this.session.tiles.values()) {
      const track = tile.stream?.getAudioTracks()[0];
      if (track) tracks.set(tile.peerId, track);
    }
    const own = this.session.localStream?.getAudioTracks()[0];
    if (own) tracks.set('local', own);
    return tracks;
  }

  // ---------------------------------------------------------------- rendering

  /** Before each render: strings for the current language, and state changes seen once. */
  private beforeRender(): void {
    this.t = stringsFor(langOf(this), this.strings);
    if (this.internals) this.internals.ariaLabel = this.t.call;
    const state = this.session.state;
    if (state !== this.shownState) {
      this.panels.stateChanging();
      this.onStateShown(this.shownState, state);
      this.shownState = state;
    }
    if (!this.chat && this.panels.open === 'chat') this.panels.reset();
    // the pre-join preview starts with the pre-join screen (its first render shows "Starting camera…")
    if (this.showsPrejoin && this.isConnected) void this.media.startPreview().catch(() => {});
  }

  /** After each render: the read-only state attributes and the chat's scroll (focus: controllers/panels.ts). */
  private afterRender(): void {
    const m = this.media;
    // off by the visitor's choice, or a stream without that kind of track; an element with
    // no media yet (idle, no preview) is neither muted nor camera-off
    const stream = m.stream;
    this.toggleAttribute('muted', !m.micOn || (!!stream && !stream.getAudioTracks().length));
    this.toggleAttribute('camera-off', !m.camOn || (!!stream && !stream.getVideoTracks().length));
    this.toggleAttribute('sharing', m.mediaState.screen);
    const active = this.speaker.active;
    if (active) this.setAttribute('active-speaker', active);
    else this.removeAttribute('active-speaker');
    const log = this.renderRoot.querySelector('.messages');
    if (log) log.scrollTop = log.scrollHeight;
  }

  protected override render(): TemplateResult {
    const state = this.session.state;
    const theme = this.theme === 'light' || this.theme === 'dark' ? this.theme : nothing;
    const screen = inCall(state)
      ? this.renderCall(state)
      : this.showsPrejoin
        ? this.renderPrejoin()
        : renderLobby({ s: this.t, state, room: this.room, error: state === 'error' ? this.session.error : null, onJoin: this.onJoinClick });
    // the language's direction: Arabic or Hebrew mirror the layout, English stays left to right in an RTL page
    return html`<div class="frame" data-theme=${theme} dir=${this.t.dir}>${screen}</div>
      ${this.announcer.render()}`;
  }

  private get showsPrejoin(): boolean {
    return this.session.state === 'idle' && !this.skipPrejoin && !this.autojoin;
  }

  private me(stream: MediaStream | null, social?: Social): LocalParticipant {
    return {
      social,
      peerId: this.session.localPeerId ?? '',
      name: this.name,
      stream,
      screen: this.media.screen,
      micOn: this.media.micOn,
      camOn: this.media.camOn,
      speaking: this.speaker.speaking.has('local'),
    };
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
        ...localTile(this.me(stream), hasVideo),
        status: m.previewPending ? s.cameraStarting : !hasVideo ? s.cameraOff : undefined,
      },
      toggles: mediaToggles(stream, m.micOn, m.camOn, s.errors['no-camera']),
      actions: this.toggleActions,
      devices: renderDeviceSelects(m.devices, stream, s, this.onChooseDevice),
      notice: m.previewNotice ? (s.errors[m.previewNotice.code] ?? m.previewNotice.viewerMessage) : null,
      onJoin: this.onPrejoinSubmit,
    });
  }

  private renderCall(state: CallState): TemplateResult {
    const s = this.t;
    const m = this.media;
    const session = this.session;
    const remotes = [...session.tiles.values()].map(tile => {
      const video = tile.stream?.getVideoTracks().find(t => t.readyState === 'live');
      if (video && !video.muted) this.unmutedOnce.add(video);
      return {
        tile,
        name: session.names.get(tile.peerId) ?? '',
        mediaState: this.mediaStates.of(tile.peerId),
        speaking: this.speaker.speaking.has(tile.peerId),
        send: this.sendQuality.sendTo(tile.peerId),
        videoDelivered: !!video && this.unmutedOnce.has(video),
        social: this.socialOf(tile.peerId),
      };
    });
    const sendTier = session.tiles.size > 0 ? this.sendQuality.policy.tier.name : undefined;
    const tiles = callTiles(remotes, this.me(m.stream, this.socialOf(null)), { state, audioOnly: session.mediaMode === 'audio-only', sendTier }, s);
    const panel = this.panels.open;
    const count = session.tiles.size + 1;
    const notice = m.screenFailed ? s.screenFailed : session.notice ? (s.errors[session.notice.code] ?? session.notice.viewerMessage) : null;
    return renderCall({
      s,
      stage: chooseLayout(tiles, this.layout, this.speaker.active),
      alone: session.tiles.size === 0 && state === 'joined',
      timer: this.showTimer && this.clock.elapsed !== null ? renderTimer(this.clock.elapsed, langOf(this), s) : null,
      panel:
        panel === 'chat' && this.chat
          ? renderChat(this.chatLog.messages, s, this.onChatSubmit, this.panels.close)
          : panel === 'devices'
            ? renderDevicesPanel(
                html`${renderDeviceSelects(m.devices, m.stream, s, this.onChooseDevice)}
                ${renderSpeakerSelect(this.speakerOutput.outputs, this.speakerOutput.chosen, s, this.speakerOutput.choose)}
                ${renderProcessingSwitches(this.micProcessing.settings, this.micProcessing.busy, s, this.micProcessing.set)}`,
                s,
                this.panels.close,
              )
            : panel === 'people'
              ? renderPeople(tiles, this.interactions.hands.queue(), s, this.panels.close)
              : null,
      notice,
      soundBlocked: this.autoplay.blocked,
      onUnmute: this.autoplay.unmute,
      onRemoteMedia: this.autoplay.onRemoteMedia,
      bar: renderBar({
        s,
        summary:
          state === 'joining'
            ? s.joining(this.room)
            : state === 'reconnecting'
              ? s.reconnecting
              : html`<strong>${this.room}</strong> · ${count === 1 ? s.waiting : s.participants(count)}`,
        toggles: [
          ...callToggles({
          state,
          stream: m.stream,
          micOn: m.micOn,
          camOn: m.camOn,
          sharing: !!m.screen,
          canShareScreen: MediaControls.canShareScreen,
          chat: this.chat,
          panel,
          unread: this.chatLog.unread,
          hand: this.interactions.hands.mine,
          texts: { noDevice: s.errors['no-camera'], connecting: s.connecting, screenUnsupported: s.screenUnsupported },
          }),
          ...this.windowToggles(tiles),
        ],
        actions: this.toggleActions,
        leaveLabel: state === 'joining' ? s.cancel : s.leave,
        onLeave: this.leaveConfirm.request,
        picker: panel === 'reactions' && state === 'joined' ? renderReactionPicker(s, this.onReact) : null,
        confirm: this.leaveConfirm.asking ? renderLeaveConfirm(s, this.leaveConfirm.confirm, this.leaveConfirm.cancel, this.leaveConfirm.onKeydown) : null,
      }),
    });
  }

  /** Picture-in-picture and fullscreen, where the browser offers them; PiP needs another participant's video. */
  private windowToggles(tiles: TileView[]): ToggleState[] {
    this.pipKey = pipTileKey(tiles, this.speaker.active);
    const w = this.windowModes;
    return [
      ...(canPictureInPicture() ? [{ kind: 'pip' as const, on: w.pip, unavailable: this.pipKey || w.pip ? undefined : this.t.noVideo }] : []),
      ...(canFullscreen(this) ? [{ kind: 'fullscreen' as const, on: w.fullscreen }] : []),
    ];
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

  private readonly toggleActions: ToggleActions = {
    mic: () => this.media.toggleMic(),
    camera: () => this.media.toggleCamera(),
    screen: () => void this.media.toggleScreen(),
    chat: () => this.panels.toggle('chat'),
    devices: () => {
      this.panels.toggle('devices');
      if (this.panels.open) void this.media.devices.refresh().then(this.speakerOutput.refresh);
    },
    hand: () => void this.interactions.raiseHand(!this.interactions.hands.mine).catch(() => {}),
    reactions: () => this.panels.toggle('reactions'),
    people: () => this.panels.toggle('people'),
    pip: () => void this.windowModes.togglePip(),
    fullscreen: () => void this.windowModes.toggleFullscreen(),
  };

  /** A reaction chosen in the picker: sent (unless we send too fast), the picker closed. */
  private readonly onReact = (reaction: ReactionKey) => {
    void this.interactions.react(reaction).catch(() => {});
    this.panels.close();
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
