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
import { oneProcess, processLayout, startSeparateProcesses, type LoadedSystem } from './separate-processes.js';
import { BENCH_DATA_DIR, startBenchServices, startServer } from './system.js';
import { tongbanFlow } from './tongban-flow.js';

/** Far enough ahead that the five-working-day public notice is due, whatever holidays fall in between. */
const TIMER_CLOCK_OFFSET_MS = 20 * 86_400_000;

/**
 * `npm run bench -- commands [--full] [--api-processes N] [--worker-processes M]`: command throughput and latency
 * through the HTTP API, the pgbench ceiling in the same run, and a profiled probe round.
 * With the process options, the closed-loop and paced rounds load the product's own processes (`npm run api` as a
 * cluster of N, M × `npm run workers`: `separate-processes.ts`) instead of API + workers in one process; the probe
 * and profile rounds stay one process.
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
  const layout = processLayout((name) => (args.flag(name) ? args.string(name, '') : undefined));
  const services = await startBenchServices();
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const url = await services.freshDatabase('bench_commands');
    // Levers tried without a code change (bench/RESULTS.md): statements run on the fresh database, server settings on the cluster.
    const setupSql = args.string('setup-sql', '');
    if (setupSql) await driverSqlFor(url, (sql) => sql.unsafe(setupSql));
    const pgSettings = settingsOf(args.string('pg-settings', ''));
    for (const [name, value] of pgSettings) await services.admin.unsafe(`alter system set ${name} = '${value.replace(/'/g, "''")}'`);
    if (pgSettings.length > 0) await services.admin`select pg_reload_conf()`;
    cleanup.push(async () => {
      for (const [name] of pgSettings) await services.admin.unsafe(`alter system reset ${name}`);
      if (pgSettings.length > 0) await services.admin`select pg_reload_conf()`;
    });
    const pgbench = await preparePgbench(services.admin, services.databaseUrl, 20);
    const driverSql = connect(url, { max: 4 });
    cleanup.push(() => driverSql.end());
    const timerEngine = noTimer ? null : createRuntime({ databaseUrl: url, poolSize: 4, clock: { now: () => new Date(Date.now() + TIMER_CLOCK_OFFSET_MS) } });
    if (timerEngine) cleanup.push(() => timerEngine.close());
    const serverOptions = { databaseUrl: url, redisUrl: services.redisUrl, poolSize };

    const drive = async (server: Pick<LoadedSystem, 'url' | 'secret'>, opts: LoadOptions, fireTimers = true): Promise<LoadResult> => {
      const flow = await tongbanFlow({ apiUrl: server.url, secret: server.secret, driverSql, timerEngine: fireTimers ? timerEngine : null, maxSockets: opts.concurrency });
      try {
        return await runLoad(flow, opts);
      } finally {
        flow.close();
      }
    };

    const prefix = `{bench-${Date.now()}}`;
    const system = layout
      ? await startSeparateProcesses(layout, { ...serverOptions, prefix, poolSize })
      : oneProcess(await startServer({ ...serverOptions, prefix }));
    cleanup.push(() => system.stop());
    console.log(`processes: ${Object.keys(system.processes).join(', ')}`);
    console.log(`warming up (${concurrency} cases in flight, 10 s)…`);
    await drive(system, { concurrency, warmupMs: 0, durationMs: 10_000 });
    await drained(driverSql);

    const closed: LoadResult[] = [];
    const cores: Record<string, number>[] = [];
    const tps: number[] = [];
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      tps.push(await runPgbench(pgbench, { clients: 8, threads: 2, seconds: pgbenchSeconds }));
      const cpuStart = setTimeout(() => (snap = cpuSnapshot(system.processes)), 3_000);
      let snap = cpuSnapshot(system.processes);
      const result = await drive(system, { concurrency, warmupMs: 3_000, durationMs: seconds * 1000 });
      clearTimeout(cpuStart);
      cores.push(coresBetween(snap, cpuSnapshot(system.processes)));
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
      const result = await drive(system, { concurrency: concurrency * 2, warmupMs: 3_000, durationMs: seconds * 1000, rate: sustained / 2 });
      await drained(driverSql);
      half.push(result);
      console.log(`paced at ${fmt(sustained / 2)}/s: ${fmt(result.commandsPerSec)} commands/s, p50/p95/p99 ${fmt(result.latency.p50)}/${fmt(result.latency.p95)}/${fmt(result.latency.p99)} ms`);
    }

    // Probe round: the same load on an instrumented server process (counts statements and socket writes).
    await system.stop();
    cleanup.pop();
    let server = await startServer({ ...serverOptions, prefix: `{bench-${Date.now()}}`, instrument: true });
    cleanup.push(() => server.stop());
    // Without the parent's timer fires, so that every command of the probe runs in the profiled process.
    await drive(server, { concurrency, warmupMs: 0, durationMs: 5_000 }, false);
    await drained(driverSql);
    await sleep(1_500); // backends flush their statistics at most once a second
    const pgStatsBefore = await dbStats(driverSql);
    const walFrom = await walPosition(driverSql);
    const before = await server.stats();
    const probe = await drive(server, { concurrency, warmupMs: 0, durationMs: seconds * 1000 }, false);
    const settled = await drained(driverSql);
    await sleep(1_500);
    const after = await server.stats();
    const pgStatsAfter = await dbStats(driverSql);
    const walByRelation = await walOfRelations(driverSql, walFrom, await walPosition(driverSql), probe.commands);
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
        ['rows inserted / updated (of which HOT)', `${per(pgStatsBefore.inserted, pgStatsAfter.inserted)} / ${per(pgStatsBefore.updated, pgStatsAfter.updated)} (${per(pgStatsBefore.hotUpdated, pgStatsAfter.hotUpdated)})`],
        ['WAL bytes / records / full-page images (whole cluster)', `${per(pgStatsBefore.walBytes, pgStatsAfter.walBytes)} / ${per(pgStatsBefore.walRecords, pgStatsAfter.walRecords)} / ${per(pgStatsBefore.walFpi, pgStatsAfter.walFpi)}`],
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
        `Task ids read from the database (3 reads per case). ` +
        (layout
          ? `Closed-loop and paced rounds: ${layout.apiProcesses} API process${layout.apiProcesses > 1 ? 'es (`npm run api` with TONGBAN_API_PROCESSES: one node:cluster on one port)' : ' (`npm run api`)'}, pool ${poolSize} each, and ` +
            `${layout.workerProcesses} workers process${layout.workerProcesses > 1 ? 'es' : ''} (\`npm run workers\`); probe and profile rounds: API + workers in one process (pool ${poolSize}).`
          : `API + workers in one process (pool ${poolSize}).`) +
        (setupSql ? ` Run on the fresh database first: \`${setupSql}\`.` : '') +
        (pgSettings.length > 0 ? ` Server settings: ${pgSettings.map(([k, v]) => `\`${k} = ${v}\``).join(', ')}.` : ''),
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
      walByRelation,
      '',
      'CPU profile of the API + workers process over a separate, uninstrumented round (its whole life, start-up included). ' +
        'On 2 shared cores the profiler charges time spent waiting for a core to the native call that was running, mostly `writeBuffer` (a socket write that woke PostgreSQL); `micro` measures the pure CPU parts apart.',
      '',
      profile ? profileReport(profile, profiled.commands) : '(no CPU profile was written)',
    ].join('\n');
    console.log(`\n${markdown}`);
    recordResults('commands', { command: args.command, mode: full ? 'full' : 'quick', machine: services.machine, markdown, raw: { layout, closed, cores, half, tps, ratios, probe, before, after, pgStatsBefore, pgStatsAfter, profiled, profile } });
  } finally {
    for (const step of cleanup.reverse()) await step().catch((e: unknown) => console.error('cleanup:', e));
    await services.stop();
  }
}

async function driverSqlFor(url: string, use: (sql: Sql) => Promise<unknown>): Promise<void> {
  const sql = connect(url, { max: 1 });
  try {
    await use(sql);
  } finally {
    await sql.end();
  }
}

async function walPosition(sql: Sql): Promise<string> {
  const [row] = await sql<{ lsn: string }[]>`select pg_current_wal_insert_lsn()::text as lsn`;
  return row?.lsn ?? '0/0';
}

/**
 * What the probe round wrote to the WAL, per relation (a table, its TOAST table or an index) that a record touched
 * (`pg_walinspect`, shipped with PostgreSQL): where the bytes and the records of a command go.
 */
