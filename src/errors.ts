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

/** The catalogue. Keep it sorted by when a failure can happen: config, auth, TURN, media, call. */
export const ERRORS: Readonly<Record<MeteredCallErrorCode, ErrorInfo>> = {
  'invalid-config': {
    viewer: 'This call is not set up correctly.',
    hint: c => `Check the <metered-call> attributes: ${c.detail ?? 'room and api-key are required'}.`,
    fatal: true,
  },
  'origin-not-allowed': {
    viewer: "This call can't start on this page.",
    hint: c =>
      `Metered refused the key for this page's origin (close code 4001). In the Metered dashboard, ` +
      `open Realtime Messaging → Keys, edit this key and add ${c.origin} to its allowed origins.`,
    fatal: true,
  },
  'invalid-key': {
    viewer: "This call can't connect: its key was refused.",
    hint: c =>
      `Metered refused the api-key (close code 4001). Use a publishable key (pk_live_…) from the ` +
      `dashboard (Realtime Messaging → Keys), and make sure ${c.origin} is in its allowed origins.`,
    fatal: true,
  },
  'channel-not-allowed': {
    viewer: "This call can't open this room.",
    hint: c =>
      `The key may not use the room "${c.room ?? ''}". Add a matching channel pattern ` +
      `(e.g. "${(c.room ?? 'room').replace(/[^-]*$/, '*')}") to the key in the Metered dashboard.`,
    fatal: true,
  },
  'action-not-allowed': {
    viewer: "This call can't connect participants.",
    hint: () =>
      'The key lacks a permission the call needs. Enable the subscribe, publish, presence and send ' +
      'actions on the key in the Metered dashboard (send is off by default for publishable keys).',
    fatal: true,
  },
  'token-expired': {
    viewer: 'The call session expired.',
    hint: c =>
      `The signalling token expired (${c.detail ?? 'close code 4002'}). Reload the page to get a fresh one; if ` +
      'this happens right after joining, the token endpoint hands out tokens that are already expired: check ' +
      "its clock, the token lifetime, and that the JWT's exp matches the expiresAt it returns.",
    fatal: true,
  },
  'token-failed': {
    viewer: "This call can't get a pass to join.",
    hint: c =>
      `Getting a signalling token failed (${c.detail ?? 'network error'}). token-url must answer ` +
      `GET ?room=<room> with HTTP 200 and JSON {"token": "<JWT signed with your sk_live_ key>", ` +
      `"expiresAt": <Unix seconds>}; a tokenProvider must return that object or the JWT string.`,
    fatal: true,
  },
  'rate-limited': {
    viewer: 'The call service refused this connection: too many messages.',
    hint: () =>
      'Metered rate-limited this connection (close code 4011 or over_message_quota). The element does ' +
      'not reconnect after a 4011, so it cannot make it worse: raise the message rate of the key ' +
      '(Metered plan limits), then reload.',
    fatal: false,
  },
  'room-full': {
    viewer: 'This call is full.',
    hint: c =>
      c.detail?.startsWith('max-peers')
        ? `The room already has as many participants as the element allows (${c.detail}). Raise the ` +
          'max-peers attribute on every <metered-call> of the room (a mesh call works best with 6 or ' +
          'fewer), or split the call into smaller rooms.'
        : 'Metered refused another connection (concurrent-connection or channel limit, close code 4010). ' +
          'Raise the limit on your Metered plan or keep rooms smaller.',
    fatal: true,
  },
  'account-suspended': {
    viewer: 'This call service is not available.',
    hint: () => 'Metered reports the account as suspended (close code 4012). Check the Metered dashboard.',
    fatal: true,
  },
  kicked: {
    viewer: 'You were removed from the call.',
    hint: () => 'An administrator disconnected this participant (close code 4020).',
    fatal: true,
  },
  'turn-credentials-failed': {
    viewer: "This call can't get its relay servers.",
    hint: c =>
      `Fetching TURN credentials failed (${c.detail ?? 'network error'}). Check turn-app and ` +
      `turn-api-key (the TURN app's key from the dashboard, not the pk_live_ key), or turn-url.`,
    fatal: true,
  },
  'turn-renewal-failed': {
    viewer: 'Having trouble keeping the connection secure; the call continues.',
    hint: c =>
      `Renewing the TURN credentials failed (${c.detail ?? 'network error'}); retrying with backoff. ` +
      'The call goes on while the current credentials last. Check turn-app / turn-api-key (or ' +
      "turn-url) and the TURN endpoint's rate limit.",
    fatal: false,
  },
  'media-denied': {
    viewer: 'Camera and microphone are blocked, so you joined without them. Others can still see and hear you once you allow them and rejoin.',
    hint: c =>
      `getUserMedia was refused (${c.detail ?? 'NotAllowedError'}). The visitor must allow camera and ` +
      'microphone in the browser (the site settings next to the address bar), then rejoin.',
    fatal: false,
  },
  'media-blocked-by-policy': {
    viewer: "This page doesn't let the call use your camera and microphone, so you joined without them.",
    hint: c =>
      `The page's permissions policy blocks ${c.detail ?? 'camera and microphone'}, before the visitor is ` +
      `even asked. If <metered-call> is in an <iframe>, add allow="${IFRAME_ALLOW}" to that <iframe> tag; ` +
      'otherwise allow camera and microphone in the Permissions-Policy header of the page.',
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
    hint: c => `The signalling connection closed and could not be restored (${c.detail ?? 'no reason given'}).`,
    fatal: true,
  },
  'join-timeout': {
    viewer: 'Joining the call took too long.',
    hint: c => `No answer from the signalling server in time (${c.detail ?? 'timeout'}). Check server-url and the network.`,
    fatal: true,
  },
  'peer-unreachable': {
    viewer: "Couldn't connect to a participant.",
    hint: c =>
      `No media path to peer ${c.detail ?? ''} after repeated ICE restarts. Configure a TURN app ` +
      `(turn-app + turn-api-key) so participants behind strict firewalls can connect.`,
    fatal: false,
  },
  unknown: {
    viewer: 'Something went wrong with the call.',
    hint: c => `Unexpected failure: ${c.detail ?? 'unknown error'}.`,
    fatal: true,
  },
};

