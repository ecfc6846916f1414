// Just enough STUN (RFC 5389) to ask "is a STUN/TURN server answering on this UDP port?":
// one Binding request, success = a Binding success response (0x0101) with our transaction id.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;

export function bindingRequest(): { packet: Buffer; transactionId: Buffer } {
  const transactionId = randomBytes(12);
  const header = Buffer.alloc(8);
  header.writeUInt16BE(BINDING_REQUEST, 0);
  header.writeUInt16BE(0, 2); // no attributes
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  return { packet: Buffer.concat([header, transactionId]), transactionId };
}

/** Resolves true when `host:port` answers a Binding request within `timeoutMs`, false otherwise. */
export function stunAnswers(port: number, host = '127.0.0.1', timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const { packet, transactionId } = bindingRequest();
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('error', () => done(false));
    sock.on('message', (msg) => {
      if (msg.length >= 20 && msg.readUInt16BE(0) === BINDING_SUCCESS && msg.subarray(8, 20).equals(transactionId)) done(true);
    });
    sock.send(packet, port, host);
  });
}
