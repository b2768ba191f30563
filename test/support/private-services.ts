import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '../../db/migrate.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../platform/embedded-postgres.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../platform/embedded-redis.js';
import { getFreePort } from '../../platform/free-port.js';
import type { TestDatabase } from './test-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A directory of one's own under the run's test data (TONGBAN_TEST_DATA_DIR), removed by `remove()`. */
function privateDir(kind: string): { path: string; remove(): void } {
  const path = join(process.env['TONGBAN_TEST_DATA_DIR'] ?? join(root, '.data', 'test'), 'private', `${kind}-${randomUUID()}`);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A Redis of one's own, for a fault test that stops, freezes or restarts it without touching the run's shared one. */
export interface PrivateRedis {
  /** Stays the same across restarts (the same port). */
  readonly url: string;
  /** Stops the server and starts a new one on the same port: empty, as a restart without persistence leaves it. */
  restart(): Promise<void>;
  /** Stops the server, leaving its port closed (connections refused) until {@link up}. */
  down(): Promise<void>;
  /** Starts the server again after {@link down}, on the same port: empty. */
  up(): Promise<void>;
  /** SIGSTOP: the server keeps its connections and answers nothing, as behind a network partition. */
  freeze(): void;
  /** SIGCONT after {@link freeze}. */
  thaw(): void;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = privateDir('redis');
  const port = await getFreePort();
  let server: EmbeddedRedis = await startEmbeddedRedis({ dataDir: dir.path, port });
  const pid = () => Number.parseInt(readFileSync(join(dir.path, 'redis.pid'), 'utf8'), 10);
  return {
    url: server.url,
    async restart() {
      await server.stop();
      server = await startEmbeddedRedis({ dataDir: dir.path, port });
    },
    down: () => server.stop(),
    async up() {
      server = await startEmbeddedRedis({ dataDir: dir.path, port });
    },
    freeze: () => process.kill(pid(), 'SIGSTOP'),
    thaw: () => process.kill(pid(), 'SIGCONT'),
    async stop() {
      try {
        process.kill(pid(), 'SIGCONT'); // a frozen server cannot hear SIGTERM
      } catch {
        // Already gone.
      }
      await server.stop();
      dir.remove();
    },
  };
}

/** A PostgreSQL cluster of one's own (about 2 s with migrations), for a fault test that restarts it or fills it. */
export interface PrivatePostgres {
  /** Superuser URL of its migrated `tongban` database; the same across restarts (the same port). */
  readonly url: string;
  /** The cluster's data directory. */
  readonly dataDir: string;
  /**
   * A fast shutdown (every connection cut, uncommitted work rolled back), then a start on the same port and data;
   * `whileDown` runs between the two (clients meeting a refused port).
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Its database as a test database (`createEngineFixture(start, pg.database)`); dropping it is stopping the cluster. */
  readonly database: TestDatabase;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = privateDir('postgres');
  const port = await getFreePort();
  let server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dir.path, port, durable: false });
  await migrateDatabase(server.url);
  return {
    url: server.url,
    dataDir: dir.path,
    database: { url: server.url, drop: async () => {} },
    async restart(whileDown) {
      await server.stop();
      await whileDown?.();
      server = await startEmbeddedPostgres({ dataDir: dir.path, port, durable: false });
    },
    async stop() {
      await server.stop();
      dir.remove();
    },
  };
}
