// Mesh: N participants (a browser context each) in one room, N = 2, 3, 4, 6 and 8, the
// element pages with max-peers="8" against the plain SDK pages (Metered's tutorial).
// Everyone joins at once; a run that has not reached a full mesh (every page decodes every
// other participant) within 30 s is a stall. Then the start modes, at one size:
//   staggered    joins 0–2 s apart (random)
//   late-joiner  one participant joins a full mesh
//   reload       one participant of a full mesh reloads its page; the others should
//                keep every other connection (connections they rebuild beyond the one
//                to the reloaded page are counted)
//   mixed        element and plain pages alternating, everyone at once
// Per run: time, stalls, browser and server CPU, media sent, signalling bytes sent per
// participant, the element's recovery counters (n/a when the element has none) and what
// its media policy sends (tiers on the tiles, its counters).
import type { Ctx } from '../lib/ctx.ts';
import { meshRun, type MeshMode, type MeshRun } from '../lib/call.ts';
import { browserCpu, sleep, type Participant } from '../lib/browser.ts';
import { cpuDelta } from '../lib/procs.ts';
import { CONTENDERS, type ContenderId } from '../lib/contenders.ts';
import { summarize, addRatios, median, type Result } from '../lib/results.ts';

const HOLD_MS = 3000;
const STALL_MS = 30000;
const MODES: MeshMode[] = ['staggered', 'late-joiner', 'reload', 'mixed'];

/** What an element page says about itself; null for a plain page. */
interface ElementReport {
  /** the session's recovery counters (issue 13), or null when this element has none */
  recovery: Record<string, number> | null;
  /** what the media policy sends: the tier per remote tile (or `paused`), our tier, its counters */
  media: { send: string[]; quality: string | null; counters: Record<string, number> } | null;
}

/**
 * Reads the element's counters in its page: the recovery counters under the names they may
 * have (tried in turn), what the media policy sends. Page source as a string: a function
 * compiled here would carry the TypeScript loader's helpers into the page.
 */
const ELEMENT_REPORT = `(() => {
  const el = document.querySelector('metered-call');
  if (!el) return null;
  const numbers = o => {
    if (!o || typeof o !== 'object') return null;
    const out = {};
    for (const [k, v] of Object.entries(o)) if (typeof v === 'number') out[k] = v;
    return Object.keys(out).length ? out : null;
  };
  const session = el.session;
  const recovery = numbers(session && session.recovery) ?? null;
  const sq = el.sendQuality;
  const root = el.shadowRoot;
  const media = sq && root ? {
    send: [...root.querySelectorAll('[data-send]')].map(t => t.dataset.send || ''),
    quality: root.querySelector('[part~="local"]')?.dataset.quality ?? null,
    counters: numbers(sq.counters) ?? {},
  } : null;
  return { recovery, media };
})()`;

const elementReport = (p: Participant): Promise<ElementReport | null> =>
  p.page.evaluate(ELEMENT_REPORT).then(r => r as ElementReport | null, () => null);

interface Run {
  ok: boolean; ms: number | null; tiles: number; connected: number; states: Record<string, number>;
  browserCpu: number; serverCpu: number; holdCores: number | null; sendKbps: number[]; signallingBytes: number[];
  /** per element page */
  reports: ElementReport[];
  othersLost?: number;
  diag?: unknown;
}

