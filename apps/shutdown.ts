import { errorFields, type Logger } from '../platform/logger.js';

/** One thing to stop, named for the log line should it fail. */
export interface ShutdownStep {
  readonly name: string;
  stop(): Promise<void>;
}

/** How a process stops: see {@link onShutdown}. */
export interface ShutdownPlan {
  /** Stopped in this order: what takes work in first (HTTP, workers), then what it used (pools, servers). */
  readonly steps: readonly ShutdownStep[];
  readonly logger: Logger;
  /**
   * After this long the process exits 1 whatever is still running (default 20 s): a stop that hangs (Redis
   * unreachable while a batch is in flight, a client holding a request open) must not keep it forever.
   */
  readonly timeoutMs?: number;
  /**
   * Whether a failed step is expected, logged as a warning with exit code 0 (default false: an error, exit 1).
   * `npm start` expects them: Ctrl-C reaches its embedded PostgreSQL and Redis too (same terminal process
   * group), so they may be going down already, and a connection lost to a server that is stopping anyway
   * is not a failure.
   */
  readonly failuresExpected?: boolean;
  /** Told when stopping begins and when every step has run (`npm start` says so on the terminal). */
  readonly progress?: { stopping(): void; stopped(): void };
}

const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Runs every step in order, each whatever the ones before did: a failure is logged (`shutdown.step-failed`)
 * and the next step still runs, so a pool is closed and a server stopped even when an earlier step failed.
 * Resolves to the exit code: 0, or 1 when a step failed and failures are not expected.
 */
export async function runShutdown(plan: Omit<ShutdownPlan, 'timeoutMs' | 'progress'>): Promise<number> {
  let failed = false;
  for (const step of plan.steps) {
    try {
      await step.stop();
    } catch (error) {
      failed = true;
      plan.logger.log(plan.failuresExpected ? 'warn' : 'error', 'shutdown.step-failed', { step: step.name, ...errorFields(error) });
    }
  }
  return failed && !plan.failuresExpected ? 1 : 0;
}

/**
 * The one shutdown path of every long-running process (`npm start`, `npm run api`, `npm run workers`): on the
 * first SIGINT or SIGTERM, runs the steps ({@link runShutdown}) and exits with its code, or with 1 after the
 * timeout. Later signals are ignored while stopping: Ctrl-C reaches every process in the terminal's group,
 * and `scripts/bootstrap.mjs` forwards it as well. Whatever a step leaves behind (a killed run), the
 * embedded servers clear at the next start (`platform/pid-file.ts`), and PostgreSQL keeps every committed
 * command.
 *
 * @example
 * onShutdown({ logger, steps: [{ name: 'http', stop: () => server.close() }, { name: 'database-pools', stop: () => runtime.close() }] });
 */
export function onShutdown(plan: ShutdownPlan): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const timeoutMs = plan.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    plan.logger.log('info', 'shutdown.started', { signal });
    plan.progress?.stopping();
    setTimeout(() => {
      plan.logger.log('error', 'shutdown.timeout', { afterMs: timeoutMs });
      process.exit(1);
    }, timeoutMs).unref();
    void runShutdown(plan).then((code) => {
      plan.progress?.stopped();
      process.exit(code);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
