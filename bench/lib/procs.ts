// CPU time of processes, read from /proc (Linux): a process tree's user+system seconds.
import { readFileSync, readdirSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

interface Proc { pid: number; ppid: number; comm: string; cpu: number }

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // fields after comm: state(0) ppid(1) … utime(11) stime(12)
    return { pid, ppid: Number(f[1]), comm, cpu: (Number(f[11]) + Number(f[12])) / TICK };
  } catch {
    return null;
  }
}

export function allProcs(): Proc[] {
  return readdirSync('/proc')
    .filter(n => /^\d+$/.test(n))
    .map(n => readProc(Number(n)))
    .filter((p): p is Proc => p !== null);
}

/** pid → CPU seconds of `root` and all its descendants, optionally filtered by command name. */
export function treeCpu(root: number, filter: (p: Proc) => boolean = () => true): Map<number, number> {
  const procs = allProcs();
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out = new Map<number, number>();
  const self = procs.find(p => p.pid === root);
  const stack = self ? [self] : [];
  while (stack.length) {
    const p = stack.pop()!;
    if (filter(p)) out.set(p.pid, p.cpu);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** CPU seconds spent by a set of processes between two snapshots (processes born since count whole). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0;
  for (const [pid, cpu] of after) s += cpu - (before.get(pid) ?? 0);
  return s;
}

export const procCpu = (pid: number) => readProc(pid)?.cpu ?? 0;
