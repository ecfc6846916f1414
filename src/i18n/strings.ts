// Every string the element shows or announces, typed. Functions interpolate; remote
// names and room names go in as data and come out as text (rendered by Lit bindings).
import type { MeteredCallErrorCode } from '../errors.js';
import type { QualityReason } from '../call/connection-quality.js';
import type { QualityLevel } from '../protocol/vocabulary.js';

export interface Strings {
  /** The language's writing direction: `rtl` mirrors the element's layout (Arabic, Hebrew, ...). */
  dir: 'ltr' | 'rtl';
  /** Accessible name of the element (its region) and of the lobby heading. */
  call: string;
  // pre-join
  prejoinTitle: string;
  room: (room: string) => string;
  noRoom: string;
  yourName: string;
  namePlaceholder: string;
  camera: string;
  microphone: string;
  device: (kind: 'camera' | 'microphone', n: number) => string;
  cameraStarting: string;
  join: string;
  // lobby, left, error
  left: string;
  rejoin: string;
  tryAgain: string;
  howToFix: string;
  // call
  joining: (room: string) => string;
  reconnecting: string;
  waiting: string;
  participants: (n: number) => string;
  you: (name: string) => string;
  guest: string;
  screenOf: (name: string) => string;
  cameraOff: string;
  audioOnly: string;
  micOff: string;
  connecting: string;
  peerReconnecting: string;
  peerFailed: string;
  stage: string;
  // controls
  controls: string;
  screen: string;
  screenUnsupported: string;
  screenFailed: string;
  chat: string;
  /** The chat button's name with unread messages (`count` is what its badge shows: 3, 9+). */
  unread: (label: string, count: string) => string;
  devices: string;
  close: string;
  leave: string;
  cancel: string;
  enableAudio: string;
  // chat
  message: string;
  send: string;
  noMessages: string;
  // announcements (polite live region)
  peerJoined: (name: string) => string;
  peerLeft: (name: string) => string;
  youJoined: string;
  youLeft: string;
  presenting: (name: string) => string;
  newMessage: (name: string) => string;
  // people panel, raised hands, reactions, connection quality
  people: string;
  raiseHand: string;
  /** The mark beside a name whose hand is up. */
  handUp: string;
  reactions: string;
  micOn: string;
  cameraOn: string;
  /** The level shown on a tile, as its accessible name and title. */
  quality: Record<QualityLevel, string>;
  /** What makes a connection less than good, followed in the title by its figure (`800 ms`). */
  qualityReasons: Record<QualityReason['metric'], string>;
  /** The reason when the participant says their own upload is weak. */
  theirNetwork: string;
  handRaised: (name: string) => string;
  handLowered: (name: string) => string;
  reacted: (name: string, emoji: string) => string;
  // device panel, window and call extras (speaker, processing switches, PiP, fullscreen, timer, leave question)
  speaker: string;
  noiseSuppression: string;
  echoCancellation: string;
  autoGainControl: string;
  pictureInPicture: string;
  fullscreen: string;
  /** Why picture-in-picture cannot start: no other participant's video. */
  noVideo: string;
  callTime: string;
  leaveConfirm: string;
  /** What the viewer is told for each error code (the site-owner hint stays in English). */
  errors: Partial<Record<MeteredCallErrorCode, string>>;
}

/** A partial set of strings, e.g. for the `strings` property; `errors` merges per code. */
export type StringOverrides = Partial<Omit<Strings, 'errors'>> & { errors?: Partial<Record<MeteredCallErrorCode, string>> };

/** The strings of a shipped language: every key, and a viewer text for every error code. */
export type CompleteStrings = Strings & { errors: Record<MeteredCallErrorCode, string> };
