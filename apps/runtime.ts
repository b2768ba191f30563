import { connect, type Sql } from '../db/connection.js';
import { PgCaseStore } from '../db/pg-case-store.js';
import { PgCatalog } from '../db/pg-catalog.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { Engine, EngineDeps } from '../engine/engine.js';
import { databaseNow } from '../db/instants.js';
import { jsonLogger, type Logger } from '../platform/logger.js';
import { SteadyClock } from '../platform/steady-clock.js';
import { licenceSigningKey, type LicenceSigningAlgorithm } from '../platform/config.js';
import { ed25519Signer, type LicenceSigner } from '../engine/licences/licence-signer.js';
import { sm2Signer } from '../engine/licences/sm2-signer.js';
import { tracedEngine } from './traced-engine.js';

/** The engine wired to PostgreSQL: what the API and the workers processes both run on. */
export interface Runtime {
  readonly sql: Sql;
  readonly catalog: PgCatalog;
  readonly engine: Engine;
  readonly clock: WallClock;
  /** What licences are signed with; its public key is registered at start (`prepareDatabase`). */
  readonly licenceSigner: LicenceSigner;
  close(): Promise<void>;
}

/** A runtime as `createRuntime` returns it, its clock anchoring. */
export interface StartingRuntime extends Runtime {
  /**
   * Resolves once the clock is anchored to PostgreSQL's (at once for a clock given to `createRuntime`); rejects if
   * PostgreSQL cannot be read. Processes await it before they serve or fire anything.
   */
  readonly ready: Promise<void>;
}

/**
 * The engine is traced (`traced-engine.ts`): its commands' and commits' spans are no-ops until the process registers
 * the OpenTelemetry SDK (`platform/tracing-sdk.ts`).
 * `licenceSigner`: the deployment's key by default (`licenceSigningKey`: a secret in production, generated once in dev).
 * `clock`: by default the steady clock (`platform/steady-clock.ts`): PostgreSQL's time, advancing on the monotonic
 * clock, so a jump of the host's wall clock fires no deadline early. It is built here, synchronously, and anchored in
 * the background from the start: `ready` says when (the runtime stays synchronous to build, so its callers — and the
 * tests that give it a clock — need not change; the processes await `ready` before they serve).
 */
export function createRuntime(opts: { databaseUrl: string; poolSize?: number; clock?: WallClock; licenceSigner?: LicenceSigner; logger?: Logger }): StartingRuntime {
  const licenceSigner = opts.licenceSigner ?? configuredSigner(licenceSigningKey({ dev: process.env['NODE_ENV'] !== 'production' }));
  const sql = connect(opts.databaseUrl, { max: opts.poolSize ?? 10 });
  const steady = opts.clock ? null : databaseSteadyClock(sql, opts.logger ?? jsonLogger());
  const clock = opts.clock ?? steady!;
  const ready = steady ? steady.start() : Promise.resolve();
  ready.catch(() => {}); // the caller awaits it; a process that does not still runs on the host's clock meanwhile
  // The catalogue has its own small pool: a command reads it while holding a connection of the main pool
  // for its transaction, so sharing one pool could leave every connection waiting for a catalogue read.
  const catalogSql = connect(opts.databaseUrl, { max: 2 });
  const catalog = new PgCatalog(catalogSql, () => clock.now().getTime());
  // A process that logs logs its commands too: one `command` line each (the benchmarks give no logger).
  const onCommand = opts.logger && commandLine(opts.logger);
  const engine = tracedEngine({ store: new PgCaseStore(sql), catalog, clock, licenceSigner, ...(onCommand ? { onCommand } : {}) });
  const close = async () => {
    steady?.stop();
    await Promise.all([sql.end({ timeout: 5 }), catalogSql.end({ timeout: 5 })]);
  };
  return { sql, catalog, engine, clock, ready, licenceSigner, close };
}

/** The steady clock on this pool's PostgreSQL (not started): the monotonic clock, anchored to `clock_timestamp()`. */
export function databaseSteadyClock(sql: Sql, logger: Logger): SteadyClock {
  return new SteadyClock({ sources: { authority: () => databaseNow(sql), monotonic: () => performance.now(), wall: () => Date.now() }, logger });
}

/** Writes each command the engine ran as one `command` line: operation, case, task, new version, ms (and the request id). */
function commandLine(logger: Logger): NonNullable<EngineDeps['onCommand']> {
  return (record) => logger.log('info', 'command', { ...record });
}

/** The signer of the configured algorithm and key. */
function configuredSigner({ algorithm, key }: { algorithm: LicenceSigningAlgorithm; key: string }): LicenceSigner {
  return algorithm === 'SM2-SM3' ? sm2Signer(key) : ed25519Signer(key);
}
