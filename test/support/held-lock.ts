import type { Sql } from '../../db/connection.js';
import { waitFor } from '../integration/workers/worker-test-kit.js';

/**
 * A lock held by a transaction of the test, to hold commands in flight at a point of its choosing: they queue behind
 * it (PostgreSQL serves the waiters on a row in turn), and go on when the test lets go.
 *
 * @example
 * const held = await holdLock(f.sql, (tx) => tx`select id from cases where id = ${caseId} for update`);
 * const answer = post(api, path, body); // waits on the case row
 * await held.waiters(1);
 * await held.release();
 */
export interface HeldLock {
  /** Resolves once `count` backends of the database wait on a lock. */
  waiters(count: number): Promise<void>;
  /** Ends the transaction: the waiters go on. */
  release(): Promise<void>;
}

/** Begins a transaction on `sql` that takes `lock` (a statement such as `select … for update`) and keeps it. */
export async function holdLock(sql: Sql, lock: (tx: Sql) => Promise<unknown>): Promise<HeldLock> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let taken!: () => void;
  const locked = new Promise<void>((resolve) => (taken = resolve));
  const transaction = sql.begin(async (tx) => {
    await lock(tx as unknown as Sql);
    taken();
    await released;
  });
  await Promise.race([locked, transaction]);
  const waiting = async () => Number((await sql`select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)[0]?.['count']);
  return {
    waiters: async (count) => void (await waitFor(`${count} backends waiting on a lock`, async () => (await waiting()) === count)),
    release: async () => {
      release();
      await transaction;
    },
  };
}
