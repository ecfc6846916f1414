// The three contenders and how to open each one's page.
import type { MeteredInfo, PeerjsInfo } from './servers.ts';

export type ContenderId = 'a' | 'b' | 'c';

export const CONTENDERS: Record<ContenderId, { id: ContenderId; label: string; short: string }> = {
  a: { id: 'a', label: '(a) <metered-call> element', short: 'element' },
  b: { id: 'b', label: '(b) plain SDK page (tutorial)', short: 'plain SDK' },
  c: { id: 'c', label: '(c) PeerJS + peer server', short: 'PeerJS' },
};

export interface Env {
  origin: string;
  metered: MeteredInfo;
  peerjs: PeerjsInfo;
}

export const DEV_KEY = 'pk_live_local';

export interface Seat {
  /** page URL for participant `index` (0-based) of a call in `room` */
  url: string;
  /** milestones (probe marks) after which this participant is in the call with its media */
  ready: string[];
}

/**
 * `index` is the participant's position; for PeerJS (no rooms) participant 0 listens under
 * the id `<room>-0` and every later one calls it (two-party calls only).
 */
export function seat(c: ContenderId, env: Env, room: string, index: number, opts: { turn?: boolean } = {}): Seat {
  const turnUrl = `${env.metered.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  const name = `P${index + 1}`;
  const q = (o: Record<string, string | number | undefined>) =>
    new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();
  switch (c) {
    case 'a':
      return {
        url: `${env.origin}/bench/pages/element.tmpl.html?${q({ room, key: DEV_KEY, server: env.metered.wsUrl, turn: turnUrl, name, maxPeers: 8 })}`,
        ready: ['joined', 'gum-done'],
      };
    case 'b':
      return {
        // Metered's tutorial page and call.js as published (bench/pages/tutorial*.tmpl.*)
        url: `${env.origin}/bench/pages/tutorial.tmpl.html?${q({
          server: env.metered.wsUrl, turnCredentials: env.metered.turnCredentialsUrl, turnKey: DEV_KEY, key: DEV_KEY, room,
        })}`,
        ready: ['joined', 'gum-done'],
      };
    case 'c':
      return {
        url: `${env.origin}/bench/pages/peerjs.html?${q({
          port: env.peerjs.port, id: `${room}-${index}`, call: index > 0 ? `${room}-0` : undefined,
          turn: opts.turn ? turnUrl : undefined,
        })}`,
        ready: ['joined', 'gum-done'],
      };
  }
}

let counter = 0;
export const uniqueRoom = (prefix: string) => `${prefix}-${process.pid.toString(36)}-${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
