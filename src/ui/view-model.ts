// The pure view model of the call screen: who gets a tile and what each tile shows, which
// layout the stage takes, and the state of each toggle. Plain data in, plain data out —
// no Lit, no DOM, no timers — so it is unit-tested in Node (test/unit/view-model.test.ts);
// the render functions beside it turn the result into templates.
import type { CallState, RemoteTile } from '../types.js';
import type { MediaState } from '../protocol/messages.js';
import { cleanName } from '../protocol/messages.js';
import type { QualityLevel } from '../protocol/vocabulary.js';

/** A participant's hand, reaction and connection quality, as their camera tile and the people panel show them. */
export interface Social {
  hand: boolean;
  /** The emoji shown now, briefly. */
  reaction: string | null;
  quality: QualityLevel | null;
  /** The level and its reasons, as words (the tile's title). */
  qualityTitle: string;
}

/** The stage sizes its grid for at most this many tiles (styles: `.stage[data-count]`); more share the last row sizes. */
export const MAX_COUNTED_TILES = 13;
/** Without `layout`, rooms larger than this get the speaker layout. */
export const SPEAKER_LAYOUT_FROM = 9;

export type TileConnection = 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** One tile as rendered (ui/tile.ts). */
export interface TileView {
  /** Stable key: `local`, a peer id, or `screen:` + either. */
  key: string;
  peerId: string;
  local: boolean;
  screen: boolean;
  stream: MediaStream | null;
  /** The participant's name as shown (already cleaned); `''` when unknown. */
  name: string;
  showVideo: boolean;
  audioOff: boolean;
  videoOff: boolean;
  speaking: boolean;
  main: boolean;
  connection: TileConnection;
  /** A status line instead of a connection badge (e.g. "Starting camera…"). */
  status?: string;
  /** Remote tiles: the video we send this participant (`full`…`minimal`, or `paused`: they do not show us). */
  send?: string;
  /** Our tile in a call: the quality tier we send at now (room size and CPU pressure). */
  quality?: string;
  /**
   * A remote video whose connection is still coming up: laid out (not `hidden`) behind the
   * initials, so its first frame shows the moment it is decoded, not a render after the
   * track unmutes (a `display: none` video presents no frame).
   */
  warming?: boolean;
  /** Camera tiles in a call: hand, reaction, connection quality. */
  social?: Social;
}

/** This participant as the element knows them: their stream and their microphone/camera wishes. */
export interface LocalParticipant {
  peerId: string;
  /** The name as typed; shown exactly as the others are told it (cleaned). */
  name: string;
  stream: MediaStream | null;
  screen: MediaStream | null;
  micOn: boolean;
  camOn: boolean;
  speaking: boolean;
  social?: Social;
}

export interface RemoteParticipant {
  tile: RemoteTile;
  /** Their introduced name, `''` until they say it. */
  name: string;
  /** What they told us they send; `undefined` until they do. */
  mediaState: MediaState | undefined;
  speaking: boolean;
  /** The video we send them (the media policy's tier, or `paused`). */
  send?: string;
  /** Their video track has delivered (been unmuted) at least once. */
  videoDelivered?: boolean;
  social?: Social;
}

/** Our own camera tile (in the call and as the pre-join preview); `hasVideo`: the stream has a camera track to show. */
export function localTile(me: LocalParticipant, hasVideo: boolean): TileView {
  const showVideo = hasVideo && me.camOn;
  return {
    key: 'local',
    peerId: me.peerId,
    local: true,
    screen: false,
    stream: me.stream,
    name: cleanName(me.name),
    showVideo,
    audioOff: !me.micOn || !me.stream?.getAudioTracks().length,
    videoOff: !showVideo,
    speaking: me.speaking,
    main: false,
    connection: 'connected',
    social: me.social,
  };
}

/** Texts the tiles may carry (from the element's strings). */
export interface TileTexts {
  cameraStarting: string;
  cameraOff: string;
  audioOnly: string;
}

/** Everyone's tiles in the call: the others first, then us, then shared screens. */
export function callTiles(
  remotes: Iterable<RemoteParticipant>,
  me: LocalParticipant,
  call: { state: CallState; audioOnly: boolean; /** The tier we send at, once anyone else is in the call. */ sendTier?: string },
  texts: TileTexts,
): TileView[] {
  const views: TileView[] = [];
  const screens: TileView[] = [];
  for (const { tile, name, mediaState, speaking, send, videoDelivered, social } of remotes) {
    const video = tile.stream?.getVideoTracks().find(t => t.readyState === 'live');
    const showVideo = !!video && !video.muted && mediaState?.video !== false;
    const view: TileView = {
      key: tile.peerId,
      peerId: tile.peerId,
      local: false,
      screen: false,
      stream: tile.stream,
      name,
      showVideo,
      audioOff: mediaState?.audio === false,
      videoOff: !showVideo,
      speaking,
      main: false,
      connection: tile.connection === 'unreachable' ? 'failed' : tile.connection,
      send,
      // before a remote video's first unmute (its first packets) it waits laid out, not hidden
      warming: !!video && video.muted && !videoDelivered && mediaState?.video !== false,
      social,
    };
    views.push(view);
    if (tile.screen && mediaState?.screen !== false) {
      screens.push({ ...view, key: `screen:${tile.peerId}`, screen: true, stream: tile.screen, showVideo: true, videoOff: false, speaking: false, social: undefined });
    }
  }
  // in the call our camera shows only while its track is live (the camera may be unplugged)
  const hasVideo = !!me.stream?.getVideoTracks().some(t => t.readyState === 'live');
  const local = localTile(me, hasVideo);
  if (call.state === 'joining') local.status = me.stream ? undefined : texts.cameraStarting;
  else if (!hasVideo) local.status = call.audioOnly ? texts.audioOnly : texts.cameraOff;
  if (call.sendTier) local.quality = call.sendTier;
  views.push(local);
  if (me.screen) {
    screens.push({ ...local, key: 'screen:local', screen: true, stream: me.screen, showVideo: true, videoOff: false, speaking: false, status: undefined, social: undefined });
  }
  return [...views, ...screens];
}

