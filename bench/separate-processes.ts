import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { choosePort } from '../platform/free-port.js';
import { root, type BenchServer } from './system.js';

/** How many processes of each kind run the system: `--api-processes N --worker-processes M`. */
export interface ProcessLayout {
  /** `npm run api` with `TONGBAN_API_PROCESSES=N`: one process, or a `node:cluster` of N on one port. */
  readonly apiProcesses: number;
  /** Separate `npm run workers` processes (outbox relay, timer worker, reconciler), sharing the work. */
  readonly workerProcesses: number;
}

/** What the closed-loop rounds load and measure: where to send requests, and the pids whose CPU counts as each kind of process (with their children). */
export interface LoadedSystem {
  readonly url: string;
  readonly secret: string;
  readonly processes: Readonly<Record<string, readonly number[]>>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * The layout the options ask for, or null for the default (API and workers in one process, as `npm start`). Given one
 * option, the other kind runs in one process; anything but a whole number of at least 1 is refused.
 */
export function processLayout(option: (name: string) => string | undefined): ProcessLayout | null {
  const api = option('api-processes');
  const workers = option('worker-processes');
  if (api === undefined && workers === undefined) return null;
  const count = (name: string, value: string | undefined): number => {
    if (value === undefined) return 1;
    if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`--${name} must be a whole number of processes, 1 or more, not ${value}`);
    return Number(value);
  };
  return { apiProcesses: count('api-processes', api), workerProcesses: count('worker-processes', workers) };
}

/** The one-process bench server (`bench/server.ts`) as the closed-loop rounds see it. */
export function oneProcess(server: BenchServer): LoadedSystem {
  return { url: server.url, secret: server.secret, processes: { 'API + workers (one process)': [server.pid] }, stop: () => server.stop() };
}

/**
 * The product's own entry points, as an operator runs them: `apps/api.ts` with `TONGBAN_API_PROCESSES` (a cluster
 * when more than one) and `workerProcesses` × `apps/workers.ts`, on the bench database and Redis. Each API process
 * has a pool of `poolSize`, the per-caller limit off (a few demo users stand in for a city's staff); all sign
 * licences with one throwaway key. Their error lines go to stderr, the rest of their logs nowhere.
 */
export async function startSeparateProcesses(
  layout: ProcessLayout,
  opts: { databaseUrl: string; redisUrl: string; prefix: string; poolSize: number },
): Promise<LoadedSystem> {
  const port = await choosePort(3900, () => {});
  const secret = randomBytes(32).toString('hex');
  const licenceKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const common = { DATABASE_URL: opts.databaseUrl, TONGBAN_LICENCE_SIGNING_KEY: licenceKey };
  const started: Started[] = [];
  try {
    started.push(
      await startEntry('apps/api.ts', {
        ...common,
        PORT: String(port),
        TONGBAN_API_PROCESSES: String(layout.apiProcesses),
        DB_POOL_SIZE: String(opts.poolSize),
        TONGBAN_JWT_SECRET: secret,
        TONGBAN_RATE_LIMIT_PER_MINUTE: '0',
      }, layout.apiProcesses > 1 ? 'api.cluster-listening' : 'api.listening'),
    );
    for (let i = 0; i < layout.workerProcesses; i++) {
      started.push(await startEntry('apps/workers.ts', { ...common, REDIS_URL: opts.redisUrl, TONGBAN_QUEUE_PREFIX: opts.prefix }, 'workers.started'));
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
  const [api, ...workers] = started;
  return {
    url: `http://127.0.0.1:${port}`,
    secret,
    processes: { [`API (${layout.apiProcesses} ${layout.apiProcesses > 1 ? 'processes, one cluster' : 'process'})`]: [api!.pid], [`workers (${layout.workerProcesses} ${layout.workerProcesses > 1 ? 'processes' : 'process'})`]: workers.map((w) => w.pid) },
    stop: async () => void (await Promise.all(started.map((s) => s.stop()))),
  };
}

interface Started {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Runs an entry point under `node --import tsx` (so that the pid is the process itself) until it logs `readyEvent`. */
async function startEntry(entry: string, env: Record<string, string>, readyEvent: string): Promise<Started> {
  const inherited = { ...process.env };
  delete inherited['REDIS_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let rest = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not log ${readyEvent} within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('"level":"error"')) process.stderr.write(`${entry}: ${line}\n`);
        if (line.includes(`"event":"${readyEvent}"`)) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${child.exitCode ?? child.signalCode} before it logged ${readyEvent}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  await ready.catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { pid: child.pid!, stop };
}
