import { spawn } from 'node:child_process';
import { mintToken } from '../../api/auth.js';
import { systemClock } from '../../platform/system-clock.js';
import type { Answer } from './api-fixture.js';
import type { ClockMessage } from './process-clock.js';
import { TEST_JWT_SECRET } from './test-auth.js';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** An answer of an API process of the fleet, with its headers (e.g. a 503's Retry-After). */
export type FleetAnswer = Answer & { readonly headers: Headers };

/** How a process of the fleet ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** An API or workers process of the fleet: a real process, killed for real. */
export interface FleetProcess {
  readonly kind: 'api' | 'workers';
  readonly pid: number;
  /** Every line it printed so far, stdout and stderr. */
  readonly lines: readonly string[];
  /** Its JSON log lines of event `event`. */
  events(event: string): Record<string, unknown>[];
  readonly exited: Promise<Exit>;
  /** Sends `signal` (SIGKILL: no shutdown runs) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  /** Sends it `message` over IPC; resolves at its first answer that `isAnswer` accepts (at once if it is gone). */
  request(message: object, isAnswer: (reply: unknown) => boolean): Promise<void>;
}

export interface ApiProcess extends FleetProcess {
  readonly kind: 'api';
  /** `http://localhost:<port>` */
  readonly url: string;
}

/** Where the fleet's processes run: a migrated, seeded database, Redis and a queue prefix, and where its clock starts. */
export interface FleetOptions {
  readonly databaseUrl: string;
  readonly redisUrl?: string;
  readonly prefix: string;
  readonly now: Date;
  /** How long a process may take to say ready (default 30 s); the soak gives more, on a box others load too. */
  readonly readyTimeoutMs?: number;
}

/**
 * Real API and workers processes (test/support/api-process.ts, worker-process.ts) on one database, Redis and queue
 * prefix, sharing a test clock that `setClock` moves in every live process: what fault tests kill, stop and restart.
 * Each process runs under `node --import tsx`, so the pid signalled is the process itself (the `tsx` command would
 * put a process of its own in between, and a SIGKILL would leave the real one running as an orphan).
 *
 * @example
 * const fleet = new Fleet({ databaseUrl, redisUrl, prefix, now: MONDAY_MORNING });
 * const api = await fleet.api();
 * await fleet.as('window.clerk').post(api, '/api/cases', CONSTRUCTION_APPLICATION);
 * await fleet.close();
 */
export class Fleet {
  readonly #options: FleetOptions;
  readonly #live = new Set<FleetProcess & { setClock(instant: Date): Promise<void> }>();
  #now: Date;

  constructor(options: FleetOptions) {
    this.#options = options;
    this.#now = options.now;
  }

  /** The instant every process of the fleet stands at. */
  now(): Date {
    return this.#now;
  }

  /** Starts an API process; `env` adds to or overrides its environment. */
  async api(env: Record<string, string> = {}): Promise<ApiProcess> {
    const started = await this.#start('api', 'test/support/api-process.ts', env);
    const ready = started.lines.find((line) => line.startsWith('ready '));
    return Object.assign(started, { kind: 'api' as const, url: ready!.slice('ready '.length) });
  }

  /**
   * Starts a workers process; `env` adds to or overrides its environment (TONGBAN_TEST_RECONCILER_MS, TONGBAN_TEST_GRACE_MS);
   * `preload`, a module it imports before its own code (e.g. `JUMPING_WALL_CLOCK`).
   */
  workers(env: Record<string, string> = {}, options: { preload?: string } = {}): Promise<FleetProcess> {
    if (!this.#options.redisUrl) throw new Error('the workers need Redis: give the fleet a redisUrl');
    return this.#start('workers', 'test/support/worker-process.ts', env, options.preload);
  }

  /** Moves the clock of every live process to `instant`; resolves once each has. */
  async setClock(instant: Date): Promise<void> {
    this.#now = instant;
    await Promise.all([...this.#live].map((p) => p.setClock(instant)));
  }

  /**
   * Requests to an API process as a demo user, with a token minted now (its signature's checks read the real time,
   * as in api-fixture.ts); `as(null)` sends none.
   */
  as(user: string | null) {
    const send = async (api: ApiProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<FleetAnswer> => {
      const auth: Record<string, string> = user ? { authorization: `Bearer ${await mintToken(user, TEST_JWT_SECRET, systemClock)}` } : {};
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      const contentType = res.headers.get('content-type');
      return { status: res.status, body: text && contentType?.includes('json') ? JSON.parse(text) : text || null, contentType, headers: res.headers };
    };
    return {
      get: (api: ApiProcess, path: string) => send(api, 'GET', path),
      post: (api: ApiProcess, path: string, body: unknown = {}, headers?: Record<string, string>) => send(api, 'POST', path, body, headers),
    };
  }

  /** Kills every live process (SIGKILL) and waits until each is gone. */
  async close(): Promise<void> {
    await Promise.all([...this.#live].map((p) => p.kill('SIGKILL')));
  }

  async #start(kind: FleetProcess['kind'], entry: string, env: Record<string, string>, preload?: string): Promise<FleetProcess & { setClock(instant: Date): Promise<void> }> {
    const { databaseUrl, redisUrl, prefix } = this.#options;
    const child = spawn(process.execPath, ['--import', 'tsx', ...(preload ? ['--import', preload] : []), entry], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
        TONGBAN_TEST_PREFIX: prefix,
        TONGBAN_TEST_NOW: this.#now.toISOString(),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const lines: string[] = [];
    const waiting = new Set<() => void>();
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        lines.push(...parts.filter((line) => line.trim()));
        for (const wake of waiting) wake();
      });
    }
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const live = {
      kind,
      pid: child.pid!,
      lines,
      exited,
      events: (event: string) => lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [])).filter((e) => e['event'] === event),
      kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      },
      request: (message: object, isAnswer: (reply: unknown) => boolean) =>
        new Promise<void>((resolve, reject) => {
          if (!child.connected) return resolve(); // gone: nobody to tell
          const answered = (reply: unknown) => {
            if (!isAnswer(reply)) return;
            child.off('message', answered);
            resolve();
          };
          child.on('message', answered);
          child.send(message, (error) => error && reject(error));
        }),
      setClock: (instant: Date) => {
        const iso = instant.toISOString();
        return live.request({ clock: iso } satisfies ClockMessage, (reply) => (reply as { clockSet?: string } | null)?.clockSet === iso);
      },
    };
    void exited.then(() => this.#live.delete(live));
    this.#live.add(live);
    await new Promise<void>((resolve, reject) => {
      const readyTimeoutMs = this.#options.readyTimeoutMs ?? READY_TIMEOUT_MS;
      const timer = setTimeout(() => fail(`did not say ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        waiting.delete(check);
        child.kill('SIGKILL');
        reject(new Error(`the ${kind} process ${why}:\n${lines.slice(-30).join('\n')}`));
      };
      const check = () => {
        if (!lines.some((line) => line === 'ready' || line.startsWith('ready '))) return;
        clearTimeout(timer);
        waiting.delete(check);
        resolve();
      };
      waiting.add(check);
      void exited.then((exit) => waiting.has(check) && fail(`exited (${exit.signal ?? exit.code}) before it was ready`));
    });
    return live;
  }
}
