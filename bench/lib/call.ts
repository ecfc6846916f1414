// Two-party and N-party calls, timed from the probes' clocks.
import type { Browser } from 'playwright-core';
import { openParticipant, type CallSide, type Participant, type Snapshot } from './browser.ts';
import { seat, uniqueRoom, type ContenderId, type Env } from './contenders.ts';

export const waitMarks = (p: CallSide, names: string[], timeoutMs: number) => p.waitMarks(names, timeoutMs);
export const waitDecoded = (p: CallSide, n: number, timeoutMs: number) => p.waitDecoded(n, timeoutMs);

/** Time (wall ms) at which the page had decoded a frame from its k-th distinct remote participant, or null. */
export function kthFirstFrame(s: Snapshot, k: number): number | null {
  const bySender = new Map<string, number>();
  for (const f of Object.values(s.frames)) {
    if (f.first === null) continue;
    const key = f.sender ?? f.streamId;
    bySender.set(key, Math.min(bySender.get(key) ?? Infinity, f.first));
  }
  const firsts = [...bySender.values()].sort((a, b) => a - b);
  return firsts.length >= k ? firsts[k - 1]! : null;
}

/** Distinct remote participants this page has presented a frame from. */
export const decodedPeers = (s: Snapshot) =>
  new Set(Object.values(s.frames).filter(f => f.first !== null).map(f => f.sender ?? f.streamId)).size;

/** Milestones of the joining participant relative to the clock start, for the breakdown. */
export const BREAKDOWN_STEPS: [string, string][] = [
  ['script', 'page + script loaded (DOMContentLoaded)'],
  ['turn', 'TURN credentials fetched'],
  ['gum-done', 'camera + mic open'],
  ['ws-open', 'signalling socket open'],
  ['joined', 'joined (subscribe acked / id accepted)'],
  ['pc', 'peer connection created'],
  ['offer', 'first offer sent or received'],
  ['negotiated', 'offer/answer done (stable)'],
  ['ice-connected', 'ICE connected'],
  ['connected', 'DTLS connected'],
  ['track', 'remote track'],
  ['first-frame', 'first remote frame (this side)'],
];

export function breakdown(s: Snapshot, t0: number, turnUrlPart = '/turn'): Record<string, number | null> {
  const rel = (t: number | null | undefined) => (t == null ? null : t - t0);
  const turn = s.resources.find(r => r.name.includes(turnUrlPart) || r.name.includes('credentials'));
  const m = s.marks;
  const offer = Math.min(m['offer-sent'] ?? Infinity, m['offer-received'] ?? Infinity);
  return {
    script: rel(s.domContentLoaded),
    turn: rel(turn?.end),
    'gum-done': rel(m['gum-done']),
    'ws-open': rel(m['ws-open']),
    joined: rel(m['joined']),
    pc: rel(m['pc']),
    offer: rel(Number.isFinite(offer) ? offer : null),
    negotiated: rel(m['negotiated']),
    'ice-connected': rel(m['ice-connected']),
    connected: rel(m['connected']),
    track: rel(m['track']),
    'first-frame': rel(m['first-frame']),
  };
}

export interface TwoPartyResult {
  ok: boolean;
  /** clock start (second page starts loading) → first remote frame on both sides, ms */
  ms: number | null;
  sides: [number | null, number | null];
  steps: Record<string, number | null>;
  /** selected candidate pairs (local/remote type) on the joining side, e.g. "host/host", "relay/relay" */
  pairs?: string[];
  diag?: unknown;
}

/**
 * One two-party call: participant 1 loads and joins, then participant 2's page starts
 * loading (the clock starts at its navigation start) and the call is timed until both
 * sides have decoded a remote frame. Participants stay open if `keep` is set.
 */
