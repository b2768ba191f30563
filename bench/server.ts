/**
 * The system under test, in its own process: the HTTP API and the workers (outbox relay, timer worker,
 * reconciler) on one pool, as `npm start` runs them. A separate process so that its
 * CPU can be profiled (`--cpu-prof`) and measured apart from the load generator. Driven over IPC by
 * `system.ts`: `ready` when serving, `stats` on request, `stop` to shut down cleanly (which is also when
 * V8 writes the CPU profile).
 */
import { Socket } from 'node:net';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { serveApi } from '../apps/serve-api.js';
import { connect } from '../db/connection.js';
import { PgCaseStore } from '../db/pg-case-store.js';
import { PgCatalog } from '../db/pg-catalog.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import { Engine } from '../engine/engine.js';
import { ephemeralEd25519Signer } from '../engine/licences/licence-signer.js';
import { createRuntime, type Runtime } from '../apps/runtime.js';
import { jsonLogger } from '../platform/logger.js';
import { startWorkers, type RunningWorkers } from '../workers/start-workers.js';
import type { ServerOptions, ServerStats } from './system.js';

const config = JSON.parse(process.env['BENCH_CONFIG'] ?? '{}') as ServerOptions & { port: number; secret: string };
const offset = config.clockOffsetMs ?? 0;
const clock: WallClock = { now: () => new Date(Date.now() + offset) };
const counters = { pgWrites: 0, redisWrites: 0, statements: 0 };
/** Statements by their text's start, to see which ones each command sends. */
const byStatement = new Map<string, number>();

// Errors only: a benchmark run's stdout is its report.
const log = jsonLogger((line) => {
  if (line.includes('"level":"error"')) process.stderr.write(`${line}\n`);
});

/**
 * The production wiring (`createRuntime`), or, when instrumenting, the same wiring on a pool whose `debug`
 * hook counts statements; socket writes to PostgreSQL and Redis are counted by remote port. postgres.js
 * coalesces what is written in one tick into one socket write, so writes ≈ round trips.
 */
function runtime(): Runtime {
  // The bench's licences are verified by nobody: a key of its own, never the dev one.
  const licenceSigner = ephemeralEd25519Signer();
  if (!config.instrument) return createRuntime({ databaseUrl: config.databaseUrl, poolSize: config.poolSize ?? 20, clock, licenceSigner });
  countSocketWrites();
  const sql = postgres(config.databaseUrl, {
    max: config.poolSize ?? 20,
    onnotice: () => {},
    connection: { application_name: 'tongban' },
    debug: countStatement,
  });
  drizzle(sql); // as `connect()` does: the same type parsers on every pool
  // As `createRuntime`: the catalogue on a small pool of its own.
  const catalogSql = connect(config.databaseUrl, { max: 2 });
  const catalog = new PgCatalog(catalogSql, () => clock.now().getTime());
  const engine = new Engine({ store: new PgCaseStore(sql), catalog, clock, licenceSigner });
  return { sql, catalog, engine, clock, licenceSigner, close: async () => void (await Promise.all([sql.end({ timeout: 5 }), catalogSql.end({ timeout: 5 })])) };
}

function countSocketWrites(): void {
  const pgPort = Number(new URL(config.databaseUrl).port);
  const redisPort = Number(new URL(config.redisUrl).port);
  const write = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort === pgPort) counters.pgWrites++;
    else if (this.remotePort === redisPort) counters.redisWrites++;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof Socket.prototype.write;
}

function countStatement(_connection: number, query: string): void {
  counters.statements++;
  const key = query.replace(/\s+/g, ' ').trim().slice(0, 90);
  byStatement.set(key, (byStatement.get(key) ?? 0) + 1);
}

const rt = runtime();
// A few demo users stand in for a city's staff at hundreds of commands a second: the per-caller limit would measure itself.
process.env['TONGBAN_RATE_LIMIT_PER_MINUTE'] ??= '0';
const api = await serveApi(rt, { port: config.port, auth: { jwtSecret: config.secret }, log });
let workers: RunningWorkers | null = null;
if (config.workers !== false) {
  workers = await startWorkers({
    sql: rt.sql,
    redis: config.redisUrl,
    engine: rt.engine,
    clock,
    logger: log,
    prefix: config.prefix,
    ...(config.workerConcurrency ? { concurrency: config.workerConcurrency } : {}),
    ...(config.reconcilerIntervalMs ? { reconciler: { intervalMs: config.reconcilerIntervalMs } } : {}),
  });
}

process.on('message', (m: { type?: string }) => {
  if (m.type === 'stats') {
    const cpu = process.cpuUsage();
    const value: ServerStats = { ...counters, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, byStatement: Object.fromEntries(byStatement) };
    process.send?.({ type: 'stats', value });
  } else if (m.type === 'stop') {
    void (async () => {
      await api.close();
      await workers?.stop();
      await rt.close();
      process.exit(0);
    })();
  }
});
process.send?.({ type: 'ready' });
