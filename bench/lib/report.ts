// The printed table (Markdown, so docs/performance.md can carry it as is) and that page's generated block.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Result } from './results.ts';
import type { SizeRow } from '../scenarios/size.ts';
import { PAIRINGS } from '../scenarios/mixed-browsers.ts';

export interface Doc {
  date: string; commit?: string; machine: string; load?: [number, number]; chromium: string; node: string; quick: boolean; n: number | null; seconds: number;
  results: Result[]; size: SizeRow[]; report: Record<string, unknown>;
}

const WHO: Record<string, string> = { a: 'element', b: 'plain SDK', c: 'PeerJS', mix: 'element + plain SDK pages', ...PAIRINGS };
const int = (v: number) => Math.round(v).toLocaleString('en-US');

function fmt(v: number | null, unit: string): string {
  if (v == null) return '—';
  switch (unit) {
    case 'ms': case 'B': case 'kbit/s': return int(v);
    case 'count': return Number.isInteger(v) ? String(v) : v.toFixed(1);
    case 'cores': return v.toFixed(2);
    case 's': return v.toFixed(2);
    case 'MB': case 'fps': case 'frames/min': case '/s': return v.toFixed(1);
    default: return String(Math.round(v * 100) / 100);
  }
}

function ratios(r: Result): string {
  return Object.entries(r.ratios)
    .filter(([, v]) => v != null)
    .map(([k, v]) => `${k === 'direct' ? 'relay/direct' : `${r.contender}/${k}`} ${v!.toFixed(2)}${r.ratioCi?.[k] ? ` [${r.ratioCi[k]![0].toFixed(2)}–${r.ratioCi[k]![1].toFixed(2)}]` : ''}`)
    .join(' · ');
}

function goal(r: Result): string {
  if (!r.goal) return '';
  return `${r.goal}${r.met === undefined ? '' : r.met ? ' ✅' : ' ❌'}`;
}

const SHORT: [string, string][] = [
  ['script', 'loaded'], ['turn', 'TURN'], ['gum-done', 'camera'], ['ws-open', 'socket'], ['joined', 'joined'],
  ['offer', 'offer'], ['negotiated', 'answer'], ['ice-connected', 'ICE'], ['connected', 'DTLS'], ['first-frame', 'frame'],
  ['other-first-frame', 'other side frame'],
];
function steps(b: Record<string, number | null> | undefined): string {
  if (!b) return '—';
  return SHORT.filter(([k]) => b[k] != null).map(([k, label]) => `${label} ${Math.round(b[k]!)}`).join(' → ');
}

