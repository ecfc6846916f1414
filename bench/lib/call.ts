// Two-party and N-party calls, timed from the probes' clocks.
import type { Browser } from 'playwright-core';
import { openInOwnBrowser, openParticipant, type CallSide, type Participant, type Snapshot } from './browser.ts';
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
 * sides have decoded a remote frame. Participants stay open if `keep` is set. With
 * `ownBrowsers` each page runs in a browser of its own, as two visitors' would.
 */
export async function twoParty(
  browser: Browser, env: Env, c: ContenderId,
  opts: {
    relay?: boolean; timeoutMs?: number; keep?: boolean; room?: string;
    /** opens participant 1 elsewhere (a Firefox page); participant 2, the clock's page, stays in `browser` */
    first?: () => Promise<CallSide>;
    /** each page in a browser of its own, launched for this call (`browser` is not used) */
    ownBrowsers?: boolean;
  } = {},
): Promise<TwoPartyResult & { participants?: CallSide[] }> {
  const timeoutMs = opts.timeoutMs ?? 10000;
  const room = opts.room ?? uniqueRoom(`ff-${c}`);
  const open = () => (opts.ownBrowsers ? openInOwnBrowser({ forceRelay: opts.relay }) : openParticipant(browser, { forceRelay: opts.relay }));
  const [p1, p2] = await Promise.all([opts.first ? opts.first() : open(), open()]);
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

/** How the participants of a mesh run arrive. */
export type MeshMode = 'together' | 'staggered' | 'late-joiner' | 'reload' | 'mixed';

export interface MeshRun extends MeshResult {
  mode: MeshMode;
  /** contender per participant (all the same except in `mixed`) */
  who: ContenderId[];
  /** navigation delays (staggered), ms after the first */
  delays?: number[];
  /** reload: connections the others rebuilt besides the one to the reloaded page */
  othersLost?: number;
}

const WAIT_SETTLE_MS = 15000;

/**
 * One mesh run of `who.length` participants in `mode`:
 * - `together` / `mixed`: every page starts loading at once;
 * - `staggered`: page i starts `delays[i]` ms after the first (0–2 s apart, random);
 * - `late-joiner`: all but the last form a full mesh, then the last page loads;
 * - `reload`: a full mesh forms, then the last participant reloads its page.
 * The clock starts at the first navigation (together, staggered, mixed) or at the late or
 * reloaded page's navigation, and stops when every page decodes every other participant
 * (its current incarnation). A stalled settle phase (late-joiner, reload) is a stall.
 */
export async function meshRun(browser: Browser, env: Env, who: ContenderId[], mode: MeshMode, timeoutMs: number, beforeStart?: () => void): Promise<MeshRun> {
  const n = who.length;
  const room = uniqueRoom(`mesh${n}-${mode}`);
  const ps = await Promise.all(who.map(() => openParticipant(browser)));
  const urls = who.map((c, i) => seat(c, env, room, i).url);
  const decodedAll = async (pages: Participant[], k: number, deadline: number) =>
    (await Promise.all(pages.map(p => waitDecoded(p, k, Math.max(0, deadline - Date.now()))))).every(Boolean);
  let delays: number[] | undefined;
  let t0: number;
  let expectPerPage = ps.map(() => n - 1);
  let othersLost: number | undefined;
  const failSettle = async (stage: string): Promise<MeshRun> => {
    const snaps = await Promise.all(ps.map(p => p.snapshot().catch(() => null)));
    return { ok: false, ms: null, t0: 0, participants: ps, mode, who, decodedPerPage: snaps.map(s => (s ? decodedPeers(s) : 0)),
      pcStates: snaps.map(s => s?.pcs ?? []), diag: { stage } };
  };
  if (mode === 'late-joiner' || mode === 'reload') {
    const first = mode === 'late-joiner' ? ps.slice(0, -1) : ps;
    await Promise.all(first.map((p, i) => p.goto(urls[i]!)));
    if (!(await decodedAll(first, first.length - 1, Date.now() + WAIT_SETTLE_MS))) return failSettle('the first mesh did not form');
    beforeStart?.();
    const last = ps[n - 1]!;
    if (mode === 'reload') {
      const before = await Promise.all(ps.slice(0, -1).map(p => p.snapshot()));
      othersLost = -before.reduce((a, s) => a + s.pcsCreated, 0);
      await last.page.reload({ waitUntil: 'commit' });
      // the others see a new participant: the reloaded page's new stream counts as one more sender
      expectPerPage = ps.map((_, i) => (i === n - 1 ? n - 1 : n));
    } else await last.goto(urls[n - 1]!);
    t0 = await last.timeOrigin();
  } else {
    beforeStart?.();
    if (mode === 'staggered') {
      delays = [0, ...Array.from({ length: n - 1 }, () => Math.round(Math.random() * 2000))].sort((a, b) => a - b);
      const start = Date.now();
      await Promise.all(ps.map(async (p, i) => {
        await new Promise(r => setTimeout(r, Math.max(0, start + delays![i]! - Date.now())));
        await p.goto(urls[i]!);
      }));
    } else await Promise.all(ps.map((p, i) => p.goto(urls[i]!)));
    t0 = Math.min(...(await Promise.all(ps.map(p => p.timeOrigin()))));
  }
  const left = Math.max(0, t0 + timeoutMs - Date.now());
  await Promise.all(ps.map((p, i) => waitDecoded(p, expectPerPage[i]!, left)));
  const snaps = await Promise.all(ps.map(p => p.snapshot()));
  const ends = snaps.map((s, i) => kthFirstFrame(s, expectPerPage[i]!));
  const ok = ends.every(e => e !== null && e - t0 <= timeoutMs);
  if (othersLost !== undefined) {
    // connections the others built after the reload, beyond the one each needs to the
    // reloaded page: every extra one replaced a connection that should have stayed up
    othersLost += snaps.slice(0, -1).reduce((a, s) => a + s.pcsCreated, 0);
    othersLost = Math.max(0, othersLost - (n - 1));
  }
  return {
    ok, ms: ok ? Math.max(...(ends as number[])) - t0 : null, t0, participants: ps, mode, who,
    decodedPerPage: snaps.map(decodedPeers),
    pcStates: snaps.map(s => s.pcs),
    ...(delays ? { delays } : {}),
    ...(othersLost !== undefined ? { othersLost } : {}),
    ...(ok ? {} : { diag: snaps.map(s => ({ marks: rel(s.marks, t0), pcs: s.pcs })) }),
  };
}
