// What every scenario gets from the runner.
import type { Browser } from 'playwright-core';
import type { ContenderId, Env } from './contenders.ts';
import type { ChildServer, MeteredInfo, PeerjsInfo } from './servers.ts';
import type { Result } from './results.ts';

export interface Ctx {
  env: Env;
  quick: boolean;
  /** overrides every scenario's repetition count (the smoke test uses 1) */
  n?: number;
  /** contenders that can run here: 'a' needs dist/metered-call.js, 'b' the local server */
  contenders: ContenderId[];
  metered: ChildServer<MeteredInfo> | null;
  peerjs: ChildServer<PeerjsInfo> | null;
  browser(): Promise<Browser>;
  log(msg: string): void;
  /** results of scenarios that ran before (TURN compares with first-frame) */
  results: Result[];
  /** free-form data for the report (breakdowns, chart series) */
  report: Record<string, unknown>;
}

export type Scenario = (ctx: Ctx) => Promise<Result[]>;
