// A tiny declarative validator for what other participants send us. A schema maps each
// field we read to a function that returns the cleaned value or `INVALID`. Parsing copies
// only the fields the schema names — everything else in the payload (a spoofed `from`,
// `peerId`, `senderPeerId`, `__proto__`…) is never read — so a message can only carry
// what its schema lets through, already cleaned and bounded.

/** Returned by a field validator for a value it refuses. */
export const INVALID: unique symbol = Symbol('invalid');

/** Validates and cleans one field; `INVALID` refuses the whole message. */
export type Field<T> = (raw: unknown) => T | typeof INVALID;

export type Schema = Readonly<Record<string, Field<unknown>>>;

/** The type a schema parses to. */
export type Infer<S extends Schema> = { [K in keyof S]: Exclude<ReturnType<S[K]>, typeof INVALID> };

export const field = {
  /**
   * A string, cleaned by `clean` (which must bound its output); refused when it is not a
   * string, longer than `maxRawChars` before cleaning, or empty after cleaning.
   */
  text:
    (clean: (raw: string) => string, maxRawChars: number): Field<string> =>
    raw => {
      if (typeof raw !== 'string' || raw.length > maxRawChars) return INVALID;
      const value = clean(raw);
      return value ? value : INVALID;
    },
  boolean: (): Field<boolean> => raw => (typeof raw === 'boolean' ? raw : INVALID),
  /** One of a fixed vocabulary (reactions, quality levels): anything else is invalid. */
  oneOf:
    <T extends string>(...values: readonly T[]): Field<T> =>
    raw =>
      typeof raw === 'string' && (values as readonly string[]).includes(raw) ? (raw as T) : INVALID,
  /** An array of at most `maxItems` values, each passing `item`; refused whole if any is refused. */
  list:
    <T>(item: Field<T>, maxItems: number): Field<T[]> =>
    raw => {
      if (!Array.isArray(raw) || raw.length > maxItems) return INVALID;
      const out: T[] = [];
      for (const value of raw) {
        const parsed = item(value);
        if (parsed === INVALID) return INVALID;
        out.push(parsed);
      }
      return out;
    },
  /** A string matching `pattern` (anchored by the caller), at most `maxChars` long. */
  token:
    (pattern: RegExp, maxChars: number): Field<string> =>
    raw =>
      typeof raw === 'string' && raw.length > 0 && raw.length <= maxChars && pattern.test(raw) ? raw : INVALID,
};

/** A plain JSON object (what JSON.parse makes): not null, not an array, no exotic prototype. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Applies `schema` to `record`: the cleaned fields, or `null` if any field is refused. */
export function parseWith<S extends Schema>(schema: S, record: Record<string, unknown>): Infer<S> | null {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) {
    // own properties only: a key inherited from Object.prototype is not something the peer sent
    const raw = Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
    const value = schema[key]!(raw);
    if (value === INVALID) return null;
    if (value !== undefined) out[key] = value;
  }
  return out as Infer<S>;
}
