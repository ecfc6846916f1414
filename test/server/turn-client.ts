// A minimal TURN client (RFC 5766 ALLOCATE over UDP with long-term credentials, RFC 5389
// §10.2) so tests can prove coturn accepts, or rejects, credentials from the stand-in.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

const MAGIC = 0x2112a442;
const ALLOCATE = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
} as const;

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([header, value, pad]);
}

function message(type: number, transactionId: Buffer, attrs: Buffer[], integrityKey?: Buffer): Buffer {
  let body = Buffer.concat(attrs);
  const header = (length: number): Buffer => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(MAGIC, 4);
    transactionId.copy(h, 8);
    return h;
  };
  if (integrityKey) {
    // HMAC over the message with the length already counting the 24-byte MESSAGE-INTEGRITY.
    const hmac = createHmac('sha1', integrityKey).update(Buffer.concat([header(body.length + 24), body])).digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, hmac)]);
  }
  return Buffer.concat([header(body.length), body]);
}

function parse(msg: Buffer): { type: number; attrs: Map<number, Buffer> } {
  const attrs = new Map<number, Buffer>();
  const length = msg.readUInt16BE(2);
  let at = 20;
  while (at + 4 <= 20 + length) {
    const t = msg.readUInt16BE(at);
    const l = msg.readUInt16BE(at + 2);
    attrs.set(t, msg.subarray(at + 4, at + 4 + l));
    at += 4 + l + ((4 - (l % 4)) % 4);
  }
  return { type: msg.readUInt16BE(0), attrs };
}

function exchange(sock: dgram.Socket, packet: Buffer, port: number, host: string, timeoutMs: number): Promise<Buffer> {
  const transactionId = packet.subarray(8, 20);
  return new Promise((resolve, reject) => {
    const onMessage = (msg: Buffer): void => {
      if (msg.length < 20 || !msg.subarray(8, 20).equals(transactionId)) return;
      deadline.removeEventListener('abort', onTimeout);
      sock.off('message', onMessage);
      resolve(msg);
    };
    const deadline = AbortSignal.timeout(timeoutMs);
    const onTimeout = (): void => {
      sock.off('message', onMessage);
      reject(new Error(`no TURN answer from ${host}:${port} in ${timeoutMs} ms`));
    };
    deadline.addEventListener('abort', onTimeout, { once: true });
    sock.on('message', onMessage);
    sock.send(packet, port, host);
  });
}

export type AllocateResult = { ok: true; relayedPort: number } | { ok: false; errorCode: number; reason: string };

/** ALLOCATE a UDP relay with long-term credentials: the 401 challenge, then the signed request. */
export async function turnAllocate(o: { host?: string; port: number; username: string; credential: string; timeoutMs?: number }): Promise<AllocateResult> {
  const host = o.host ?? '127.0.0.1';
  const timeoutMs = o.timeoutMs ?? 2000;
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    const transport = attribute(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0])); // UDP
    const challenge = parse(await exchange(sock, message(ALLOCATE, randomBytes(12), [transport]), o.port, host, timeoutMs));
    const realm = challenge.attrs.get(ATTR.REALM);
    const nonce = challenge.attrs.get(ATTR.NONCE);
    if (challenge.type !== ALLOCATE_ERROR || !realm || !nonce) throw new Error('expected a 401 challenge with REALM and NONCE');
    const key = createHash('md5').update(`${o.username}:${realm.toString()}:${o.credential}`).digest();
    const signed = message(
      ALLOCATE,
      randomBytes(12),
      [transport, attribute(ATTR.USERNAME, Buffer.from(o.username)), attribute(ATTR.REALM, realm), attribute(ATTR.NONCE, nonce)],
      key,
    );
    const answer = parse(await exchange(sock, signed, o.port, host, timeoutMs));
    if (answer.type === ALLOCATE_SUCCESS) {
      const relayed = answer.attrs.get(ATTR.XOR_RELAYED_ADDRESS);
      return { ok: true, relayedPort: relayed ? relayed.readUInt16BE(2) ^ (MAGIC >>> 16) : -1 };
    }
    const err = answer.attrs.get(ATTR.ERROR_CODE);
    if (answer.type !== ALLOCATE_ERROR || !err) throw new Error(`unexpected TURN answer type 0x${answer.type.toString(16)}`);
    return { ok: false, errorCode: (err[2]! & 0x7) * 100 + err[3]!, reason: err.subarray(4).toString() };
  } finally {
    sock.close();
  }
}
