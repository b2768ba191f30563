import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { ApiQueries } from '../db/api-queries.js';
import type { Readiness } from '../platform/readiness.js';
import type { Logger } from '../platform/logger.js';
import type { AuthConfig } from './auth.js';
import type { CaseCommands } from './metered-engine.js';
import type { MetricsEndpoint } from './metrics-route.js';
import type { MaterialStorage } from '../db/material-storage.js';
import type { MaterialScanner } from '../platform/material-scanner.js';

/** What the API needs; composed once per process by `apps/serve-api.ts` (`apiDeps`), or by tests. */
export interface ApiDeps {
  /** Every command goes through the engine (counted in `metrics`: `meteredEngine`). */
  readonly engine: CaseCommands;
  /** Every read, and the writes outside cases (keys, kept answers, rate-limit windows, read receipts), by name. */
  readonly queries: ApiQueries;
  readonly auth: AuthConfig;
  /** Wall time for tokens and caches (the engine has its own clock). */
  readonly clock: WallClock;
  readonly log: (entry: Record<string, unknown>) => void;
  /** Where each request's `http.request` line goes (`request-log.ts`); without it requests still get their id, unlogged. */
  readonly logger?: Logger | undefined;
  /** What `GET /metrics` answers, and the token it asks for. */
  readonly metrics: MetricsEndpoint;
  /** Whether this process can do its work, for `GET /readyz`. */
  readonly readiness: () => Promise<Readiness>;
  /** Material files: where they are kept, how they are scanned, how big one may be (`docs/materials.md`). */
  readonly materials: MaterialFiles;
  /** The delivery queues and their Redis, where this process has Redis: administrators watch them on the queue dashboard. */
  readonly queueDashboard?: QueueDashboardSource;
  /** Where this process has Redis: rebuilds the delivery queue's timers from PostgreSQL now (`POST /api/timers/reconciliation`). */
  readonly reconcileTimers?: () => Promise<TimersReconciled>;
}

/** What a reconciliation run on request did. */
export interface TimersReconciled {
  /** Pending timers due within the scheduling horizon enqueued (those whose job was there already unchanged). */
  readonly scheduled: number;
  /** Pending timers overdue past the grace period delivered again. */
  readonly overdue: number;
}

/** What uploads and downloads of material files (材料) run on. */
export interface MaterialFiles {
  readonly storage: MaterialStorage;
  readonly scanner: MaterialScanner;
  /** The largest file accepted, in bytes. */
  readonly maxBytes: number;
}

/** What the queue dashboard (bull-board) shows, and the Redis it keeps the key signing its cookies in. */
export interface QueueDashboardSource {
  readonly connection: Redis;
  /** The queues' key prefix (a deployment's, a test's). */
  readonly prefix: string;
  readonly queues: readonly Queue[];
}
