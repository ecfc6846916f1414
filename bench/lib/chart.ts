// bench/results.svg: first-frame distributions per contender (direct and through TURN)
// and gzip/brotli size bars. Plain SVG, no dependencies, readable on GitHub's light theme.
import type { Doc } from './report.ts';
import { quantile } from './results.ts';

const W = 960;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS: Record<string, string> = { a: '#1f6feb', b: '#8250df', c: '#bc4c00' };
const NAMES: Record<string, string> = { a: '<metered-call>', b: 'plain SDK page', c: 'PeerJS' };

function niceMax(v: number) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map(m => m * p).find(m => m >= v) ?? v;
}

// deterministic jitter so the chart does not change between renders of the same data
const jitter = (i: number) => ((Math.sin(i * 12.9898) * 43758.5453) % 1 + 1) % 1 - 0.5;

export function chartSvg(doc: Doc): string {
  const parts: string[] = [];
  let y = 16;
  const text = (x: number, yy: number, s: string, o: Record<string, string | number> = {}) =>
    parts.push(`<text x="${x}" y="${yy}" ${Object.entries({ 'font-size': 12, fill: '#24292f', ...o }).map(([k, v]) => `${k}="${v}"`).join(' ')}>${esc(s)}</text>`);

  // ---- first-frame distributions
  const series: { label: string; c: string; relay: boolean; samples: number[]; stalls: number; n: number }[] = [];
  for (const [scenario, relay] of [['first-frame', false], ['turn', true]] as const) {
    for (const c of ['a', 'b', 'c']) {
      const r = doc.results.find(x => x.scenario === scenario && x.contender === c && x.unit === 'ms');
      const j = doc.results.find(x => x.scenario === scenario && x.contender === c && x.unit === 'joins');
      if (!r) continue;
      series.push({ label: `${NAMES[c]}${relay ? ' · relay' : ''}`, c, relay, samples: r.samples ?? [], stalls: j ? j.n - (j.median ?? 0) : 0, n: j?.n ?? r.n });
    }
  }
  if (series.length) {
    text(16, (y += 8), 'Join → first remote frame on both sides (ms; clock starts when the 2nd page starts loading)', { 'font-size': 15, 'font-weight': 600 });
    text(16, (y += 18), 'each dot = one call · box = middle half · thick line = median · tick = p95 · stalls = no frames within 10 s', { fill: '#57606a' });
    y += 14;
    const left = 210, right = W - 190, rowH = 34;
    const max = niceMax(Math.max(1000, ...series.flatMap(s => s.samples)) * 1.05);
    const X = (v: number) => left + (v / max) * (right - left);
    const top = y;
    const bottom = top + series.length * rowH;
    for (let k = 0; k <= 5; k++) {
      const v = (max / 5) * k;
      parts.push(`<line x1="${X(v)}" y1="${top}" x2="${X(v)}" y2="${bottom}" stroke="#d0d7de" stroke-width="1"/>`);
      text(X(v), bottom + 14, `${Math.round(v)}`, { 'text-anchor': 'middle', fill: '#57606a', 'font-size': 11 });
    }
    series.forEach((s, i) => {
      const cy = top + i * rowH + rowH / 2;
      const col = COLORS[s.c]!;
      text(left - 10, cy + 4, s.label, { 'text-anchor': 'end', 'font-weight': s.c === 'a' ? 600 : 400 });
      const q1 = quantile(s.samples, 0.25), q3 = quantile(s.samples, 0.75), med = quantile(s.samples, 0.5), p95 = quantile(s.samples, 0.95);
      if (q1 != null && q3 != null)
        parts.push(`<rect x="${X(q1)}" y="${cy - 9}" width="${Math.max(1, X(q3) - X(q1))}" height="18" fill="${col}" fill-opacity="${s.relay ? 0.08 : 0.15}" stroke="${col}" stroke-opacity="0.5"/>`);
      s.samples.forEach((v, k) =>
        parts.push(`<circle cx="${X(v).toFixed(1)}" cy="${(cy + jitter(k + i * 97) * 12).toFixed(1)}" r="3" fill="${col}" fill-opacity="${s.relay ? 0.45 : 0.75}"/>`));
      if (med != null) parts.push(`<line x1="${X(med)}" y1="${cy - 12}" x2="${X(med)}" y2="${cy + 12}" stroke="${col}" stroke-width="3"/>`);
      if (p95 != null) parts.push(`<line x1="${X(p95)}" y1="${cy - 6}" x2="${X(p95)}" y2="${cy + 6}" stroke="${col}" stroke-width="1.5"/>`);
      for (let k = 0; k < s.stalls; k++) // stalled calls: a red cross each, past the axis
        parts.push(`<text x="${right + 10 + k * 9}" y="${cy + 4}" font-size="13" fill="#cf222e" text-anchor="middle">×</text>`);
      text(right + 14 + s.stalls * 9, cy + 4, `${med != null ? Math.round(med) + ' ms' : '—'}${s.stalls ? ` · ${s.stalls}/${s.n} stalled` : ''}`, { fill: s.stalls ? '#cf222e' : '#24292f' });
    });
    y = bottom + 40;
  }

  // ---- size bars
  if (doc.size.length) {
    text(16, (y += 8), 'What each option adds to a page (bytes, minified bundle; bar = gzip, thin bar = brotli)', { 'font-size': 15, 'font-weight': 600 });
    y += 14;
    const left = 330, right = W - 110, rowH = 24;
    const rows = [...doc.size].filter(s => s.id !== 'element-esbuild').sort((p, q) => p.gzip - q.gzip);
    const max = niceMax(Math.max(25000, ...rows.map(r => r.gzip)) * 1.02);
    const X = (v: number) => left + (v / max) * (right - left);
    const top = y, bottom = top + rows.length * rowH;
    parts.push(`<line x1="${X(25000)}" y1="${top - 4}" x2="${X(25000)}" y2="${bottom}" stroke="#cf222e" stroke-dasharray="4 3"/>`);
    text(X(25000) + 4, top + 6, 'goal: element < 25 kB gzip', { fill: '#cf222e', 'font-size': 11 });
    rows.forEach((r, i) => {
      const cy = top + i * rowH + rowH / 2;
      const mine = r.id === 'element';
      const col = mine ? COLORS.a! : '#6e7781';
      text(left - 10, cy + 4, `${r.label.replace(' (as shipped)', '')} ${r.version}${r.note ? ' *' : ''}`, { 'text-anchor': 'end', 'font-weight': mine ? 600 : 400, 'font-size': 11.5 });
      parts.push(`<rect x="${left}" y="${cy - 8}" width="${X(r.gzip) - left}" height="11" fill="${col}" fill-opacity="${mine ? 0.9 : 0.55}"/>`);
      parts.push(`<rect x="${left}" y="${cy + 4}" width="${X(r.brotli) - left}" height="4" fill="${col}" fill-opacity="0.9"/>`);
      text(X(r.gzip) + 6, cy + 3, `${(r.gzip / 1000).toFixed(1)} kB`, { 'font-size': 11, fill: '#57606a' });
    });
    y = bottom + 16;
    for (let k = 0; k <= 5; k++) {
      const v = (max / 5) * k;
      text(X(v), y, `${Math.round(v / 1000)} kB`, { 'text-anchor': 'middle', fill: '#57606a', 'font-size': 11 });
    }
    y += 8;
    const notes = rows.filter(r => r.note).map(r => `${r.label}: ${r.note}`);
    for (const n of notes) text(16, (y += 16), `* ${n}`, { fill: '#57606a', 'font-size': 11 });
  }
  text(16, (y += 18), `${doc.date.slice(0, 10)} · ${doc.machine} · Chromium ${doc.chromium}${doc.quick ? ' · --quick' : ''}`, { fill: '#57606a', 'font-size': 11 });
  y += 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">\n<rect width="100%" height="100%" fill="#ffffff"/>\n${parts.join('\n')}\n</svg>\n`;
}
