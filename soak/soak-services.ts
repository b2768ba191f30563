import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { installDemoUsers } from '../apps/demo-users.js';
import { installReferenceData } from '../apps/shipped-data.js';
import { connect } from '../db/connection.js';
import { registerSigningKey } from '../db/licence-queries.js';
import { migrateDatabase } from '../db/migrate.js';
import { PgCatalog } from '../db/pg-catalog.js';
import { startEmbeddedPostgres } from '../platform/embedded-postgres.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../platform/embedded-redis.js';
import { getFreePort } from '../platform/free-port.js';
import { TEST_LICENCE_SIGNER } from '../test/support/licence-signer.js';

/** The soak's data, apart from `npm start` (.data/dev), the tests (.data/test) and the benchmarks (.data/bench). */
export const SOAK_DATA_DIR = process.env['TONGBAN_SOAK_DATA_DIR'] ?? join(process.cwd(), '.data', 'soak');
const DATABASE = 'soak';

/** The soak's own PostgreSQL (durable: fsync on, as deployed) and Redis, on loopback, under {@link SOAK_DATA_DIR}. */
export interface SoakServices {
  /** A fresh database `soak`, migrated, with the shipped reference data, the demo users and the test licence key. */
  readonly databaseUrl: string;
  /** The same across restarts (the same port). */
  readonly redisUrl: string;
  /** Stops Redis and starts it again on the same port: empty, as a restart without persistence leaves it. */
  restartRedis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSoakServices(now: Date, log: (line: string) => void): Promise<SoakServices> {
  mkdirSync(SOAK_DATA_DIR, { recursive: true });
  const redisPort = await getFreePort();
  const redisDir = join(SOAK_DATA_DIR, 'redis');
  const [postgres, firstRedis] = await Promise.all([
    startEmbeddedPostgres({ dataDir: join(SOAK_DATA_DIR, 'postgres'), port: await getFreePort(), durable: true }),
    startEmbeddedRedis({ dataDir: redisDir, port: redisPort }),
  ]);
  let redis: EmbeddedRedis = firstRedis;
  const admin = connect(postgres.url, { max: 1 });
  try {
    await admin.unsafe(`drop database if exists ${DATABASE} with (force)`);
    await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgres.url);
  url.pathname = `/${DATABASE}`;
  const databaseUrl = url.href;
  log(`PostgreSQL ${databaseUrl}, Redis ${redis.url} (data in ${SOAK_DATA_DIR}); migrating and seeding…`);
  await migrateDatabase(databaseUrl);
  const sql = connect(databaseUrl, { max: 2 });
  try {
    await installReferenceData(sql, new PgCatalog(sql, () => now.getTime()));
    await installDemoUsers(sql);
    await registerSigningKey(sql, TEST_LICENCE_SIGNER, now);
  } finally {
    await sql.end();
  }
  return {
    databaseUrl,
    redisUrl: redis.url,
    async restartRedis() {
      await redis.stop();
      redis = await startEmbeddedRedis({ dataDir: redisDir, port: redisPort });
    },
    async stop() {
      await Promise.all([redis.stop(), postgres.stop()]);
    },
  };
}
