import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DATA_DIR } from './system.js';

/**
 * Where the machine's cores went during a measurement, from /proc: our PostgreSQL (postmaster and its
 * backends), our Redis, each kind of our processes (the API + workers process, or the API and workers processes),
 * the load generator, and everything else on the box (other people's test runs on a shared machine). Shares of
 * one core, so 2.0 is the whole 2-core machine.
 */
export interface CpuSnapshot {
  readonly at: number;
  readonly total: number;
  readonly idle: number;
  readonly byGroup: Record<string, number>;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function pidFile(path: string): number | null {
  return existsSync(path) ? Number.parseInt(readFileSync(path, 'utf8'), 10) : null;
}

/** `processes`: the pids of each kind of our processes; a process whose parent is one of them counts with it (a cluster's). */
export function cpuSnapshot(processes: Readonly<Record<string, readonly number[]>>): CpuSnapshot {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const n = (cpu ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  const postmaster = pidFile(join(BENCH_DATA_DIR, 'postgres', 'postmaster.pid'));
  const redis = pidFile(join(BENCH_DATA_DIR, 'redis', 'redis.pid'));
  const byGroup: Record<string, number> = { postgres: 0, redis: 0, ...Object.fromEntries(Object.keys(processes).map((k) => [k, 0])), 'load generator': 0 };
  const kindOf = (pid: number, ppid: number) => Object.keys(processes).find((k) => processes[k]?.includes(pid) || processes[k]?.includes(ppid)) ?? null;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let ppid = -1;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      continue;
    }
    const group =
      pid === postmaster || ppid === postmaster ? 'postgres' : pid === redis ? 'redis' : pid === process.pid ? 'load generator' : kindOf(pid, ppid);
    if (group) byGroup[group] = (byGroup[group] ?? 0) + ticksOf(pid);
  }
  return { at: performance.now(), total, idle, byGroup };
}

/** Cores used by each group between two snapshots, plus everyone else and idle (2 cores in all here). */
export function coresBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const seconds = (b.at - a.at) / 1000;
  const cores = (ticks: number) => (ticks * TICK_MS) / 1000 / seconds;
  const ours: Record<string, number> = {};
  let oursTotal = 0;
  for (const k of Object.keys(b.byGroup)) {
    ours[k] = cores((b.byGroup[k] ?? 0) - (a.byGroup[k] ?? 0));
    oursTotal += ours[k] as number;
  }
  const busy = cores(b.total - b.idle - (a.total - a.idle));
  return { ...ours, 'other processes on the machine': Math.max(0, busy - oursTotal), idle: cores(b.idle - a.idle) };
}
