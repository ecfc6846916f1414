// The call screen's view model (src/ui/view-model.ts) in Node: who gets a tile and what it
// shows, the layout choice, the toggles. No browser: streams and tracks are plain-object
// fakes (Node has no MediaStream) carrying only what the view model reads.
// Run: npm run test:unit
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MediaState } from '../../src/protocol/messages.ts';
import type { RemoteTile } from '../../src/types.ts';
import {
  callTiles,
  callToggles,
  chooseLayout,
  localTile,
  MAX_COUNTED_TILES,
  mediaToggles,
  SPEAKER_LAYOUT_FROM,
  type CallToggleInput,
  type LocalParticipant,
  type RemoteParticipant,
  type TileView,
} from '../../src/ui/view-model.ts';

interface FakeTrack {
  readyState: 'live' | 'ended';
  muted: boolean;
}

/** A fake MediaStream: the tracks the view model asks for, nothing else. */
function fakeStream(kinds: { audio?: boolean; video?: boolean; videoEnded?: boolean; videoMuted?: boolean } = { audio: true, video: true }): MediaStream {
  const audio: FakeTrack[] = kinds.audio ? [{ readyState: 'live', muted: false }] : [];
  const video: FakeTrack[] = kinds.video ? [{ readyState: kinds.videoEnded ? 'ended' : 'live', muted: !!kinds.videoMuted }] : [];
  return { getAudioTracks: () => audio, getVideoTracks: () => video } as unknown as MediaStream;
}

const TEXTS = { cameraStarting: 'Starting camera…', cameraOff: 'Camera off', audioOnly: 'Audio only' };

const me = (over: Partial<LocalParticipant> = {}): LocalParticipant => ({
  peerId: 'me',
  name: '  Ana\u200b ',
  stream: fakeStream(),
  screen: null,
  micOn: true,
  camOn: true,
  speaking: false,
  ...over,
});

function remote(peerId: string, over: { tile?: Partial<RemoteTile>; mediaState?: MediaState; name?: string; speaking?: boolean } = {}): RemoteParticipant {
  return {
    tile: { peerId, stream: fakeStream(), screen: null, connection: 'connected', ...over.tile },
    name: over.name ?? peerId.toUpperCase(),
    mediaState: over.mediaState,
    speaking: over.speaking ?? false,
  };
}

const joined = { state: 'joined' as const, audioOnly: false };
const keys = (tiles: TileView[]) => tiles.map(t => t.key);

describe('tiles', () => {
  test('others first, then us, then shared screens (others before ours)', () => {
    const tiles = callTiles(
      [remote('b', { tile: { screen: fakeStream({ video: true }) } }), remote('c')],
      me({ screen: fakeStream({ video: true }) }),
      joined,
      TEXTS,
    );
    assert.deepEqual(keys(tiles), ['b', 'c', 'local', 'screen:b', 'screen:local']);
    assert.equal(tiles[3]!.screen, true);
    assert.equal(tiles[3]!.showVideo, true);
  });

  test('our name is shown exactly as the others are told it (cleaned)', () => {
    assert.equal(localTile(me(), true).name, 'Ana');
  });

  test("a remote tile follows what the participant says they send, and the track's own state", () => {
    const [camOff] = callTiles([remote('b', { mediaState: { audio: false, video: false, screen: false } })], me(), joined, TEXTS);
    assert.equal(camOff!.showVideo, false);
    assert.equal(camOff!.videoOff, true);
    assert.equal(camOff!.audioOff, true);
    const [unknown] = callTiles([remote('b')], me(), joined, TEXTS);
    assert.equal(unknown!.showVideo, true, 'no media state yet: the video shows');
    assert.equal(unknown!.audioOff, false);
    const [muted] = callTiles([remote('b', { tile: { stream: fakeStream({ video: true, videoMuted: true }) } })], me(), joined, TEXTS);
    assert.equal(muted!.showVideo, false, 'a muted track (no frames) shows initials');
  });

  test('a screen they stopped sharing is not shown even while its stream lingers', () => {
    const tiles = callTiles([remote('b', { tile: { screen: fakeStream({ video: true }) }, mediaState: { audio: true, video: true, screen: false } })], me(), joined, TEXTS);
    assert.deepEqual(keys(tiles), ['b', 'local']);
  });

  test('an unreachable connection is shown as failed', () => {
    const [tile] = callTiles([remote('b', { tile: { connection: 'unreachable' } })], me(), joined, TEXTS);
    assert.equal(tile!.connection, 'failed');
  });

  test('our status: starting camera while joining without media, camera off or audio only without a live camera', () => {
    const local = (over: Partial<LocalParticipant>, call: { state: 'joining' | 'joined'; audioOnly: boolean }) =>
      callTiles([], me(over), call, TEXTS).find(t => t.key === 'local')!;
    assert.equal(local({ stream: null }, { state: 'joining', audioOnly: false }).status, TEXTS.cameraStarting);
    assert.equal(local({}, { state: 'joining', audioOnly: false }).status, undefined);
    assert.equal(local({ stream: fakeStream({ audio: true, video: true, videoEnded: true }) }, joined).status, TEXTS.cameraOff);
    assert.equal(local({ stream: fakeStream({ audio: true }) }, { state: 'joined', audioOnly: true }).status, TEXTS.audioOnly);
    const ended = local({ stream: fakeStream({ audio: true, video: true, videoEnded: true }) }, joined);
    assert.equal(ended.showVideo, false, 'an ended camera track shows initials');
  });

  test('our microphone off, by choice or for want of a track', () => {
    assert.equal(localTile(me({ micOn: false }), true).audioOff, true);
    assert.equal(localTile(me({ stream: fakeStream({ video: true }) }), true).audioOff, true);
    assert.equal(localTile(me(), true).audioOff, false);
    assert.equal(localTile(me({ camOn: false }), true).showVideo, false);
  });
});

