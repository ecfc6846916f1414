// Structured one-line JSON logs on stderr, and the optional per-frame trace used to
// debug calls (`--log-frames`). Both are no-ops unless switched on, so tests stay quiet.

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

// SDP bodies are several KB and mostly noise when reading a trace: keep the head and the size.
function abbreviate(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (key === 'sdp') return `${value.slice(0, SDP_PREVIEW).replace(/\r\n/g, ' ')}… (${value.length} chars)`;
  if (value.length > STRING_PREVIEW) return `${value.slice(0, STRING_PREVIEW)}… (${value.length} chars)`;
  return value;
}

export function summariseFrame(text: string): { type: string; frame: unknown } {
  try {
    const parsed: unknown = JSON.parse(text);
    const type = typeof parsed === 'object' && parsed !== null && 'type' in parsed ? String(parsed.type) : '?';
    return { type, frame: JSON.parse(JSON.stringify(parsed, abbreviate)) };
  } catch {
    return { type: 'invalid', frame: abbreviate('', text) };
  }
}

export function createLogger(opts: { enabled: boolean; frames: boolean; write?: (line: string) => void }): Logger {
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
      const { type, frame } = summariseFrame(text);
      emit({ level: 'info', msg: 'frame', peer, dir, type, size: Buffer.byteLength(text), frame });
    },
  };
}
