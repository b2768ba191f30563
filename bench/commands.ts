import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Sql } from '../db/connection.js';
import { createRuntime } from '../apps/runtime.js';
import type { BenchArgs } from './args.js';
import { runLoad, type LoadOptions, type LoadResult } from './case-load.js';
import { profileReport, summariseProfile } from './cpu-profile.js';
import { coresBetween, cpuSnapshot } from './cpu-usage.js';
import { preparePgbench, runPgbench } from './pgbench.js';
import { recordResults } from './results.js';
import { fmt, median, sleep, table } from './stats.js';
import { BENCH_DATA_DIR, startBenchServices, startServer, type BenchServer } from './system.js';
import { tongbanFlow } from './tongban-flow.js';

/** Far enough ahead that the five-working-day public notice is due, whatever holidays fall in between. */
const TIMER_CLOCK_OFFSET_MS = 20 * 86_400_000;

/**
 * `npm run bench -- commands [--full]`: command throughput and latency through the HTTP API, the pgbench
 * ceiling in the same run, and a profiled probe round.
 *
 * Rounds alternate pgbench TPC-B and our load, so each ratio compares figures taken minutes apart on the
 * same noisy machine; the report quotes medians over rounds. Then latency at half the sustained rate (paced),
 * then one instrumented, CPU-profiled round (kept apart: instrumentation costs throughput).
 */
