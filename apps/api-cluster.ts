import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../platform/logger.js';
import { onShutdown } from './shutdown.js';

/**
 * Restarts of an API process that keeps dying wait longer each time, so that a crash at every start (a database
 * gone, a bad deployment) does not spin: the first restart after 1 s, then twice as long each time up to 30 s; a
 * process that lived a minute starts the count again.
 */
export const RESTART_BACKOFF = { firstMs: 1_000, maxMs: 30_000, healthyAfterMs: 60_000 } as const;

/** How long to wait before restarting a process that died after `livedMs`, its previous restart having waited `previousMs` (null: none yet). */
export function restartDelayMs(previousMs: number | null, livedMs: number): number {
  if (previousMs === null || livedMs >= RESTART_BACKOFF.healthyAfterMs) return RESTART_BACKOFF.firstMs;
  return Math.min(RESTART_BACKOFF.maxMs, previousMs * 2);
}

/**
 * Longer than an API process's own shutdown (20 s, `apps/shutdown.ts`), so that each gets to close its pools; the
 * processes still running then die with the primary (a cluster's processes exit when its IPC channel closes).
 */
const SHUTDOWN_TIMEOUT_MS = 25_000;

/** One of the `count` places of the cluster: the process in it now, and how its last restart went. */
interface Slot {
  worker: Worker | null;
  startedAt: number;
  lastDelayMs: number | null;
  restart: NodeJS.Timeout | null;
}

/**
 * The primary of `npm run api` with `TONGBAN_API_PROCESSES` > 1. It forks `count` copies of the entry point, each a
 * whole API process (its own pools, caches and per-caller limits) serving the same port: `node:cluster` takes the
 * connections in the primary and hands them out round-robin. Once every process listens it logs
 * `api.cluster-listening`. A process that dies is logged (`api.process-exited`) and restarted after
 * {@link restartDelayMs}; one that dies before all have listened once stops the cluster with exit code 1, as a single
 * process failing its start would (a configuration error does not mend on restart). On SIGINT or SIGTERM it stops
 * restarting, sends SIGTERM to every process (each runs its own shutdown) and exits once all have: 0, or 1 if one
 * exited with a failure.
 */
export function superviseApiProcesses(opts: { count: number; url: string; logger: Logger }): void {
  const { count, url, logger } = opts;
  const slots: Slot[] = Array.from({ length: count }, () => ({ worker: null, startedAt: 0, lastDelayMs: null, restart: null }));
  const listened = new Set<Slot>();
  let stopping = false;

  const stopAll = async (): Promise<void> => {
    stopping = true;
    const exits = slots.map(async (slot) => {
      if (slot.restart) clearTimeout(slot.restart);
      const worker = slot.worker;
      if (!worker) return 0;
      const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
      worker.process.kill('SIGTERM');
      return exited;
    });
    const failed = (await Promise.all(exits)).filter((code) => code !== 0).length;
    if (failed > 0) throw new Error(`${failed} of ${count} API processes did not stop cleanly`);
  };

  const start = (slot: Slot): void => {
    slot.restart = null;
    const worker = cluster.fork();
    const pid = worker.process.pid;
    slot.worker = worker;
    slot.startedAt = performance.now();
    logger.log('info', 'api.process-started', { pid });
    worker.once('listening', () => {
      if (listened.has(slot)) return;
      listened.add(slot);
      if (listened.size === count) logger.log('info', 'api.cluster-listening', { url, processes: count });
    });
    worker.once('exit', (code, signal) => {
      slot.worker = null;
      if (stopping) return;
      if (listened.size < count) {
        logger.log('error', 'api.start-failed', { pid, code, signal });
        const exit = () => process.exit(1);
        void stopAll().then(exit, exit);
        return;
      }
      const delayMs = restartDelayMs(slot.lastDelayMs, performance.now() - slot.startedAt);
      slot.lastDelayMs = delayMs;
      logger.log('error', 'api.process-exited', { pid, code, signal, restartInMs: delayMs });
      slot.restart = setTimeout(() => start(slot), delayMs);
    });
  };

  for (const slot of slots) start(slot);
  onShutdown({ logger, steps: [{ name: 'api-processes', stop: stopAll }], timeoutMs: SHUTDOWN_TIMEOUT_MS });
}
