// The printed table (Markdown, so the README can carry it as is) and the README section.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Result } from './results.ts';
import type { SizeRow } from '../scenarios/size.ts';

export interface Doc {
  date: string; commit?: string; machine: string; chromium: string; node: string; quick: boolean; n: number | null; seconds: number;
  results: Result[]; size: SizeRow[]; report: Record<string, unknown>;
}

const WHO: Record<string, string> = { a: 'element', b: 'plain SDK', c: 'PeerJS' };
const int = (v: number) => Math.round(v).toLocaleString('en-US');

function fmt(v: number | null, unit: string): string {
  if (v == null) return '—';
  switch (unit) {
    case 'ms': case 'B': case 'kbit/s': return int(v);
    case 'count': return Number.isInteger(v) ? String(v) : v.toFixed(1);
    case 'cores': return v.toFixed(2);
    case 's': return v.toFixed(2);
    case 'MB': case 'fps': case 'frames/min': return v.toFixed(1);
    default: return String(Math.round(v * 100) / 100);
  }
}

function ratios(r: Result): string {
  return Object.entries(r.ratios)
    .filter(([, v]) => v != null)
    .map(([k, v]) => `${k === 'direct' ? 'relay/direct' : `${r.contender}/${k}`} ${v!.toFixed(2)}`)
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
    if (r.unit === 'steps') { median = steps(r.extra?.steps as Record<string, number | null>); p95 = ''; }
    rows.push([r.scenario, `${r.figure}${['joins', 'runs', 'growth', 'steps'].includes(r.unit) ? '' : ` (${r.unit})`}`, who, String(r.n), median, p95, ratios(r), goal(r)]);
  }
  const head = ['scenario', 'figure', 'contender', 'n', 'median', 'p95', 'ratio', 'goal'];
  const line = (c: string[]) => `| ${c.map(x => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `Run ${doc.date.slice(0, 16).replace('T', ' ')} UTC · commit ${doc.commit ?? '?'} · ${doc.machine} · Chromium ${doc.chromium} · Node ${doc.node}${doc.quick ? ' · --quick' : ''}${doc.n ? ` · n=${doc.n}` : ''} · ${doc.seconds} s`,
    '',
    line(head), line(head.map(() => '---')), ...rows.map(line),
  ].join('\n');
}

const START = '<!-- bench:start (written by `npm run bench -- --readme`) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated part of README.md's "## Performance" section (creating both if absent). */
export function writeReadme(_doc: Doc, text: string) {
  const path = join(ROOT, 'README.md');
  let md = readFileSync(path, 'utf8');
  const block = `${START}\n${text}\n\n![Join → first remote frame per contender, and bundle sizes](bench/results.svg)\n${END}`;
  if (md.includes(START) && md.includes(END)) {
    md = md.slice(0, md.indexOf(START)) + block + md.slice(md.indexOf(END) + END.length);
  } else {
    if (!/^## Performance$/m.test(md)) md = md.trimEnd() + '\n\n## Performance\n\n';
    md = md.replace(/^## Performance\n+/m, m => `${m}${block}\n\n`);
  }
  writeFileSync(path, md);
}