export async function commandsBenchmark(args: BenchArgs): Promise<void> {
  const full = args.full;
  const rounds = args.number('rounds', full ? 5 : 3);
  const seconds = args.number('seconds', full ? 30 : 20);
  const pgbenchSeconds = args.number('pgbench-seconds', full ? 30 : 15);
  const concurrency = args.number('concurrency', 32);
  const poolSize = args.number('pool', 20);
  const noTimer = args.flag('no-timer');
  const services = await startBenchServices();
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const url = await services.freshDatabase('bench_commands');
    const pgbench = await preparePgbench(services.admin, services.databaseUrl, 20);
    const driverSql = connect(url, { max: 4 });
    cleanup.push(() => driverSql.end());
    const timerEngine = noTimer ? null : createRuntime({ databaseUrl: url, poolSize: 4, clock: { now: () => new Date(Date.now() + TIMER_CLOCK_OFFSET_MS) } });
    if (timerEngine) cleanup.push(() => timerEngine.close());
    const serverOptions = { databaseUrl: url, redisUrl: services.redisUrl, poolSize };

    const drive = async (server: BenchServer, opts: LoadOptions, fireTimers = true): Promise<LoadResult> => {
      const flow = await tongbanFlow({ apiUrl: server.url, secret: server.secret, driverSql, timerEngine: fireTimers ? timerEngine : null, maxSockets: opts.concurrency });
      try {
        return await runLoad(flow, opts);
      } finally {
        flow.close();
      }
    };

    let server = await startServer({ ...serverOptions, prefix: `{bench-${Date.now()}}` });
    cleanup.push(() => server.stop());
    console.log(`warming up (${concurrency} cases in flight, 10 s)…`);
    await drive(server, { concurrency, warmupMs: 0, durationMs: 10_000 });
    await drained(driverSql);

    const closed: LoadResult[] = [];
    const cores: Record<string, number>[] = [];
    const tps: number[] = [];
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      tps.push(await runPgbench(pgbench, { clients: 8, threads: 2, seconds: pgbenchSeconds }));
      const cpuStart = setTimeout(() => (snap = cpuSnapshot(server.pid)), 3_000);
      let snap = cpuSnapshot(server.pid);
      const result = await drive(server, { concurrency, warmupMs: 3_000, durationMs: seconds * 1000 });
      clearTimeout(cpuStart);
      cores.push(coresBetween(snap, cpuSnapshot(server.pid)));
      const backlog = await drained(driverSql);
      closed.push(result);
      ratios.push(result.commandsPerSec / (tps.at(-1) as number));
      console.log(
        `round ${round}: pgbench ${fmt(tps.at(-1)!)} TPS; engine ${fmt(result.commandsPerSec)} commands/s, ${fmt(result.finishedPerSec)} cases/s, ` +
          `p50/p99 ${fmt(result.latency.p50)}/${fmt(result.latency.p99)} ms, ratio ${ratios.at(-1)!.toFixed(2)}, ` +
          `outbox drained in ${fmt(backlog.ms)} ms, errors ${JSON.stringify(result.errors)}`,
      );
    }
    const sustained = median(closed.map((r) => r.commandsPerSec));

    const half: LoadResult[] = [];
    for (let round = 1; round <= Math.min(rounds, 3); round++) {
      const result = await drive(server, { concurrency: concurrency * 2, warmupMs: 3_000, durationMs: seconds * 1000, rate: sustained / 2 });
      await drained(driverSql);
      half.push(result);
      console.log(`paced at ${fmt(sustained / 2)}/s: ${fmt(result.commandsPerSec)} commands/s, p50/p95/p99 ${fmt(result.latency.p50)}/${fmt(result.latency.p95)}/${fmt(result.latency.p99)} ms`);
    }

    // Probe round: the same load on an instrumented server process (counts statements and socket writes).
    await server.stop();
    cleanup.pop();
    server = await startServer({ ...serverOptions, prefix: `{bench-${Date.now()}}`, instrument: true });
    cleanup.push(() => server.stop());
    // Without the parent's timer fires, so that every command of the probe runs in the profiled process.
    await drive(server, { concurrency, warmupMs: 0, durationMs: 5_000 }, false);
    await drained(driverSql);
    await sleep(1_500); // backends flush their statistics at most once a second
    const pgStatsBefore = await dbStats(driverSql);
    const before = await server.stats();
    const probe = await drive(server, { concurrency, warmupMs: 0, durationMs: seconds * 1000 }, false);
    const settled = await drained(driverSql);
    await sleep(1_500);
    const after = await server.stats();
    const pgStatsAfter = await dbStats(driverSql);
    await server.stop();
    cleanup.pop();

    // Profile round: not instrumented (the counting wrappers would show up in the profile), CPU-profiled.
    const profileDir = join(BENCH_DATA_DIR, 'profiles', `commands-${Date.now()}`);
    mkdirSync(profileDir, { recursive: true });
    server = await startServer({ ...serverOptions, prefix: `{bench-${Date.now()}}`, cpuProfileDir: profileDir });
    cleanup.push(() => server.stop());
    const profiled = await drive(server, { concurrency, warmupMs: 0, durationMs: seconds * 1000 }, false);
    await drained(driverSql);
    await server.stop();
    cleanup.pop();
    const profileFile = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    const profile = profileFile ? summariseProfile(join(profileDir, profileFile)) : null;
    // Commands finished after the window are not counted but their work is: a small overcount per command.
    const n = probe.commands;
    const per = (a: number, b: number) => ((b - a) / n).toFixed(2);
    const probeLines = table(
      ['per command (probe round, all work incl. relay and workers)', 'value'],
      [
        ['statements sent by the API+workers process', per(before.statements, after.statements)],
        ['socket writes to PostgreSQL (≈ round trips; postgres.js coalesces a tick’s queries)', per(before.pgWrites, after.pgWrites)],
        ['socket writes to Redis', per(before.redisWrites, after.redisWrites)],
        ['PostgreSQL transactions committed (whole database, incl. the driver’s 3 task reads per case)', per(pgStatsBefore.commits, pgStatsAfter.commits)],
        ['rows inserted / updated', `${per(pgStatsBefore.inserted, pgStatsAfter.inserted)} / ${per(pgStatsBefore.updated, pgStatsAfter.updated)}`],
        ['API+workers CPU (user+system)', `${(((after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs) * 1000) / n).toFixed(0)} µs`],
        ['probe throughput (instrumented)', `${fmt(probe.commandsPerSec)} commands/s`],
        ['outbox drained after the probe in', `${fmt(settled.ms)} ms`],
      ],
    );
    if (profileFile) rmSync(profileDir, { recursive: true, force: true });

    const m = (xs: number[]) => median(xs);
    const lat = (rs: LoadResult[], key: 'p50' | 'p95' | 'p99') => fmt(m(rs.map((r) => r.latency[key])));
    const kinds = Object.keys(closed[0]?.latencyByKind ?? {});
    const markdown = [
      `Load: ${concurrency} construction-permit cases in flight (closed loop), each: start → acceptance → 5 × (claim + complete) → decision` +
        (timerEngine ? ' → public-notice timer fired through `engine.execute` (a 14th command, not HTTP)' : '') +
        `. ${rounds} rounds of ${seconds} s (after 3 s warm-up), each after a ${pgbenchSeconds} s pgbench TPC-B run (scale 20, -c 8 -j 2). ` +
        `Task ids read from the database (3 reads per case). API + workers in one process (pool ${poolSize}).`,
      '',
      table(
        ['figure', 'median', 'rounds'],
        [
          ['HTTP commands/s (sustained)', fmt(sustained), closed.map((r) => fmt(r.commandsPerSec)).join(', ')],
          ['complete cases/s (licence issued)', fmt(m(closed.map((r) => r.finishedPerSec))), closed.map((r) => fmt(r.finishedPerSec)).join(', ')],
          ['cases/s through the joint decision', fmt(m(closed.map((r) => r.decidedPerSec))), closed.map((r) => fmt(r.decidedPerSec)).join(', ')],
          ['pgbench TPS', fmt(m(tps)), tps.map((t) => fmt(t)).join(', ')],
          ['engine ÷ pgbench (same round)', m(ratios).toFixed(2), ratios.map((r) => r.toFixed(2)).join(', ')],
          ['latency at 100% (closed loop) p50 / p95 / p99 ms', `${lat(closed, 'p50')} / ${lat(closed, 'p95')} / ${lat(closed, 'p99')}`, ''],
          [`latency at 50% (paced ${fmt(sustained / 2)}/s) p50 / p95 / p99 ms`, `${lat(half, 'p50')} / ${lat(half, 'p95')} / ${lat(half, 'p99')}`, half.map((r) => `${fmt(r.commandsPerSec)}/s p99 ${fmt(r.latency.p99)}`).join(', ')],
          ['load generator CPU (share of one core)', m(closed.map((r) => r.driverCpuCores)).toFixed(2), ''],
          ['errors', JSON.stringify(Object.assign({}, ...closed.map((r) => r.errors), ...half.map((r) => r.errors))), ''],
        ],
      ),
      '',
      table(
        ['where the 2 cores went during the closed-loop rounds (median, in cores)', 'cores'],
        Object.keys(cores[0] ?? {}).map((k) => [k, m(cores.map((c) => c[k] ?? 0)).toFixed(2)]),
      ),
      '',
      table(['command kind (100%)', 'p50 ms', 'p95 ms', 'p99 ms'], kinds.map((k) => [k, ...(['p50', 'p95', 'p99'] as const).map((q) => fmt(m(closed.map((r) => r.latencyByKind[k]?.[q] ?? NaN))))])),
      '',
      probeLines,
      '',
      'CPU profile of the API + workers process over a separate, uninstrumented round (its whole life, start-up included). ' +
        'On 2 shared cores the profiler charges time spent waiting for a core to the native call that was running, mostly `writeBuffer` (a socket write that woke PostgreSQL); `micro` measures the pure CPU parts apart.',
      '',
      profile ? profileReport(profile, profiled.commands) : '(no CPU profile was written)',
    ].join('\n');
    console.log(`\n${markdown}`);
    recordResults('commands', { command: args.command, mode: full ? 'full' : 'quick', machine: services.machine, markdown, raw: { closed, cores, half, tps, ratios, probe, before, after, pgStatsBefore, pgStatsAfter, profiled, profile } });
  } finally {
    for (const step of cleanup.reverse()) await step().catch((e: unknown) => console.error('cleanup:', e));
    await services.stop();
  }
}

/** Waits until the relay has sent every outbox row (at most 60 s); returns how long that took. */
async function drained(sql: Sql): Promise<{ ms: number; left: number }> {
  const start = performance.now();
  for (;;) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null`;
    const left = row?.n ?? 0;
    if (left === 0 || performance.now() - start > 60_000) return { ms: performance.now() - start, left };
    await sleep(100);
  }
}

async function dbStats(sql: Sql): Promise<{ commits: number; inserted: number; updated: number }> {
  const [row] = await sql<{ commits: string; inserted: string; updated: string }[]>`
    select xact_commit::text as commits, tup_inserted::text as inserted, tup_updated::text as updated
    from pg_stat_database where datname = current_database()`;
  return { commits: Number(row?.commits), inserted: Number(row?.inserted), updated: Number(row?.updated) };
}
