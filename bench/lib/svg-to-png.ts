// Renders an SVG to PNG with the system Chromium, to look at the chart: tsx bench/lib/svg-to-png.ts in.svg out.png
import { chromium } from 'playwright-core';
const [src, dst] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await b.newPage({ deviceScaleFactor: 1 });
await p.goto('file://' + (await import('node:path')).resolve(src!));
const box = await p.evaluate(() => { const s = document.querySelector('svg')!; return [s.width.baseVal.value, s.height.baseVal.value]; });
await p.setViewportSize({ width: Math.ceil(box[0]), height: Math.ceil(box[1]) });
await p.screenshot({ path: dst });
await b.close();
