import { connect, type Sql } from '../db/connection.js';
import { PgCaseStore } from '../db/pg-case-store.js';
import { PgCatalog } from '../db/pg-catalog.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import { Engine } from '../engine/engine.js';
import { systemClock } from '../platform/system-clock.js';
import { licenceSigningKey, type LicenceSigningAlgorithm } from '../platform/config.js';
import { ed25519Signer, type LicenceSigner } from '../engine/licences/licence-signer.js';
import { sm2Signer } from '../engine/licences/sm2-signer.js';

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

/** `licenceSigner`: the deployment's key by default (`licenceSigningKey`: a secret in production, generated once in dev). */
export function createRuntime(opts: { databaseUrl: string; poolSize?: number; clock?: WallClock; licenceSigner?: LicenceSigner }): Runtime {
  const clock = opts.clock ?? systemClock;
  const licenceSigner = opts.licenceSigner ?? configuredSigner(licenceSigningKey({ dev: process.env['NODE_ENV'] !== 'production' }));
  const sql = connect(opts.databaseUrl, { max: opts.poolSize ?? 10 });
  // The catalogue has its own small pool: a command reads it while holding a connection of the main pool
  // for its transaction, so sharing one pool could leave every connection waiting for a catalogue read.
  const catalogSql = connect(opts.databaseUrl, { max: 2 });
  const catalog = new PgCatalog(catalogSql, () => clock.now().getTime());
  const engine = new Engine({ store: new PgCaseStore(sql), catalog, clock, licenceSigner });
  return { sql, catalog, engine, clock, licenceSigner, close: async () => void (await Promise.all([sql.end({ timeout: 5 }), catalogSql.end({ timeout: 5 })])) };
}

/** The signer of the configured algorithm and key. */
function configuredSigner({ algorithm, key }: { algorithm: LicenceSigningAlgorithm; key: string }): LicenceSigner {
  return algorithm === 'SM2-SM3' ? sm2Signer(key) : ed25519Signer(key);
}
