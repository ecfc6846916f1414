// Structured one-line JSON logs on stderr, and the optional per-frame trace used to
// debug calls (`--log-frames`). Both are no-ops unless switched on, so tests stay quiet.
// Logs end up in terminals, CI output and log shippers, so the trace redacts by default:
// what people say (chat, SDP, names) and what opens doors (TURN credentials, tokens)
// appear only as their size unless `--log-payloads` asks for them — and credentials never.

export type Level = 'info' | 'warn' | 'error';

export interface Logger {
  readonly enabled: boolean;
  readonly frames: boolean;
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
  /** One frame in or out of a connection; `text` is the raw JSON text. */
  frame(peer: string, dir: 'in' | 'out', text: string): void;
}

const SDP_PREVIEW = 24;
const STRING_PREVIEW = 160;
/** Application payloads and peer metadata: shown as their size unless payloads are asked for. */
const PAYLOAD_FIELDS = new Set(['data', 'metadata', 'fromMetadata']);
/** Never shown, at any depth, payloads or not. */
const CREDENTIAL_FIELDS = new Set(['credential', 'password', 'token', 'username']);

const sizeOf = (value: unknown): string => `[redacted: ${JSON.stringify(value)?.length ?? 0} chars]`;

// SDP bodies are several KB and mostly noise when reading a trace: keep the head and the size.
function abbreviate(key: string, value: unknown): unknown {
  if (CREDENTIAL_FIELDS.has(key)) return '[redacted]';
  if (typeof value !== 'string') return value;
  if (key === 'sdp') return `${value.slice(0, SDP_PREVIEW).replace(/\r\n/g, ' ')}… (${value.length} chars)`;
  if (value.length > STRING_PREVIEW) return `${value.slice(0, STRING_PREVIEW)}… (${value.length} chars)`;
  return value;
}

function redact(key: string, value: unknown): unknown {
  return PAYLOAD_FIELDS.has(key) ? sizeOf(value) : abbreviate(key, value);
}

/** The trace's view of one frame: payloads as sizes (or abbreviated, with `payloads`), credentials never. */
export function summariseFrame(text: string, payloads = false): { type: string; frame: unknown } {
  try {
    const parsed: unknown = JSON.parse(text);
    const type = typeof parsed === 'object' && parsed !== null && 'type' in parsed ? String(parsed.type) : '?';
    return { type, frame: JSON.parse(JSON.stringify(parsed, payloads ? abbreviate : redact)) };
  } catch {
    return { type: 'invalid', frame: `[unparseable: ${text.length} chars]` };
  }
}

export function createLogger(opts: { enabled: boolean; frames: boolean; payloads?: boolean; write?: (line: string) => void }): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const emit = (record: Record<string, unknown>): void => {
    write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  };
  return {
    enabled: opts.enabled,
    frames: opts.frames,
    log(level, msg, fields) {
      if (opts.enabled) emit({ level, msg, ...fields });
    },
    frame(peer, dir, text) {
      if (!opts.frames) return;
      const { type, frame } = summariseFrame(text, opts.payloads ?? false);
      emit({ level: 'info', msg: 'frame', peer, dir, type, size: Buffer.byteLength(text), frame });
    },
  };
}
