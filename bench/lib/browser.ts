// Chromium through playwright-core: one browser per scenario, one context per participant.
import { chromium, type Browser, type BrowserContext, type Page, type CDPSession } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './results.ts';
import { treeCpu } from './procs.ts';

export const PROBE = readFileSync(join(ROOT, 'bench/lib/probe.js'), 'utf8');

export const CHROMIUM_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launch(): Promise<Browser> {
  if (process.env.METERED_CALL_IN_NETNS !== '1')
    throw new Error('run the bench inside the loopback-only namespace: sh scripts/netns.sh …');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** What a timed call needs from a participant's page, whichever browser runs it (see firefox.ts). */
export interface CallSide {
  logs: string[];
  /** navigate; resolves once navigation has started (Chromium) or the page has loaded (Firefox) */
  goto(url: string): Promise<void>;
  /** the current document's performance.timeOrigin (wall ms) */
  timeOrigin(): Promise<number>;
  /** true once every named probe milestone happened, false after timeoutMs */
  waitMarks(names: string[], timeoutMs: number): Promise<boolean>;
  /** true once frames from n remote participants were presented, false after timeoutMs */
  waitDecoded(n: number, timeoutMs: number): Promise<boolean>;
  snapshot(): Promise<Snapshot>;
  rtcStats(): Promise<RtcStats>;
  close(): Promise<void>;
}

export interface Participant extends CallSide {
  context: BrowserContext;
  page: Page;
  cdp(): Promise<CDPSession>;
}

export type BenchWindow = {
  __bench: {
    waitMarks(n: string[], t: number): Promise<boolean>;
    waitDecoded(n: number, t: number): Promise<boolean>;
    snapshot(): Snapshot;
    rtcStats(): Promise<RtcStats>;
  };
};

export interface Snapshot {
  t0: number; now: number;
  marks: Record<string, number>;
  frames: Record<string, { first: number | null; count: number; streamId: string; sender: string }>;
  wsSent: number; wsRecv: number; wsSentFrames: number; srcObjectSets: number; pcsCreated: number;
  resources: { name: string; start: number; end: number; size: number }[];
  domContentLoaded: number | null;
  pcs: { connectionState: string; iceConnectionState: string; signalingState: string; iceGatheringState: string }[];
}
export interface RtcStats {
  bytesSent: number; bytesReceived: number; framesDecoded: number; framesDropped: number; framesReceived: number;
  pcs: number; candidatePairs: string[];
}

export async function openParticipant(browser: Browser, opts: { forceRelay?: boolean } = {}): Promise<Participant> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 640, height: 480 } });
  await context.addInitScript({ content: `window.__benchForceRelay = ${opts.forceRelay ? 'true' : 'false'};\n${PROBE}` });
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', m => { if (logs.length < 200) logs.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', e => { if (logs.length < 200) logs.push(`pageerror: ${String(e)}`); });
  let session: CDPSession | null = null;
  let closed = false;
  return {
    context, page, logs,
    cdp: async () => (session ??= await context.newCDPSession(page)),
    goto: async url => {
      // 'commit' resolves when navigation has started; the page keeps loading on its own
      await page.goto(url, { waitUntil: 'commit' });
    },
    timeOrigin: () => page.evaluate(() => performance.timeOrigin),
    waitMarks: (names, timeoutMs) =>
      page.evaluate(([n, t]) => (window as unknown as BenchWindow).__bench.waitMarks(n, t), [names, timeoutMs] as const).catch(() => false),
    waitDecoded: (n, timeoutMs) =>
      page.evaluate(([k, t]) => (window as unknown as BenchWindow).__bench.waitDecoded(k, t), [n, timeoutMs] as const).catch(() => false),
    snapshot: () => page.evaluate(() => (window as unknown as BenchWindow).__bench.snapshot()),
    rtcStats: () => page.evaluate(() => (window as unknown as BenchWindow).__bench.rtcStats()),
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
    },
  };
}

/**
 * A participant in a browser of its own (launched for it, closed with it): what two
 * visitors on two machines have — no shared browser, GPU or network process, no capture
 * or audio service already started by the other page, nothing warm.
 */
export async function openInOwnBrowser(opts: { forceRelay?: boolean } = {}): Promise<Participant> {
  const browser = await launch();
  const p = await openParticipant(browser, opts).catch(async err => { await browser.close(); throw err; });
  const close = p.close;
  return { ...p, close: async () => { await close(); await browser.close().catch(() => {}); } };
}

/** CPU seconds of every Chromium process this bench process started. */
export function browserCpu(): Map<number, number> {
  return treeCpu(process.pid, p => /chrom/i.test(p.comm));
}

export async function chromiumVersion(): Promise<string> {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const v = b.version();
  await b.close();
  return v;
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls `check` (in Node) every `every` ms until it returns a value other than undefined, or `timeoutMs` passes. */
export async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number, every = 50): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() >= end) return undefined;
    await sleep(every);
  }
}