describe('layout', () => {
  const many = (n: number) => callTiles(Array.from({ length: n - 1 }, (_, i) => remote(`p${i}`)), me(), joined, TEXTS);

  test(`grid up to ${SPEAKER_LAYOUT_FROM} tiles, speaker beyond, unless a layout is set`, () => {
    assert.equal(chooseLayout(many(SPEAKER_LAYOUT_FROM), '', null).layout, 'grid');
    assert.equal(chooseLayout(many(SPEAKER_LAYOUT_FROM + 1), '', null).layout, 'speaker');
    assert.equal(chooseLayout(many(SPEAKER_LAYOUT_FROM + 1), 'grid', null).layout, 'grid');
    assert.equal(chooseLayout(many(2), 'speaker', null).layout, 'speaker');
  });

  test('the large spot: a shared screen (others before ours), else who speaks, else the first other participant', () => {
    const withScreens = callTiles([remote('b', { tile: { screen: fakeStream({ video: true }) } }), remote('c')], me({ screen: fakeStream({ video: true }) }), joined, TEXTS);
    const stage = chooseLayout(withScreens, 'grid', 'c');
    assert.equal(stage.layout, 'speaker', 'a shared screen is always shown large');
    assert.deepEqual(stage.tiles.filter(t => t.main).map(t => t.key), ['screen:b']);
    assert.deepEqual(chooseLayout(many(3), 'speaker', 'p1').tiles.filter(t => t.main).map(t => t.key), ['p1']);
    assert.deepEqual(chooseLayout(many(3), 'speaker', null).tiles.filter(t => t.main).map(t => t.key), ['p0']);
    assert.deepEqual(chooseLayout(many(1), 'speaker', null).tiles.filter(t => t.main).map(t => t.key), ['local']);
  });

  test('the input is not changed (the view model is pure)', () => {
    const tiles = many(3);
    chooseLayout(tiles, 'speaker', null);
    assert.equal(tiles.some(t => t.main), false);
  });

  test(`the count the grid sizes for: every tile, the filmstrip's in speaker layout, at most ${MAX_COUNTED_TILES}`, () => {
    assert.equal(chooseLayout(many(4), 'grid', null).count, 4);
    assert.equal(chooseLayout(many(4), 'speaker', null).count, 3);
    assert.equal(chooseLayout(many(MAX_COUNTED_TILES + 7), 'grid', null).count, MAX_COUNTED_TILES);
  });
});

describe('toggles', () => {
  test('microphone and camera: on when wished on and the stream has the track; unavailable without that track', () => {
    assert.deepEqual(mediaToggles(fakeStream(), true, false, 'none'), [
      { kind: 'mic', on: true, unavailable: undefined },
      { kind: 'camera', on: false, unavailable: undefined },
    ]);
    assert.deepEqual(
      mediaToggles(fakeStream({ audio: true }), true, true, 'none').map(t => t.unavailable),
      [undefined, 'none'],
    );
    assert.deepEqual(
      mediaToggles(null, true, true, 'none').map(t => [t.on, t.unavailable]),
      [
        [false, undefined],
        [false, undefined],
      ],
      'before any media (idle): off, but not unavailable',
    );
  });

  const input = {
    state: 'joined' as const,
    stream: fakeStream(),
    micOn: true,
    camOn: true,
    sharing: false,
    canShareScreen: true,
    chat: false,
    panel: null,
    unread: 0,
    texts: { noDevice: 'none', connecting: 'Connecting…', screenUnsupported: 'Not supported' },
  };

  test('the bar: microphone, camera, screen, chat (only with the chat attribute), hand, reactions, people, devices', () => {
    assert.deepEqual(callToggles(input).map(t => t.kind), ['mic', 'camera', 'screen', 'hand', 'reactions', 'people', 'devices']);
    const withChat = callToggles({ ...input, chat: true, panel: 'chat', unread: 3 });
    assert.deepEqual(withChat.map(t => t.kind), ['mic', 'camera', 'screen', 'chat', 'hand', 'reactions', 'people', 'devices']);
    assert.deepEqual(withChat[3], { kind: 'chat', on: true, badge: 3 });
    const on = (over: Partial<CallToggleInput>, kind: string) => callToggles({ ...input, ...over }).find(t => t.kind === kind)!.on;
    assert.equal(on({ panel: 'devices' }, 'devices'), true);
    assert.equal(on({ panel: 'people' }, 'people'), true);
    assert.equal(on({ panel: 'reactions' }, 'reactions'), true);
    assert.equal(on({ hand: true }, 'hand'), true);
    assert.equal(on({}, 'hand'), false);
  });

  test('hands and reactions wait for the room: unavailable until joined', () => {
    const unavailable = (state: CallToggleInput['state']) =>
      callToggles({ ...input, state }).filter(t => t.kind === 'hand' || t.kind === 'reactions').map(t => t.unavailable);
    assert.deepEqual(unavailable('joined'), [undefined, undefined]);
    assert.deepEqual(unavailable('joining'), ['Connecting…', 'Connecting…']);
  });

  test('screen sharing says why it is unavailable: not joined yet, or not supported', () => {
    assert.equal(callToggles(input)[2]!.unavailable, undefined);
    assert.equal(callToggles({ ...input, state: 'reconnecting' })[2]!.unavailable, 'Connecting…');
    assert.equal(callToggles({ ...input, canShareScreen: false })[2]!.unavailable, 'Not supported');
    assert.equal(callToggles({ ...input, sharing: true })[2]!.on, true);
  });
});
