import { cpus, totalmem } from 'node:os';
import type { Sql } from '../db/connection.js';

/** What the figures were measured on; printed with every result, since they mean nothing without it. */
export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly postgres: string;
  readonly redis: string;
  readonly loadAverage: string;
}

export async function describeMachine(sql: Sql, redisInfo: () => Promise<string>): Promise<Machine> {
  const [pg] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  const [durable] = await sql<{ f: string; s: string }[]>`select current_setting('fsync') as f, current_setting('synchronous_commit') as s`;
  const info = await redisInfo();
  const { readFileSync } = await import('node:fs');
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / (1 << 30)),
    node: process.version,
    postgres: `${pg?.v ?? '?'} (fsync=${durable?.f}, synchronous_commit=${durable?.s})`,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    loadAverage: load,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores ${m.cpu}, ${m.memoryGiB} GiB; Node ${m.node}; PostgreSQL ${m.postgres}; Redis ${m.redis}; load average at start ${m.loadAverage}`;
}
