import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, withReservedConnection, type Sql } from '../../db/connection.js';
import { isConnectionLost } from '../../db/database-unavailable.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * A connection lost in the middle of a transaction (its backend terminated, as a restart or a failover does to every
 * one): postgres.js 3.4.9 kills the process on the next write to it, from a `setImmediate` no `catch` reaches
 * (porsager/postgres#1208). `withReservedConnection` neither writes to it (no rollback) nor gives it back; the pool
 * reconnects it by itself.
 */
let db: TestDatabase;
let sql: Sql;
let admin: Sql;
beforeAll(async () => {
  db = await createTestDatabase();
  // One connection: the pool can only go on serving if the lost one comes back to it, reconnected.
  sql = connect(db.url, { max: 1 });
  admin = connect(db.url, { max: 1 });
});
afterAll(async () => {
  await Promise.all([sql.end(), admin.end()]);
  await db.drop();
});

describe('withReservedConnection', () => {
  it('fails the transaction whose connection is lost, and the pool serves the next query on a new one', async () => {
    const pids: number[] = [];
    const transaction = withReservedConnection(sql, async (conn) => {
      const [row] = await Promise.all([conn`select pg_backend_pid() as pid`, conn`begin`]);
      pids.push(row[0]!['pid'] as number);
      await admin`select pg_terminate_backend(${pids[0]!})`;
      await conn`select 1`;
    });
    const failure = await transaction.then(() => null, (error: unknown) => error);
    expect(isConnectionLost(failure), String(failure)).toBe(true);

    // postgres.js 3.4.9 hands the lost session's last error (its 57P01) to the first query of the reconnected
    // connection when it arrived under a query: that one fails too, the next is served.
    const backendPid = () => sql`select pg_backend_pid() as pid`;
    const [again] = await backendPid().catch(backendPid);
    expect(again!['pid']).not.toBe(pids[0]);
  });

  it('sql.begin (on it, as every pool `connect` makes has): a transaction whose connection is lost fails, and the pool serves on', async () => {
    const failure = await sql
      .begin(async (tx) => {
        const [row] = await tx`select pg_backend_pid() as pid`;
        await admin`select pg_terminate_backend(${row!['pid'] as number})`;
        await tx`select 1`;
      })
      .then(() => null, (error: unknown) => error);
    expect(isConnectionLost(failure), String(failure)).toBe(true);
    const served = () => sql`select 1 as one`;
    expect(await served().catch(served)).toEqual([{ one: 1 }]);
  });

  it('sql.begin: a statement that failed unawaited fails the commit, which PostgreSQL answered with ROLLBACK', async () => {
    await expect(sql.begin(async (tx) => {
      void tx`select 1 / 0`.catch(() => {});
      await tx`select 1`.catch(() => {});
    })).rejects.toThrow('rolled back at its commit');
  });

  it('rolls back and gives back a connection that lives on after a refusal', async () => {
    await expect(withReservedConnection(sql, async (conn) => {
      await Promise.all([conn`begin`, conn`create temporary table scratch (n int)`]);
      await conn`select 1 / 0`;
    })).rejects.toMatchObject({ code: '22012' });
    // Rolled back (the table never was), and the one connection is back in the pool.
    expect(await sql`select to_regclass('pg_temp.scratch') as scratch`).toEqual([{ scratch: null }]);
  });
});