/** Sum of each counter over the pages of a run; null when no page had counters. */
function sumCounters(list: (Record<string, number> | null | undefined)[]): Record<string, number> | null {
  const have = list.filter((c): c is Record<string, number> => !!c);
  if (!have.length) return null;
  const out: Record<string, number> = {};
  for (const c of have) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** "k median (max)" per counter over runs, or n/a. */
function countersText(perRun: (Record<string, number> | null)[]): string {
  const have = perRun.filter((c): c is Record<string, number> => !!c);
  if (!have.length) return 'n/a';
  const keys = [...new Set(have.flatMap(c => Object.keys(c)))];
  return keys.map(k => {
    const v = have.map(c => c[k] ?? 0);
    return `${k} ${median(v)} (max ${Math.max(...v)})`;
  }).join(' · ');
}

function tierText(runs: Run[]): string {
  const counts: Record<string, number> = {};
  for (const r of runs) for (const rep of r.reports) for (const s of rep.media?.send ?? []) counts[s] = (counts[s] ?? 0) + 1;
  const text = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(' · ');
  return text || 'n/a';
}

async function oneRun(ctx: Ctx, who: ContenderId[], mode: MeshMode): Promise<Run> {
  const browser = await ctx.browser();
  const server = ctx.metered!;
  let cpu0 = new Map<number, number>(), srv0 = 0;
  const r: MeshRun = await meshRun(browser, ctx.env, who, mode, STALL_MS, () => { cpu0 = browserCpu(); srv0 = server.cpu(); });
  const cpu1 = browserCpu(), srv1 = server.cpu(), c0 = Date.now();
  let holdCores: number | null = null;
  let sendKbps: number[] = [];
  if (mode === 'together' && r.ok) {
    // full mesh held for a moment: upstream rate per participant and CPU while everyone sends
    const stats0 = await Promise.all(r.participants.map(p => p.rtcStats().catch(() => null)));
    const h0 = Date.now();
    await sleep(HOLD_MS);
    const stats1 = await Promise.all(r.participants.map(p => p.rtcStats().catch(() => null)));
    const held = (Date.now() - h0) / 1000;
    holdCores = cpuDelta(cpu1, browserCpu()) / ((Date.now() - c0) / 1000);
    sendKbps = stats1.map((s, k) => (s && stats0[k] ? ((s.bytesSent - stats0[k]!.bytesSent) * 8) / 1000 / held : 0));
  }
  const snaps = await Promise.all(r.participants.map(p => p.snapshot().catch(() => null)));
  const reports = (await Promise.all(r.participants.map((p, i) => (who[i] === 'a' ? elementReport(p) : Promise.resolve(null)))))
    .filter((x): x is ElementReport => !!x);
  await Promise.all(r.participants.map(p => p.close()));
  const states: Record<string, number> = {};
  for (const pc of r.pcStates.flat()) {
    const k = pc.connectionState === 'connected' ? 'connected' : `${pc.connectionState}/${pc.signalingState}`;
    states[k] = (states[k] ?? 0) + 1;
  }
  const size = who.length;
  return {
    ok: r.ok, ms: r.ms,
    tiles: r.decodedPerPage.reduce((a, b) => a + Math.min(b, size - 1), 0),
    connected: r.pcStates.flat().filter(pc => pc.connectionState === 'connected').length,
    states,
    browserCpu: cpuDelta(cpu0, cpu1), serverCpu: srv1 - srv0, holdCores, sendKbps,
    signallingBytes: snaps.map(s => s?.wsSent ?? 0),
    reports,
    ...(r.othersLost !== undefined ? { othersLost: r.othersLost } : {}),
    ...(r.ok ? {} : { diag: r.diag }),
  };
}

function logRun(ctx: Ctx, label: string, run: Run) {
  const rec = sumCounters(run.reports.map(x => x.recovery));
  const media = sumCounters(run.reports.map(x => x.media?.counters));
  const sig = Math.round(median(run.signallingBytes) ?? 0);
  ctx.log(`  ${label}: ${run.ok ? Math.round(run.ms!) + ' ms' : `STALL (connections ${JSON.stringify(run.states)})`}` +
    `, signalling ${sig} B/participant, recovery ${rec ? JSON.stringify(rec) : 'n/a'}` +
    (run.reports.length ? `, sending ${tierText([run])}${media ? ` ${JSON.stringify(media)}` : ''}` : '') +
    (run.othersLost !== undefined ? `, others rebuilt ${run.othersLost}` : '') +
    `, browser CPU ${run.browserCpu.toFixed(1)} s`);
}

function rows(sc: string, label: string, c: string, rs: Run[], full: boolean): Result[] {
  const ok = rs.filter(r => r.ok);
  const out: Result[] = [];
  const mine = c === 'a';
  // a stalled run counts as the stall time: a lower bound, so stalls cannot flatter a contender
  out.push(summarize({ scenario: sc, figure: `${label}: every page decodes every other (stall = ${STALL_MS / 1000} s)`, contender: c, unit: 'ms',
    ...(mine ? { goal: '≤ 1.0× plain SDK pages, no stall' } : {}), extra: { timeoutMs: STALL_MS, okOnly: ok.map(r => r.ms) } }, rs.map(r => (r.ok ? r.ms! : STALL_MS))));
  out.push({ scenario: sc, figure: `${label}: stalled runs`, contender: c, unit: 'runs', n: rs.length, median: rs.length - ok.length, p95: null, ratios: {},
    ...(mine || c === 'mix' ? { goal: 'none', met: rs.length > 0 && ok.length === rs.length } : {}),
    extra: { stalls: rs.filter(r => !r.ok).map(r => r.diag) } });
  out.push(summarize({ scenario: sc, figure: `${label}: signalling sent per participant`, contender: c, unit: 'B', ...(mine ? { goal: '≤ plain SDK pages' } : {}) },
    rs.flatMap(r => r.signallingBytes)));
  if (c !== 'b') {
    const perRun = rs.map(r => sumCounters(r.reports.map(x => x.recovery)));
    out.push({ scenario: sc, figure: `${label}: recovery counters, sum over the element pages (median, max over runs)`, contender: c, unit: 'text', n: rs.length,
      median: null, p95: null, ratios: {}, extra: { text: countersText(perRun), perRun } });
    const media = rs.map(r => sumCounters(r.reports.map(x => x.media?.counters)));
    out.push({ scenario: sc, figure: `${label}: video sent per connection when the wait ended (tiers on the tiles; media policy counters)`, contender: c, unit: 'text', n: rs.length,
      median: null, p95: null, ratios: {}, extra: { text: `${tierText(rs)}; ${countersText(media)}`, perRun: media } });
  }
  const rebuilt = rs.filter(r => r.othersLost !== undefined);
  if (rebuilt.length) out.push(summarize({ scenario: sc, figure: `${label}: connections the others rebuilt besides the one to the reloaded page`, contender: c, unit: 'count',
    ...(mine ? { goal: '0' } : {}) }, rebuilt.map(r => r.othersLost!)));
  if (full) {
    out.push(summarize({ scenario: sc, figure: `${label}: remote tiles decoded when the wait ended`, contender: c, unit: 'count', extra: { connectionStates: rs.map(r => r.states) } }, rs.map(r => r.tiles)));
    out.push(summarize({ scenario: sc, figure: `${label}: peer connections connected when the wait ended`, contender: c, unit: 'count' }, rs.map(r => r.connected)));
    out.push(summarize({ scenario: sc, figure: `${label}: browser CPU until full mesh (all processes)`, contender: c, unit: 's' }, rs.map(r => r.browserCpu)));
    out.push(summarize({ scenario: sc, figure: `${label}: server CPU until full mesh`, contender: c, unit: 's' }, rs.map(r => r.serverCpu)));
    out.push(summarize({ scenario: sc, figure: `${label}: browser CPU in full mesh`, contender: c, unit: 'cores' }, rs.flatMap(r => (r.holdCores === null ? [] : [r.holdCores]))));
    out.push(summarize({ scenario: sc, figure: `${label}: media sent per participant`, contender: c, unit: 'kbit/s' }, rs.flatMap(r => r.sendKbps)));
  }
  return out;
}

/** Marks the element's time row met when ≤ 1.0× the plain pages with no stall. */
function judge(these: Result[]) {
  addRatios(these, r => r.figure, 'a', ['b']);
  const t = these.find(r => r.contender === 'a' && r.unit === 'ms');
  const stalls = these.find(r => r.contender === 'a' && r.unit === 'runs');
  if (t) t.met = t.ratios.b != null && t.ratios.b <= 1.0 && (stalls?.met ?? false);
  const sig = these.find(r => r.contender === 'a' && r.unit === 'B');
  if (sig) sig.met = sig.ratios.b != null && sig.ratios.b <= 1.0;
  const rebuilt = these.find(r => r.contender === 'a' && r.figure.includes('rebuilt'));
  if (rebuilt) rebuilt.met = rebuilt.n > 0 && (rebuilt.samples ?? []).every(v => v === 0);
}

export async function meshScenario(ctx: Ctx): Promise<Result[]> {
  const small = ctx.n === 1 || ctx.quick;
  const sizes = ctx.n === 1 ? [2, 3] : ctx.quick ? [2] : [2, 3, 4, 6, 8];
  const modeSize = small ? 3 : 6;
  const reps = ctx.n ?? (ctx.quick ? 1 : 5);
  const cs = ctx.contenders.filter(c => c !== 'c'); // PeerJS has no rooms: not a mesh contender
  const out: Result[] = [];
  for (const size of sizes) {
    const runs: Record<string, Run[]> = Object.fromEntries(cs.map(c => [c, []]));
    for (let i = 0; i < reps; i++) {
      for (const c of cs) {
        const run = await oneRun(ctx, Array.from({ length: size }, () => c), 'together');
        runs[c]!.push(run);
        logRun(ctx, `mesh ${size} ${CONTENDERS[c].short} #${i + 1}`, run);
      }
    }
    const these = Object.entries(runs).flatMap(([c, rs]) => rows(`mesh-${size}`, `${size} participants`, c, rs, true));
    judge(these);
    out.push(...these);
  }
  if (!cs.includes('a') || !cs.includes('b')) return out;
  for (const mode of MODES) {
    const who = mode === 'mixed' ? [['a', 'b'] as ContenderId[]] : cs.map(c => [c]);
    const runs: Record<string, Run[]> = {};
    for (let i = 0; i < reps; i++) {
      for (const kinds of who) {
        const seats = Array.from({ length: modeSize }, (_, k) => kinds[k % kinds.length]!);
        const id = kinds.length > 1 ? 'mix' : kinds[0]!;
        const run = await oneRun(ctx, seats, mode);
        (runs[id] ??= []).push(run);
        logRun(ctx, `mesh ${mode} ${modeSize} ${id === 'mix' ? 'element + plain' : CONTENDERS[id as ContenderId].short} #${i + 1}`, run);
      }
    }
    const these = Object.entries(runs).flatMap(([c, rs]) => rows(`mesh-${mode}-${modeSize}`, `${modeSize} participants, ${mode}`, c, rs, false));
    judge(these);
    out.push(...these);
  }
  return out;
}