export function table(doc: Doc): string {
  const rows: string[][] = [];
  const el = doc.size.find(s => s.id === 'element');
  for (const s of doc.size) {
    rows.push([
      'size', 'min / gzip / brotli bytes', `${s.label} ${s.version}`, '1',
      `${int(s.raw)} / ${int(s.gzip)} / ${int(s.brotli)}`, '',
      el && s.id !== 'element' ? `element ÷ it: ${(el.gzip / s.gzip).toFixed(2)} / ${(el.brotli / s.brotli).toFixed(2)}` : '',
      s.id === 'element' ? `< 25,000 B gzip ${s.gzip < 25000 ? '✅' : '❌'}` : '',
    ]);
  }
  const parts = doc.results.find(r => r.scenario === 'size' && r.unit === 'parts');
  if (parts) {
    const ps = (parts.extra?.parts ?? []) as { part: string; raw: number; gzipShare: number }[];
    const sum = (f: (p: string) => boolean) => ps.filter(p => f(p.part)).reduce((a, p) => a + p.gzipShare, 0);
    const own = sum(p => p.startsWith('element: '));
    const top = ps.filter(p => p.part.startsWith('element: ')).slice(0, 3).map(p => `${p.part.slice(13)} ${(p.gzipShare / 1000).toFixed(1)}`).join(', ');
    rows.push(['size', 'element bundle by source (gzip kB, pro rata)', 'element', '1',
      `SDK ${(sum(p => p.includes('SDK')) / 1000).toFixed(1)} · Lit ${(sum(p => p === 'Lit') / 1000).toFixed(1)} · element code ${(own / 1000).toFixed(1)} (${top}, …) · CSS + template text (unminified, unmapped) ${(sum(p => p === '(unmapped)' || p === 'tslib') / 1000).toFixed(1)}`,
      '', '', '']);
  }
  for (const r of doc.results) {
    if (r.scenario === 'size') continue;
    const who = WHO[r.contender] ?? r.contender;
    let median = fmt(r.median, r.unit), p95 = fmt(r.p95, r.unit);
    if (r.unit === 'joins') { median = `${r.median}/${r.n} ok`; p95 = ''; }
    if (r.unit === 'runs') { median = `${r.median}/${r.n} stalled`; p95 = ''; }
    if (r.unit === 'growth') { median = `${fmt(r.median, '')}`; p95 = ''; }
    if (r.scenario === 'server' || r.unit === 'text') { median = String(r.extra?.text ?? median); p95 = ''; }
    if (r.unit === 'steps') { median = steps(r.extra?.steps as Record<string, number | null>); p95 = ''; }
    rows.push([r.scenario, `${r.figure}${['joins', 'runs', 'growth', 'steps', 'text'].includes(r.unit) ? '' : ` (${r.unit})`}`, who, String(r.n), median, p95, ratios(r), goal(r)]);
  }
  const head = ['scenario', 'figure', 'contender', 'n', 'median', 'p95', 'ratio', 'goal'];
  const line = (c: string[]) => `| ${c.map(x => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `Run ${doc.date.slice(0, 16).replace('T', ' ')} UTC · commit ${doc.commit ?? '?'} · ${doc.machine} · Chromium ${doc.chromium} · Node ${doc.node}${doc.load ? ` · load average ${doc.load[0]} → ${doc.load[1]}` : ''}${doc.quick ? ' · --quick' : ''}${doc.n ? ` · n=${doc.n}` : ''} · ${doc.seconds} s`,
    '',
    line(head), line(head.map(() => '---')), ...rows.map(line),
  ].join('\n');
}

/** The figures that have goals, one line each: what docs/performance.md shows first. */
export function headlines(doc: Doc): string {
  const R = doc.results;
  const find = (scenario: string, contender: string, unit: string, figure?: string) =>
    R.find(r => r.scenario === scenario && r.contender === contender && r.unit === unit && (!figure || r.figure.includes(figure)));
  const rows: string[][] = [];
  const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? '✅' : '❌');
  const el = doc.size.find(x => x.id === 'element'), sdk = doc.size.find(x => x.id === 'sdk'), pj = doc.size.find(x => x.id === 'peerjs');
  if (el) rows.push(['size, gzip (brotli)', `${int(el.gzip)} B (${int(el.brotli)})`, sdk ? `SDK alone ${int(sdk.gzip)} B` : '', pj ? `peerjs ${int(pj.gzip)} B` : '', '', '< 25,000 B gzip', mark(el.gzip < 25000)]);
  const ms = (r?: Result) => (r?.median == null ? '—' : `${int(r.median)} ms`);
  const rat = (r: Result | undefined, k: string) => (r?.ratios[k] == null ? '' :
    `${k === 'direct' ? 'relay/direct' : `a/${k}`} ${r.ratios[k]!.toFixed(2)}${r.ratioCi?.[k] ? ` [${r.ratioCi[k]![0].toFixed(2)}–${r.ratioCi[k]![1].toFixed(2)}]` : ''}`);
  for (const [sc, label] of [['first-frame', 'join → first remote frame, median'], ['turn', 'the same through TURN (relay only)']] as const) {
    const a = find(sc, 'a', 'ms'), b = find(sc, 'b', 'ms'), c = find(sc, 'c', 'ms');
    if (!a && !b) continue;
    rows.push([`${label} (n=${a?.n ?? b?.n ?? 0} each)`, ms(a), ms(b), ms(c), [rat(a, 'b'), rat(a, 'c'), sc === 'turn' ? rat(a, 'direct') : ''].filter(Boolean).join(', '),
      sc === 'first-frame' ? 'a/b ≤ 1.10, a/c < 1.0' : '', sc === 'first-frame' ? mark(a?.met) : '']);
    const j = (x: string) => { const r = find(sc, x, 'joins'); return r ? `${r.median}/${r.n}` : '—'; };
    rows.push([`  joins with frames on both sides within 10 s${sc === 'turn' ? ' (relay)' : ''}`, j('a'), j('b'), j('c'), '', 'every join', mark(find(sc, 'a', 'joins')?.met)]);
  }
  const ffx = find('mixed-browsers', 'ff', 'ms'), ccx = find('mixed-browsers', 'cc', 'ms');
  if (ffx) {
    const j = (x: string) => { const r = find('mixed-browsers', x, 'joins'); return r ? `${r.median}/${r.n} joins` : ''; };
    const ci = ffx.ratioCi?.cc ? ` [${ffx.ratioCi.cc[0].toFixed(2)}–${ffx.ratioCi.cc[1].toFixed(2)}]` : '';
    rows.push([`element, Firefox ↔ Chromium join → first remote frame (n=${ffx.n}; Chromium ↔ Chromium ${ms(ccx)}, ${j('cc')})`,
      `${ms(ffx)}; ${j('ff')}`, '', '', ffx.ratios.cc == null ? '' : `ff/cc ${ffx.ratios.cc.toFixed(2)}${ci}`, '', '']);
  }
  for (const n of [2, 3, 4, 6, 8]) {
    const a = find(`mesh-${n}`, 'a', 'ms'), b = find(`mesh-${n}`, 'b', 'ms');
    if (!a && !b) continue;
    const st = (x: string) => { const r = find(`mesh-${n}`, x, 'runs'); return r ? `${r.median}/${r.n} stalled` : ''; };
    const cpu = (x: string) => { const r = find(`mesh-${n}`, x, 'cores'); return r?.median == null ? '' : `, ${r.median.toFixed(2)} cores`; };
    rows.push([`mesh of ${n}: every page decodes every other (stall = ${((a?.extra?.timeoutMs as number) ?? 20000) / 1000} s)`,
      `${ms(a)}; ${st('a')}${cpu('a')}`, `${ms(b)}; ${st('b')}${cpu('b')}`, '', rat(a, 'b'), '≤ 1.0× plain, no stall', mark(a?.met)]);
  }
  for (const r of R.filter(x => /^mesh-[a-z]/.test(x.scenario) && x.unit === 'runs')) {
    const t = find(r.scenario, r.contender, 'ms');
    rows.push([`${r.figure.replace(': stalled runs', '')} (${WHO[r.contender] ?? r.contender})`, `${ms(t)}; ${r.median}/${r.n} stalled`, '', '', rat(t, 'b'), r.goal ?? '', mark(r.met)]);
  }
  for (const [fig, label] of [["renderer processes", 'steady 60 s call: CPU of both pages'], ['after forced GC', 'steady: JS heap per page after GC']] as const) {
    const a = find('steady', 'a', fig.includes('GC') ? 'MB' : 'cores', fig), b = find('steady', 'b', fig.includes('GC') ? 'MB' : 'cores', fig);
    if (!a) continue;
    const v = (r?: Result) => (r?.median == null ? '—' : r.unit === 'MB' ? `${r.median.toFixed(2)} MB` : `${r.median.toFixed(2)} cores`);
    rows.push([label, v(a), v(b), '', rat(a, 'b'), 'a/b ≤ 1.15', mark(a.met)]);
  }
  const fps = (x: string) => find('steady', x, 'fps')?.median?.toFixed(1) ?? '—';
  if (find('steady', 'a', 'fps')) rows.push(['steady: frames decoded per second (dropped per minute)', `${fps('a')} (${find('steady', 'a', 'frames/min')?.median?.toFixed(1)})`, `${fps('b')} (${find('steady', 'b', 'frames/min')?.median?.toFixed(1)})`, '', '', '', '']);
  const leaks = R.filter(r => r.scenario === 'leaks' && r.goal);
  if (leaks.length) {
    const g = (w: string) => leaks.find(r => r.figure.startsWith(w));
    const cycles = /after (\d+) join/.exec(leaks[0]!.figure)?.[1] ?? '?';
    const txt = [['DOM nodes', 'DOM nodes'], ['JS event listeners', 'listeners'], ['MediaStreamTrack objects', 'tracks'], ['live MediaStreamTracks', 'live tracks'], ['RTCPeerConnection objects', 'peer connections']]
      .map(([k, l]) => `${l} ${(g(k!)?.median ?? 0) > 0 ? '+' : ''}${g(k!)?.median ?? '—'}`).join(', ');
    const heap = leaks.find(r => r.unit === 'B');
    rows.push([`leaks: ${cycles} join/leave cycles, growth after GC`, `${txt}; heap ${heap?.median == null ? '—' : `${(heap.median / 1024).toFixed(1)} KB/cycle`}`, '', '', '', 'zero growth', mark(leaks.every(r => r.met))]);
  }
  for (const r of R.filter(x => x.scenario === 'server' && (x.extra?.headline || x.n === 0)))
    rows.push([`server (bench:server): ${r.figure}`, r.n === 0 ? '—' : String(r.extra?.text ?? fmt(r.median, r.unit)), '', '', '', r.goal ?? '', mark(r.met)]);
  const head = ['figure', '(a) element', '(b) plain SDK', '(c) PeerJS', 'ratio', 'goal', ''];
  const line = (c: string[]) => `| ${c.map(x => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const START = '<!-- bench:start (written by `npm run bench -- --readme`) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated block of docs/performance.md (the latest run; creating it if absent). */
export function writeReadme(doc: Doc, text: string) {
  const path = join(ROOT, 'docs', 'performance.md');
  let md = readFileSync(path, 'utf8');
  const [runLine, , ...full] = text.split('\n');
  const block = [
    START,
    `${runLine}`,
    '',
    headlines(doc),
    '',
    '![Join → first remote frame per contender (direct and relay-only), and what each option adds to a page](../bench/results.svg)',
    '',
    '<details><summary>Every figure of that run (bench/results.json has the samples)</summary>',
    '',
    ...full,
    '',
    '</details>',
    END,
  ].join('\n');
  if (md.includes(START) && md.includes(END)) {
    md = md.slice(0, md.indexOf(START)) + block + md.slice(md.indexOf(END) + END.length);
  } else {
    if (!/^## The benchmark$/m.test(md)) md = md.trimEnd() + '\n\n## The benchmark\n\n';
    md = md.replace(/^## The benchmark\n+/m, m => `${m}${block}\n\n`);
  }
  writeFileSync(path, md);
}
