import type { WallClock } from '../engine/time/wall-clock.js';
import type { Engine } from '../engine/engine.js';
import type { Sql } from '../db/connection.js';
import type { PgCatalog } from '../db/pg-catalog.js';
import type { RedisView } from '../workers/readiness.js';
import type { AuthConfig } from './auth.js';

/** What the API needs; built once per process by `apps/serve-api.ts`, or by tests. */
export interface ApiDeps {
  readonly engine: Engine;
  readonly sql: Sql;
  readonly catalog: PgCatalog;
  readonly auth: AuthConfig;
  /** Wall time for tokens and caches (the engine has its own clock). */
  readonly clock: WallClock;
  readonly log: (entry: Record<string, unknown>) => void;
  /** Where this process has Redis (REDIS_URL), readiness checks it and the reconciler's heartbeat there. */
  readonly redis?: RedisView;
}