async function walOfRelations(sql: Sql, from: string, to: string, commands: number): Promise<string> {
  await sql`create extension if not exists pg_walinspect`;
  const rows = await sql<{ relation: string; records: number; bytes: number }[]>`
    select coalesce(t.relname || ' (TOAST)', c.relname, b.relfilenode::text) as relation, count(distinct b.start_lsn)::int as records,
      sum(b.block_data_length + b.block_fpi_length)::int as bytes
    from pg_get_wal_block_info(${from}::pg_lsn, ${to}::pg_lsn) b
    left join pg_class c on c.relfilenode = b.relfilenode and b.relfilenode <> 0
    left join pg_class t on t.reltoastrelid = c.oid and c.relname like 'pg_toast%'
    group by 1 order by 3 desc limit 25`;
  return table(
    ['WAL per command, by relation touched (probe round, top 25)', 'records', 'block bytes'],
    rows.map((r) => [r.relation, (r.records / commands).toFixed(2), (r.bytes / commands).toFixed(0)]),
  );
}

/** `name=value,name=value` → pairs; a name is a PostgreSQL setting's (letters, digits, underscores, dots). */
function settingsOf(list: string): [string, string][] {
  return list
    .split(',')
    .filter((pair) => pair.trim() !== '')
    .map((pair) => {
      const [name = '', ...value] = pair.split('=');
      if (!/^[a-z_][a-z0-9_.]*$/.test(name.trim()) || value.length === 0) throw new Error(`--pg-settings: "${pair}" is not name=value`);
      return [name.trim(), value.join('=').trim()];
    });
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

/** The database's counters, and the cluster's WAL (nothing else writes to the bench cluster during the probe round). */
async function dbStats(sql: Sql): Promise<{ commits: number; inserted: number; updated: number; hotUpdated: number; walBytes: number; walRecords: number; walFpi: number }> {
  const [row] = await sql<{ commits: string; inserted: string; updated: string; hot: string; walBytes: string; walRecords: string; walFpi: string }[]>`
    select xact_commit::text as commits, tup_inserted::text as inserted, tup_updated::text as updated,
      (select sum(n_tup_hot_upd)::text from pg_stat_user_tables) as hot,
      w.wal_bytes::text as "walBytes", w.wal_records::text as "walRecords", w.wal_fpi::text as "walFpi"
    from pg_stat_database, pg_stat_wal w where datname = current_database()`;
  return {
    commits: Number(row?.commits),
    inserted: Number(row?.inserted),
    updated: Number(row?.updated),
    hotUpdated: Number(row?.hot),
    walBytes: Number(row?.walBytes),
    walRecords: Number(row?.walRecords),
    walFpi: Number(row?.walFpi),
  };
}