export type Layout = 'grid' | 'speaker';

export interface StageView {
  layout: Layout;
  /** The tiles, the one shown large (`main`) marked in the speaker layout. */
  tiles: TileView[];
  /** How many tiles the grid sizes for (the filmstrip's in the speaker layout), capped at `MAX_COUNTED_TILES`. */
  count: number;
}

/**
 * The stage's layout: `speaker` while a screen is shared, when asked for, or (without
 * `layout`) beyond `SPEAKER_LAYOUT_FROM` tiles; else `grid`. The large spot goes to a
 * shared screen (others' before ours), else to who speaks, else to the first other participant.
 */
export function chooseLayout(tiles: readonly TileView[], layout: '' | Layout, activeSpeaker: string | null): StageView {
  const screens = tiles.filter(v => v.screen);
  const speaker = screens.length > 0 || layout === 'speaker' || (layout !== 'grid' && tiles.length > SPEAKER_LAYOUT_FROM);
  if (!speaker) return { layout: 'grid', tiles: [...tiles], count: Math.min(tiles.length, MAX_COUNTED_TILES) };
  const main =
    screens.find(v => !v.local) ??
    screens[0] ??
    tiles.find(v => v.peerId === activeSpeaker && !v.screen) ??
    tiles.find(v => !v.local) ??
    tiles[0];
  return {
    layout: 'speaker',
    tiles: tiles.map(v => (v === main ? { ...v, main: true } : v)),
    count: Math.min(tiles.length - 1, MAX_COUNTED_TILES),
  };
}

/** The toggles of the control bar (and the pre-join screen's first two). */
export type ToggleKind = 'mic' | 'camera' | 'screen' | 'chat' | 'devices' | SocialToggle
  // where the browser offers them (controllers/window-modes.ts)
  | 'pip'
  | 'fullscreen';
/** The toggles of hands, reactions and the people panel. */
export type SocialToggle = 'hand' | 'reactions' | 'people';

export interface ToggleState {
  kind: ToggleKind;
  on: boolean;
  /** Why it does nothing here (unsupported, no device, not yet connected): shown as its description. */
  unavailable?: string;
  /** Unread count (chat). */
  badge?: number;
}

/**
 * Microphone and camera: on when wished on and the stream has that kind of track; a
 * stream without it makes the toggle unavailable (`noDevice`).
 */
export function mediaToggles(stream: MediaStream | null, micOn: boolean, camOn: boolean, noDevice: string | undefined): ToggleState[] {
  const hasAudio = !!stream?.getAudioTracks().length;
  const hasVideo = !!stream?.getVideoTracks().length;
  const none = (has: boolean) => (has || !stream ? undefined : noDevice);
  return [
    { kind: 'mic', on: micOn && hasAudio, unavailable: none(hasAudio) },
    { kind: 'camera', on: camOn && hasVideo, unavailable: none(hasVideo) },
  ];
}

export interface CallToggleInput {
  state: CallState;
  stream: MediaStream | null;
  micOn: boolean;
  camOn: boolean;
  sharing: boolean;
  canShareScreen: boolean;
  chat: boolean;
  panel: 'chat' | 'devices' | 'people' | 'reactions' | null;
  unread: number;
  /** Our hand is up. */
  hand?: boolean;
  texts: { noDevice: string | undefined; connecting: string; screenUnsupported: string };
}

/** Every toggle of the in-call bar, in order. */
export function callToggles(v: CallToggleInput): ToggleState[] {
  const screenUnavailable = !v.canShareScreen ? v.texts.screenUnsupported : v.state === 'joined' ? undefined : v.texts.connecting;
  return [
    ...mediaToggles(v.stream, v.micOn, v.camOn, v.texts.noDevice),
    { kind: 'screen', on: v.sharing, unavailable: screenUnavailable },
    ...(v.chat ? [{ kind: 'chat' as const, on: v.panel === 'chat', badge: v.unread }] : []),
    // hands and reactions go to the room: only once in it
    { kind: 'hand', on: !!v.hand, unavailable: v.state === 'joined' ? undefined : v.texts.connecting },
    { kind: 'reactions', on: v.panel === 'reactions', unavailable: v.state === 'joined' ? undefined : v.texts.connecting },
    { kind: 'people', on: v.panel === 'people' },
    { kind: 'devices', on: v.panel === 'devices' },
  ];
}
