import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { isConnectionLost } from './database-unavailable.js';

export type Sql = postgres.Sql;

/**
 * A postgres.js pool. jsonb comes back parsed; notices are not logged (migrations and
 * `IF NOT EXISTS` emit harmless ones).
 *
 * drizzle's postgres-js driver switches the pool's date parsers and serializers off, because it maps
 * dates and json itself. It is applied here, once, at creation, so that every raw query on every pool
 * behaves the same whatever ran first: raw queries get timestamps as PostgreSQL text (read them with
 * `instants.ts`) and must send ISO strings, and send json as `JSON.stringify(value)` cast with `::jsonb`.
 *
 * @example const sql = connect(process.env.DATABASE_URL!, { max: 10 });
 */
export function connect(databaseUrl: string, options: { max?: number } = {}): Sql {
  const sql = postgres(databaseUrl, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'tongban' },
    backoff: reconnectDelaySeconds,
  });
  drizzle(sql);
  sql.begin = beginSafely(sql);
  return sql;
}

/** The longest a closed connection of the pool waits before it connects again. */
const MAX_RECONNECT_DELAY_SECONDS = 0.5;

/**
 * How long a closed connection waits before it connects again, after `failures` failed attempts of the pool.
 * postgres.js's default grows as 3^n / 100 s up to 20 s, and a request that needs the connection waits that long:
 * after a few seconds of a server down (a restart) with requests coming, every request waited 10 to 20 s, for its
 * 503 during the outage and for its answer after it — a client's request must fail fast or be served. Half a second
 * at most keeps a pool of ten to twenty attempts a second, which a refused port or a starting server takes easily.
 */
function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.01 * 2 ** failures, MAX_RECONNECT_DELAY_SECONDS) * (0.5 + Math.random() / 2);
}

/**
 * `sql.begin(fn)` and `sql.begin(mode, fn)` as postgres.js has them — BEGIN, `fn` with the transaction's connection,
 * COMMIT, or ROLLBACK when `fn` fails — on {@link withReservedConnection}. postgres.js's own rolls back on the
 * connection even when it was lost under `fn` (a restart, a failover), which kills the process (porsager/postgres#1208).
 * `fn` gets the reserved connection: everything of `TransactionSql` but `savepoint` and `prepare`, which nothing here uses.
 */
function beginSafely(sql: Sql): Sql['begin'] {
  const begin = (...args: [string, (tx: postgres.ReservedSql) => unknown] | [(tx: postgres.ReservedSql) => unknown]) =>
    withReservedConnection(sql, async (tx) => {
      const fn = args.length === 2 ? args[1] : args[0];
      // As postgres.js does: only letters and spaces of the mode (`isolation level repeatable read read only`).
      await tx.unsafe(`begin ${args.length === 2 ? args[0].replace(/[^a-z ]/gi, '') : ''}`);
      const returned = fn(tx);
      const result: unknown = await (Array.isArray(returned) ? Promise.all(returned) : returned);
      // A statement of `fn` that failed unawaited aborted the transaction: PostgreSQL then answers COMMIT with ROLLBACK.
      const committed = await tx.unsafe('commit');
      if (committed.command !== 'COMMIT') throw new Error(`the transaction was rolled back at its commit (${committed.command}): a statement in it failed`);
      return result;
    });
  return begin as unknown as Sql['begin'];
}

/**
 * Runs `work` on a connection reserved from the pool (a transaction it pipelines itself), then gives the connection
 * back. When `work` fails, what it began is rolled back first — unless the failure says the connection may be lost
 * (`isConnectionLost`: closed or reset under a query, the server down, as in a restart or a failover). Then it is
 * neither written to nor given back: postgres.js 3.4.9 already returned it to the pool's closed connections, which it
 * reconnects on demand, and the server rolled back what it held. Writing to it would throw from a `setImmediate`,
 * out of reach of any `catch`, and kill the process (`TypeError: Cannot read properties of null (reading 'write')`,
 * porsager/postgres#1208); `release()` would put it among the open connections without a socket, where the next
 * query crashes the process the same way or waits forever.
 *
 * The failure may come from another pool (a catalogue read in the transaction) while this connection lives on: kept
 * from the pool then, it is one connection fewer until its own socket closes. A restart closes every socket, so
 * that is the rare case, and a smaller pool is better than a dead process. What this cannot see: a connection that
 * closes while no statement of it is in flight (between a transaction's round trips) fails only the next statement
 * written to it, the way the driver crashes; only a fixed driver closes that window.
 *
 * @example
 * await withReservedConnection(sql, (conn) => Promise.all([conn.unsafe('begin'), conn.unsafe(statement), conn.unsafe('commit')]));
 */
export async function withReservedConnection<T>(sql: Sql, work: (conn: postgres.ReservedSql) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  try {
    const result = await work(conn);
    conn.release();
    return result;
  } catch (error) {
    if (isConnectionLost(error)) throw error;
    const rolledBack = await conn.unsafe('rollback').then(
      () => true,
      (rollbackError: unknown) => !isConnectionLost(rollbackError),
    );
    if (rolledBack) conn.release();
    throw error;
  }
}
