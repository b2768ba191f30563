import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { connect, type Sql } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { PgCatalog } from '../db/pg-catalog.js';
import { installReferenceData } from '../apps/shipped-data.js';
import { installDemoUsers } from '../apps/demo-users.js';
import { choosePort } from '../platform/free-port.js';
import { startServices, type Services } from '../platform/services.js';
import { describeMachine, machineLine, type Machine } from './machine.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * Benchmarks get their own cluster and Redis, apart from `npm start` (.data/dev) and `npm test` (.data/test);
 * `TONGBAN_BENCH_DATA_DIR` for a run of one's own beside another's.
 */
export const BENCH_DATA_DIR = process.env['TONGBAN_BENCH_DATA_DIR'] ?? join(root, '.data', 'bench');

/** The embedded servers of a benchmark run, always durable: fsync and synchronous_commit stay on. */
export interface BenchServices extends Services {
  readonly admin: Sql;
  readonly redis: Redis;
  readonly machine: Machine;
  /** A database of its own for one benchmark: dropped and created again, migrated, reference data and demo users. */
  freshDatabase(name: string): Promise<string>;
  /** URL of another database of the same cluster. */
  urlOf(name: string): string;
}

export async function startBenchServices(): Promise<BenchServices> {
  mkdirSync(BENCH_DATA_DIR, { recursive: true });
  console.log(`starting PostgreSQL and Redis in ${BENCH_DATA_DIR} (durable: fsync and synchronous_commit on)…`);
  const services = await startServices({ dataDir: BENCH_DATA_DIR, durable: true });
  const admin = connect(services.databaseUrl, { max: 2 });
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  const machine = await describeMachine(admin, () => redis.info());
  console.log(`machine: ${machineLine(machine)}`);
  const urlOf = (name: string): string => {
    const url = new URL(services.databaseUrl);
    url.pathname = `/${name}`;
    return url.href;
  };
  return {
    ...services,
    admin,
    redis,
    machine,
    urlOf,
    async freshDatabase(name) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
      const url = urlOf(name);
      await migrateDatabase(url);
      const sql = connect(url, { max: 2 });
      try {
        await installReferenceData(sql, new PgCatalog(sql, () => Date.now()));
        await installDemoUsers(sql);
      } finally {
        await sql.end();
      }
      return url;
    },
    async stop() {
      await admin.end({ timeout: 5 });
      redis.disconnect();
      await services.stop();
    },
  };
}

/** Options of the API + workers child process (`bench/server.ts`). */
export interface ServerOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** BullMQ prefix, fresh per run so that earlier runs' delayed jobs do not fire into this one. */
  readonly prefix: string;
  readonly poolSize?: number;
  /** Start the outbox relay, timer worker and reconciler in the same process (default true). */
  readonly workers?: boolean;
  /** Count statements and socket writes per command (slightly slower: for the probe round only). */
  readonly instrument?: boolean;
  /** Write a V8 CPU profile of the whole process into this directory when it stops. */
  readonly cpuProfileDir?: string;
  /** Shift the engine's clock (e.g. for firing timers early); the API's tokens use the same clock. */
  readonly clockOffsetMs?: number;
  readonly workerConcurrency?: number;
  /** How often the reconciler walks timers into the horizon (default: the workers' 30 s). */
  readonly reconcilerIntervalMs?: number;
}

export interface ServerStats {
  readonly pgWrites: number;
  readonly redisWrites: number;
  readonly statements: number;
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  /** Instrumented servers only: statements sent, by the start of their text. */
  readonly byStatement?: Record<string, number>;
}

/** A running API + workers process, as `npm start` runs them (one process), serving over real HTTP. */
export interface BenchServer {
  readonly url: string;
  readonly secret: string;
  readonly pid: number;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<BenchServer> {
  const port = await choosePort(3900, () => {});
  const secret = randomBytes(32).toString('hex');
  const execArgv = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  return startChild('server.ts', { BENCH_CONFIG: JSON.stringify({ ...opts, port, secret }) }, execArgv, port, secret);
}

/** The bpmn-engine peer (`peer-server.ts`) on the same database cluster. */
export async function startPeerServer(opts: { databaseUrl: string; poolSize: number }): Promise<BenchServer> {
  const port = await choosePort(3950, () => {});
  return startChild('peer-server.ts', { PEER_CONFIG: JSON.stringify({ ...opts, port }) }, [], port, '');
}

/** Forks a TypeScript child (through tsx) that says `ready` over IPC and answers `stats` and `stop`. */
export async function startChild(script: string, env: Record<string, string>, execArgv: string[], port: number, secret: string): Promise<BenchServer> {
  const child: ChildProcess = fork(join(root, 'bench', script), [], {
    cwd: root,
    execArgv: [...execArgv, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m: { type?: string }) => (m.type === 'ready' ? resolve() : reject(new Error(JSON.stringify(m)))));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  const request = <T>(type: string): Promise<T> =>
    new Promise((resolve) => {
      const onMessage = (m: { type?: string; value?: T }) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m.value as T);
      };
      child.on('message', onMessage);
      child.send({ type });
    });
  return {
    url: `http://127.0.0.1:${port}`,
    secret,
    pid: child.pid ?? -1,
    stats: () => request<ServerStats>('stats'),
    async stop() {
      if (child.exitCode === null) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