export async function twoParty(
  browser: Browser, env: Env, c: ContenderId,
  opts: {
    relay?: boolean; timeoutMs?: number; keep?: boolean; room?: string;
    /** opens participant 1 elsewhere (a Firefox page); participant 2, the clock's page, stays in `browser` */
    first?: () => Promise<CallSide>;
  } = {},
): Promise<TwoPartyResult & { participants?: CallSide[] }> {
  const timeoutMs = opts.timeoutMs ?? 10000;
  const room = opts.room ?? uniqueRoom(`ff-${c}`);
  const [p1, p2] = await Promise.all([
    opts.first ? opts.first() : openParticipant(browser, { forceRelay: opts.relay }),
    openParticipant(browser, { forceRelay: opts.relay }),
  ]);
  const s1 = seat(c, env, room, 0, { turn: opts.relay }), s2 = seat(c, env, room, 1, { turn: opts.relay });
  try {
    await p1.goto(s1.url);
    if (!(await waitMarks(p1, s1.ready, 15000))) {
      const snap = await p1.snapshot().catch(() => null);
      return { ok: false, ms: null, sides: [null, null], steps: {}, diag: { stage: 'first participant not ready', marks: snap?.marks, logs: p1.logs.slice(-5) } };
    }
    await p2.goto(s2.url);
    // both pages wait in-page; the deadline is counted from page 2's navigation start
    const t0 = await p2.timeOrigin();
    const left = Math.max(0, t0 + timeoutMs - Date.now());
    await Promise.all([waitDecoded(p1, 1, left), waitDecoded(p2, 1, left)]);
    const [a, b] = await Promise.all([p1.snapshot(), p2.snapshot()]);
    const f1 = kthFirstFrame(a, 1), f2 = kthFirstFrame(b, 1);
    const sides: [number | null, number | null] = [f1 === null ? null : f1 - t0, f2 === null ? null : f2 - t0];
    const done = f1 !== null && f2 !== null ? Math.max(f1, f2) - t0 : null;
    const ok = done !== null && done <= timeoutMs;
    const steps = breakdown(b, t0);
    steps['other-first-frame'] = sides[0];
    const pairs = ok ? (await p2.rtcStats().catch(() => null))?.candidatePairs : undefined;
    return {
      ok, ms: ok ? done : null, sides, steps, ...(pairs ? { pairs } : {}),
      ...(ok ? {} : { diag: { p1: { marks: rel(a.marks, t0), pcs: a.pcs }, p2: { marks: rel(b.marks, t0), pcs: b.pcs }, logs: [...p1.logs.slice(-5), ...p2.logs.slice(-5)] } }),
      ...(opts.keep ? { participants: [p1, p2] } : {}),
    };
  } finally {
    if (!opts.keep) await Promise.all([p1.close(), p2.close()]);
  }
}

const rel = (marks: Record<string, number>, t0: number) =>
  Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v - t0)]));

export interface MeshResult {
  ok: boolean;
  /** earliest navigation start → every page has decoded every other participant, ms */
  ms: number | null;
  decodedPerPage: number[];
  /** per page: its peer connections' states when the wait ended */
  pcStates: Snapshot['pcs'][];
  participants: Participant[];
  t0: number;
  diag?: unknown;
}

/** N participants' pages start loading at once; resolves when every page decodes all others (or at the timeout). */
export async function mesh(browser: Browser, env: Env, c: ContenderId, n: number, timeoutMs: number, beforeStart?: () => void): Promise<MeshResult> {
  const room = uniqueRoom(`mesh${n}-${c}`);
  const ps = await Promise.all(Array.from({ length: n }, () => openParticipant(browser)));
  beforeStart?.();
  await Promise.all(ps.map((p, i) => p.goto(seat(c, env, room, i).url)));
  const t0s = await Promise.all(ps.map(p => p.page.evaluate(() => performance.timeOrigin)));
  const t0 = Math.min(...t0s);
  const left = Math.max(0, t0 + timeoutMs - Date.now());
  await Promise.all(ps.map(p => waitDecoded(p, n - 1, left)));
  const snaps = await Promise.all(ps.map(p => p.snapshot()));
  const ends = snaps.map(s => kthFirstFrame(s, n - 1));
  const ok = ends.every(e => e !== null && e - t0 <= timeoutMs);
  const ms = ok ? Math.max(...(ends as number[])) - t0 : null;
  return {
    ok, ms, t0, participants: ps,
    decodedPerPage: snaps.map(decodedPeers),
    pcStates: snaps.map(s => s.pcs),
    ...(ok ? {} : { diag: snaps.map(s => ({ marks: rel(s.marks, t0), pcs: s.pcs })) }),
  };
}
