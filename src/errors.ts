// Every failure the element can report, in one place: a stable code (what scripts
// branch on), a message for the person in front of the screen, and a hint for the
// site owner who can fix it. Codes are part of the public API — never rename one.

/** Stable machine-readable codes carried by the `error` event and `MeteredCallError`. */
export type MeteredCallErrorCode =
  | 'invalid-config'
  | 'origin-not-allowed'
  | 'invalid-key'
  | 'channel-not-allowed'
  | 'action-not-allowed'
  | 'token-expired'
  | 'token-failed'
  | 'rate-limited'
  | 'room-full'
  | 'account-suspended'
  | 'kicked'
  | 'turn-credentials-failed'
  | 'turn-renewal-failed'
  | 'media-denied'
  | 'media-blocked-by-policy'
  | 'no-camera'
  | 'media-unavailable'
  | 'connection-lost'
  | 'join-timeout'
  | 'peer-unreachable'
  | 'unknown';

interface ErrorInfo {
  /** For the viewer: what happened, in plain words. */
  readonly viewer: string;
  /** For the site owner: how to fix it. `ctx.origin` is this page's origin. */
  readonly hint: (ctx: HintContext) => string;
  /** Fatal errors end (or prevent) the call; the others are shown as notices. */
  readonly fatal: boolean;
}

/** The `allow` attribute an <iframe> needs for everything the element can use. */
export const IFRAME_ALLOW = 'camera; microphone; display-capture; fullscreen; picture-in-picture';

export interface HintContext {
  origin: string;
  room?: string;
  detail?: string;
}

/**
 * The catalogue. Keep it sorted by when a failure can happen: config, auth, TURN, media, call.
 * Hints stay short (one fix, in the page's words); the why and every other fix for each code
 * are in docs/errors.md, which the event's message links to.
 */
export const ERRORS: Readonly<Record<MeteredCallErrorCode, ErrorInfo>> = {
  'invalid-config': {
    viewer: 'This call is not set up correctly.',
    hint: c => `Check the <metered-call> attributes: ${c.detail ?? 'room and api-key are required'}.`,
    fatal: true,
  },
  'origin-not-allowed': {
    viewer: "This call can't start on this page.",
    hint: c => `Add ${c.origin} to the key's allowed origins in the Metered dashboard.`,
    fatal: true,
  },
  'invalid-key': {
    viewer: "This call can't connect: its key was refused.",
    hint: c => `Use a publishable key (pk_live_…) that allows ${c.origin}.`,
    fatal: true,
  },
  'channel-not-allowed': {
    viewer: "This call can't open this room.",
    hint: c => `Give the key a channel pattern matching "${c.room ?? ''}".`,
    fatal: true,
  },
  'action-not-allowed': {
    viewer: "This call can't connect participants.",
    hint: () => 'Enable the subscribe, publish, presence and send actions on the key.',
    fatal: true,
  },
  'token-expired': {
    viewer: 'The call session expired.',
    hint: c => `The signalling token expired (${c.detail ?? 'close code 4002'}): reload the page.`,
    fatal: true,
  },
  'token-failed': {
    viewer: "This call can't get a pass to join.",
    hint: c => `Getting a signalling token failed (${c.detail ?? 'network error'}): check token-url or tokenProvider.`,
    fatal: true,
  },
  'rate-limited': {
    viewer: 'The call service refused this connection: too many messages.',
    hint: () => "Metered rate-limited this connection: raise the key's message rate, then reload.",
    fatal: false,
  },
  'room-full': {
    viewer: 'This call is full.',
    hint: c =>
      c.detail?.startsWith('max-peers')
        ? `The room is at the element's limit (${c.detail}): raise max-peers on every <metered-call> of the room.`
        : "Metered's connection or channel limit is reached: raise it on your plan.",
    fatal: true,
  },
  'account-suspended': {
    viewer: 'This call service is not available.',
    hint: () => 'Metered reports the account as suspended.',
    fatal: true,
  },
  kicked: {
    viewer: 'You were removed from the call.',
    hint: () => 'An administrator disconnected this participant.',
    fatal: true,
  },
  'turn-credentials-failed': {
    viewer: "This call can't get its relay servers.",
    hint: c => `Fetching TURN credentials failed (${c.detail ?? 'network error'}): check turn-app and turn-api-key, or turn-url.`,
    fatal: true,
  },
  'turn-renewal-failed': {
    viewer: 'Having trouble keeping the connection secure; the call continues.',
    hint: c => `Renewing the TURN credentials failed (${c.detail ?? 'network error'}); retrying.`,
    fatal: false,
  },
  'media-denied': {
    viewer: 'Camera and microphone are blocked, so you joined without them. Others can still see and hear you once you allow them and rejoin.',
    hint: c => `getUserMedia was refused (${c.detail ?? 'NotAllowedError'}): allow camera and microphone in the browser.`,
    fatal: false,
  },
  'media-blocked-by-policy': {
    viewer: "This page doesn't let the call use your camera and microphone, so you joined without them.",
    hint: c => `The page's permissions policy blocks ${c.detail ?? 'camera and microphone'}; in an <iframe>, add allow="${IFRAME_ALLOW}".`,
    fatal: false,
  },
  'no-camera': {
    viewer: 'Your camera or microphone is not available, so you joined without it.',
    hint: c => `getUserMedia found no usable device (${c.detail ?? 'NotFoundError'}).`,
    fatal: false,
  },
  'media-unavailable': {
    viewer: 'This page cannot use your camera, so you joined without it.',
    hint: c => `navigator.mediaDevices is unavailable: serve ${c.origin} over HTTPS.`,
    fatal: false,
  },
  'connection-lost': {
    viewer: 'The call was disconnected.',
    hint: c => `The signalling connection closed for good (${c.detail ?? 'no reason given'}).`,
    fatal: true,
  },
  'join-timeout': {
    viewer: 'Joining the call took too long.',
    hint: c => `No answer from the signalling server (${c.detail ?? 'timeout'}): check server-url.`,
    fatal: true,
  },
  'peer-unreachable': {
    viewer: "Couldn't connect to a participant.",
    hint: c => `No media path to peer ${c.detail ?? ''}: set turn-app and turn-api-key.`,
    fatal: false,
  },
  unknown: {
    viewer: 'Something went wrong with the call.',
    hint: c => `Unexpected failure: ${c.detail ?? 'unknown error'}.`,
    fatal: true,
  },
};

