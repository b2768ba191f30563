import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { choosePort } from './free-port.js';
import { clearLeftoverServer } from './pid-file.js';

const DEFAULT_PORT = 63799;
const STARTUP_TIMEOUT_MS = 10_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Options of {@link startEmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /** Working directory of the server (its pid file lives here; nothing is persisted). */
  dataDir: string;
  /** Preferred port (default 63799); another free one is used, and logged, when it is taken. */
  port?: number;
  /** Receives server output and what we did about leftovers, one line at a time. */
  log?: (line: string) => void;
}

/** A running redis-server child process. */
export interface EmbeddedRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs `redis-server` (from PATH; `scripts/bootstrap.mjs` installs it) as a child process on 127.0.0.1.
 * Redis only delivers jobs here (PostgreSQL is the truth), so it persists nothing and never evicts keys,
 * which BullMQ requires. A server left running by a killed run is stopped first.
 *
 * @example
 * const redis = await startEmbeddedRedis({ dataDir: '.data/dev/redis' });
 * // ... new Redis(redis.url, { maxRetriesPerRequest: null }) ...
 * await redis.stop();
 */
export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const dataDir = resolve(opts.dataDir);
  const pidFile = join(dataDir, 'redis.pid');
  const recent: string[] = [];
  const log = (line: string): void => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    opts.log?.(`redis: ${line}`);
  };
  mkdirSync(dataDir, { recursive: true });
  await clearLeftoverServer(
    {
      pidFile,
      processName: 'redis-server',
      label: `redis-server with ${pidFile}`,
      stopOrphan: async (pid) => {
        await terminate(pid);
        rmSync(pidFile, { force: true });
      },
    },
    log,
  );
  const port = await choosePort(opts.port ?? DEFAULT_PORT, log);
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--pidfile', pidFile,
      '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => chunk.split('\n').filter((line) => line.trim()).forEach(log));
  }
  // 'error' (e.g. ENOENT) or 'exit' both mean the server is not, or no longer, running.
  let running = true;
  const ended = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      log(String(error));
      resolve();
    });
  }).then(() => {
    running = false;
  });

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await ping(port))) {
    if (!running || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}\n${recent.join('\n')}`);
    }
    await sleep(25);
  }

  // Last resort if the process exits without stop() (an uncaught error): no orphaned server.
  const stopOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    process.off('exit', stopOnExit);
    return (stopping ??= (async () => {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
      await ended;
      clearTimeout(timer);
    })());
  };
  return { url: `redis://127.0.0.1:${port}`, stop };
}

/** SIGTERM, then SIGKILL if it is still there after the timeout; resolves once the process is gone. */
async function terminate(pid: number): Promise<void> {
  const deadline = Date.now() + SHUTDOWN_TIMEOUT_MS;
  let signal: NodeJS.Signals | 0 = 'SIGTERM';
  while (send(pid, signal)) {
    // Signal 0 only asks whether the process still exists.
    signal = Date.now() > deadline ? 'SIGKILL' : 0;
    await sleep(25);
  }
}

/** False once the process is gone (ESRCH). */
function send(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** One raw `PING` over TCP; true on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    let reply = '';
    socket.setEncoding('utf8');
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
  });
}