export interface MeteredCallErrorDetail {
  /** Stable code, see `MeteredCallErrorCode`. */
  code: MeteredCallErrorCode;
  /** What happened and how a site owner fixes it (viewer text + hint). */
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
    super(`${info.viewer} ${hint}`, options?.cause === undefined ? undefined : { cause: options.cause });
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

/** Close code / error name from the SDK → our code. `reason` is the server's close reason, never shown raw. */
export function codeForClose(closeCode: number, reason = ''): MeteredCallErrorCode {
  switch (closeCode) {
    case 4001:
      return /origin/i.test(reason) ? 'origin-not-allowed' : 'invalid-key';
    case 4002:
      return 'token-expired';
    case 4003:
      return 'channel-not-allowed';
    case 4010:
      return 'room-full';
    case 4011:
      return 'rate-limited';
    case 4012:
      return 'account-suspended';
    case 4020:
      return 'kicked';
    case 4000:
      return 'join-timeout';
    default:
      return 'connection-lost';
  }
}

/** Server error-frame codes (`err.name` / `err.code` from the SDK) → our code. */
export function codeForServerError(name: string): MeteredCallErrorCode | null {
  switch (name) {
    case 'invalid_token':
      return 'invalid-key';
    case 'token_expired':
      return 'token-expired';
    case 'channel_not_authorized':
    case 'channel_reserved':
    case 'invalid_channel':
      return 'channel-not-allowed';
    case 'action_not_permitted':
      return 'action-not-allowed';
    case 'over_message_quota':
      return 'rate-limited';
    case 'channel_limit_exceeded':
      return 'room-full';
    case 'account_suspended':
      return 'account-suspended';
    case 'admin_disconnect':
      return 'kicked';
    case 'TokenProviderError': // the SDK: tokenProvider failed on 3 reconnects in a row
      return 'token-failed';
    default:
      return null;
  }
}

/** Whatever the SDK (or the platform) threw → a MeteredCallError. */
export function toMeteredCallError(err: unknown, ctx: Partial<HintContext> = {}): MeteredCallError {
  if (err instanceof MeteredCallError) return err;
  const e = err as { name?: unknown; code?: unknown; closeCode?: unknown; closeReason?: unknown; message?: unknown };
  if (typeof e?.closeCode === 'number') {
    const reason = typeof e.closeReason === 'string' ? e.closeReason : '';
    const detail = `close code ${e.closeCode}${reason ? `: ${sanitizeReason(reason)}` : ''}`;
    return new MeteredCallError(codeForClose(e.closeCode, reason), { ...ctx, detail }, { cause: err });
  }
  // the SDK's own `error` event for a terminal close: name "invalid_token", message "… (code 4001): <reason>"
  const closed = typeof e?.message === 'string' ? /\(code (\d{4})\)(?::\s*(.*))?/.exec(e.message) : null;
  if (closed) {
    const reason = closed[2] ?? '';
    const detail = `close code ${closed[1]}${reason ? `: ${sanitizeReason(reason)}` : ''}`;
    return new MeteredCallError(codeForClose(Number(closed[1]), reason), { ...ctx, detail }, { cause: err });
  }
  for (const key of [e?.code, e?.name]) {
    if (typeof key === 'string') {
      const code = codeForServerError(key);
      if (code) return new MeteredCallError(code, { ...ctx, detail: key }, { cause: err });
    }
  }
  const detail = typeof e?.message === 'string' ? sanitizeReason(e.message) : String(err);
  return new MeteredCallError('unknown', { ...ctx, detail }, { cause: err });
}

/** Server-supplied text goes into messages only trimmed, bounded and free of control characters. */
function sanitizeReason(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, 120);
}