/** Where each code's causes and fixes are explained (an anchor per code). */
export const ERRORS_DOC = 'https://github.com/metered-call/metered-call/blob/main/docs/errors.md';

export interface MeteredCallErrorDetail {
  /** Stable code, see `MeteredCallErrorCode`. */
  code: MeteredCallErrorCode;
  /** What happened and how a site owner fixes it (viewer text + hint + a link to docs/errors.md). */
  message: string;
  /** `false` for notices that do not end the call (e.g. `media-denied`). */
  fatal: boolean;
}

/** The error `join()` rejects with and the `error` event describes. */
export class MeteredCallError extends Error {
  override readonly name = 'MeteredCallError';
  readonly code: MeteredCallErrorCode;
  readonly fatal: boolean;
  /** The plain-words text shown in the element. */
  readonly viewerMessage: string;
  /** The site-owner fix. */
  readonly hint: string;
  /** The specific detail the hint was written with (e.g. `HTTP 401`), for wrapping this error in another. */
  readonly detail: string | undefined;

  /** `options.fatal` overrides the catalogue (e.g. a 4011 close ends the call, an in-band quota error does not). */
  constructor(code: MeteredCallErrorCode, ctx: Partial<HintContext> = {}, options?: { cause?: unknown; fatal?: boolean }) {
    const info = ERRORS[code];
    const hint = info.hint({ origin: currentOrigin(), ...ctx });
    super(`${info.viewer} ${hint} More: ${ERRORS_DOC}#${code}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fatal = options?.fatal ?? info.fatal;
    this.viewerMessage = info.viewer;
    this.hint = hint;
    this.detail = ctx.detail;
  }

  toDetail(): MeteredCallErrorDetail {
    return { code: this.code, message: this.message, fatal: this.fatal };
  }
}

const currentOrigin = () => (typeof location === 'undefined' ? 'this site' : location.origin);

/** Metered's terminal close codes → our code (4001 is split by its reason below); any other close is `connection-lost`. */
const CLOSE_CODES: Readonly<Record<number, MeteredCallErrorCode>> = {
  4000: 'join-timeout',
  4002: 'token-expired',
  4003: 'channel-not-allowed',
  4010: 'room-full',
  4011: 'rate-limited',
  4012: 'account-suspended',
  4020: 'kicked',
};

/** Close code / error name from the SDK → our code. `reason` is the server's close reason, never shown raw. */
export function codeForClose(closeCode: number, reason = ''): MeteredCallErrorCode {
  if (closeCode === 4001) return /origin/i.test(reason) ? 'origin-not-allowed' : 'invalid-key';
  return CLOSE_CODES[closeCode] ?? 'connection-lost';
}

/** Server error-frame codes (`err.name` / `err.code` from the SDK) → our code. */
const SERVER_ERRORS: Readonly<Record<string, MeteredCallErrorCode>> = {
  invalid_token: 'invalid-key',
  token_expired: 'token-expired',
  channel_not_authorized: 'channel-not-allowed',
  channel_reserved: 'channel-not-allowed',
  invalid_channel: 'channel-not-allowed',
  action_not_permitted: 'action-not-allowed',
  over_message_quota: 'rate-limited',
  channel_limit_exceeded: 'room-full',
  account_suspended: 'account-suspended',
  admin_disconnect: 'kicked',
  TokenProviderError: 'token-failed', // the SDK: tokenProvider failed on 3 reconnects in a row
};

export function codeForServerError(name: string): MeteredCallErrorCode | null {
  return Object.hasOwn(SERVER_ERRORS, name) ? SERVER_ERRORS[name]! : null;
}

/** Whatever the SDK (or the platform) threw → a MeteredCallError. */
export function toMeteredCallError(err: unknown, ctx: Partial<HintContext> = {}): MeteredCallError {
  if (err instanceof MeteredCallError) return err;
  const e = err as { name?: unknown; code?: unknown; closeCode?: unknown; closeReason?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : null;
  // a close event, or the SDK's own `error` event for a terminal close: name "invalid_token", message "… (code 4001): <reason>"
  const closed = typeof e?.closeCode === 'number'
    ? [e.closeCode, typeof e.closeReason === 'string' ? e.closeReason : ''] as const
    : message && /\(code (\d{4})\)(?::\s*(.*))?/.exec(message)?.slice(1);
  if (closed) {
    const [closeCode, reason = ''] = closed;
    const detail = `close code ${closeCode}${reason ? `: ${sanitizeReason(reason)}` : ''}`;
    return new MeteredCallError(codeForClose(Number(closeCode), reason), { ...ctx, detail }, { cause: err });
  }
  for (const key of [e?.code, e?.name]) {
    const code = typeof key === 'string' ? codeForServerError(key) : null;
    if (code) return new MeteredCallError(code, { ...ctx, detail: key as string }, { cause: err });
  }
  return new MeteredCallError('unknown', { ...ctx, detail: message === null ? String(err) : sanitizeReason(message) }, { cause: err });
}

/** Server-supplied text goes into messages only trimmed, bounded and free of control characters. */
function sanitizeReason(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, 120);
}
