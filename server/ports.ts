// Picking ports for a coturn instance so that several servers (parallel test files,
// a benchmark, a developer's own server) run side by side without clashing.
import dgram from 'node:dgram';
import net from 'node:net';

function bindUdp(port: number, host: string): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(null);
    });
    s.bind(port, host, () => resolve(s));
  });
}

function listenTcp(port: number, host: string): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(null));
    srv.listen({ port, host, exclusive: true }, () => resolve(srv));
  });
}

/** A port that is free on `host` for both UDP and TCP right now (coturn listens on both). */
export async function freeUdpTcpPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = await bindUdp(0, host);
    if (!udp) continue;
    const port = udp.address().port;
    const tcp = await listenTcp(port, host);
    udp.close();
    if (tcp) {
      await new Promise((r) => tcp.close(r));
      return port;
    }
  }
  throw new Error('no port free for both UDP and TCP');
}

// Relay ranges are carved out of 10240–32767, below Linux's ephemeral range (32768+), so
// they never collide with ports the OS hands out. Blocks are handed out in turn within a
// process and start at a random block, so separate processes rarely overlap; when they do,
// coturn just skips a relay port that is already bound.
const RELAY_FIRST = 10240;
const RELAY_BLOCK = 256;
const RELAY_BLOCKS = Math.floor((32768 - RELAY_FIRST) / RELAY_BLOCK);
let nextBlock = Math.floor(Math.random() * RELAY_BLOCKS);

export function relayPortRange(): { min: number; max: number } {
  const block = nextBlock;
  nextBlock = (nextBlock + 1) % RELAY_BLOCKS;
  const min = RELAY_FIRST + block * RELAY_BLOCK;
  return { min, max: min + RELAY_BLOCK - 1 };
}
