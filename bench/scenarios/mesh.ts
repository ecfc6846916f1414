// Mesh: 2, 3, 4 and 6 participants (a browser context each) start loading at once;
// time until every page decodes every other participant, stalled runs, CPU of the
// browser and of the signalling server, bytes sent per participant.
import type { Ctx } from '../lib/ctx.ts';
import { mesh } from '../lib/call.ts';
import { browserCpu, sleep } from '../lib/browser.ts';
import { cpuDelta } from '../lib/procs.ts';
import { CONTENDERS, type ContenderId } from '../lib/contenders.ts';
import { summarize, addRatios, type Result } from '../lib/results.ts';

const HOLD_MS = 3000;

interface Run { ok: boolean; ms: number | null; tiles: number; connected: number; states: Record<string, number>; browserCpu: number; serverCpu: number; holdCores: number; sendKbps: number[]; signallingBytes: number[]; diag?: unknown }

export async function meshScenario(ctx: Ctx): Promise<Result[]> {
  const sizes = ctx.n === 1 ? [2, 3] : ctx.quick ? [2, 3, 4, 6] : [2, 3, 4, 6];
  const reps = ctx.n ?? (ctx.quick ? 1 : 2);
  const timeoutMs = ctx.quick || ctx.n === 1 ? 15000 : 20000;
  const cs = ctx.contenders.filter(c => c !== 'c'); // PeerJS has no rooms: not a mesh contender
  const out: Result[] = [];
  const browser = await ctx.browser();
  const server = ctx.metered!;
  for (const size of sizes) {
    const runs: Record<string, Run[]> = Object.fromEntries(cs.map(c => [c, []]));
    for (let i = 0; i < reps; i++) {
      for (const c of cs) {
        let cpu0 = new Map<number, number>(), srv0 = 0;
        const r = await mesh(browser, ctx.env, c, size, timeoutMs, () => { cpu0 = browserCpu(); srv0 = server.cpu(); });
        const cpu1 = browserCpu(), srv1 = server.cpu(), c0 = Date.now();
        // full mesh held for a moment: upstream rate per participant and CPU while everyone sends
        const stats0 = await Promise.all(r.participants.map(p => p.rtcStats().catch(() => null)));
        const h0 = Date.now();
        await sleep(HOLD_MS);
        const stats1 = await Promise.all(r.participants.map(p => p.rtcStats().catch(() => null)));
        const held = (Date.now() - h0) / 1000;
        const cpu2 = browserCpu(), cpuHeld = (Date.now() - c0) / 1000;
        const snaps = await Promise.all(r.participants.map(p => p.snapshot().catch(() => null)));
        await Promise.all(r.participants.map(p => p.close()));
        const states: Record<string, number> = {};
        for (const pc of r.pcStates.flat()) {
          const k = pc.connectionState === 'connected' ? 'connected' : `${pc.connectionState}/${pc.signalingState}`;
          states[k] = (states[k] ?? 0) + 1;
        }
        const run: Run = {
          ok: r.ok, ms: r.ms,
          tiles: r.decodedPerPage.reduce((a, b) => a + Math.min(b, size - 1), 0),
          connected: r.pcStates.flat().filter(pc => pc.connectionState === 'connected').length,
          states,
          browserCpu: cpuDelta(cpu0, cpu1), serverCpu: srv1 - srv0,
          holdCores: cpuDelta(cpu1, cpu2) / cpuHeld,
          sendKbps: stats1.map((s, k) => (s && stats0[k] ? ((s.bytesSent - stats0[k]!.bytesSent) * 8) / 1000 / held : 0)),
          signallingBytes: snaps.map(s => s?.wsSent ?? 0),
          ...(r.ok ? {} : { diag: r.diag }),
        };
        runs[c]!.push(run);
        ctx.log(`  mesh ${size} ${CONTENDERS[c as ContenderId].short} #${i + 1}: ${r.ok ? Math.round(r.ms!) + ' ms' : `STALL (decoded per page: ${r.decodedPerPage.join(',')}; connections ${JSON.stringify(states)})`}, browser CPU ${run.browserCpu.toFixed(1)} s, server CPU ${run.serverCpu.toFixed(2)} s`);
      }
    }
    const sc = `mesh-${size}`;
    const these: Result[] = [];
    for (const [c, rs] of Object.entries(runs)) {
      const ok = rs.filter(r => r.ok);
      // a stalled run counts as the timeout: a lower bound, so stalls cannot flatter a contender
      these.push(summarize({ scenario: sc, figure: `${size} participants: every page decodes every other (stall = ${timeoutMs / 1000} s)`, contender: c, unit: 'ms',
        ...(c === 'a' ? { goal: '≤ 0.6× plain SDK pages' } : {}), extra: { timeoutMs, okOnly: ok.map(r => r.ms) } }, rs.map(r => (r.ok ? r.ms! : timeoutMs))));
      these.push({ scenario: sc, figure: `${size} participants: stalled runs`, contender: c, unit: 'runs', n: rs.length,
        median: rs.length - ok.length, p95: null, ratios: {},
        ...(c === 'a' ? { goal: 'none', met: rs.length > 0 && ok.length === rs.length } : {}),
        extra: { stalls: rs.filter(r => !r.ok).map(r => r.diag) } });
      these.push(summarize({ scenario: sc, figure: `${size} participants: remote tiles decoded when the wait ended (of ${size * (size - 1)})`, contender: c, unit: 'count',
        extra: { connectionStates: rs.map(r => r.states) } }, rs.map(r => r.tiles)));
      these.push(summarize({ scenario: sc, figure: `${size} participants: peer connections connected when the wait ended (of ${size * (size - 1)})`, contender: c, unit: 'count' },
        rs.map(r => r.connected)));
      these.push(summarize({ scenario: sc, figure: `${size} participants: browser CPU until full mesh (all processes)`, contender: c, unit: 's' }, rs.map(r => r.browserCpu)));
      these.push(summarize({ scenario: sc, figure: `${size} participants: server CPU until full mesh`, contender: c, unit: 's' }, rs.map(r => r.serverCpu)));
      these.push(summarize({ scenario: sc, figure: `${size} participants: browser CPU in full mesh`, contender: c, unit: 'cores' }, rs.map(r => r.holdCores)));
      these.push(summarize({ scenario: sc, figure: `${size} participants: media sent per participant`, contender: c, unit: 'kbit/s' }, rs.flatMap(r => r.sendKbps)));
      these.push(summarize({ scenario: sc, figure: `${size} participants: signalling sent per participant`, contender: c, unit: 'B' }, rs.flatMap(r => r.signallingBytes)));
    }
    addRatios(these, r => r.figure, 'a', ['b']);
    const t = these.find(r => r.contender === 'a' && r.unit === 'ms');
    if (t) t.met = t.ratios.b != null && t.ratios.b <= 0.6 && (these.find(r => r.contender === 'a' && r.unit === 'runs')?.met ?? false);
    out.push(...these);
  }
  return out;
}
