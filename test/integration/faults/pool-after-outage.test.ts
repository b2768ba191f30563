import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../../db/connection.js';
import { databaseUnavailableCode } from '../../../db/database-unavailable.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-services.js';

/**
 * The pool while PostgreSQL is down a few seconds and requests keep coming (clients retrying their 503s), and after.
 * Each refused connection made postgres.js's default backoff longer (3^n / 100 s, up to 20 s, counted for the whole
 * pool), and a query waits for its connection's backoff before the connection is tried again: the requests of the
 * outage's third second waited 5 to 30 s for their refusal, and so did requests after the server was back (a read
 * of the restart scenario had no answer within 20 s). The bounds below are far above what a working pool takes
 * (tens of milliseconds) and far below what that backoff took.
 */
let pg: PrivatePostgres;
let sql: Sql;
beforeAll(async () => {
  pg = await startPrivatePostgres();
  sql = connect(pg.url, { max: 4 });
}, 60_000);
afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await pg?.stop();
});

/** What a query answered (null: served), and how long it took; given up after 5 s, as a client would. */
async function timed(): Promise<{ code: string | null; ms: number }> {
  const sent = performance.now();
  const answered = sql`select 1`.then(() => null, (error: unknown) => databaseUnavailableCode(error) ?? String(error));
  const code = await Promise.race([answered, sleep(5_000).then(() => 'no answer within 5 s')]);
  return { code, ms: performance.now() - sent };
}

describe('the pool through an outage', () => {
  it('refuses fast while the server is down, and serves as soon as it is back', async () => {
    await sql`select 1`;
    let outage: { code: string | null; ms: number }[] = [];
    await pg.restart(async () => {
      // Three seconds of requests, one every 100 ms, as clients retrying 503s.
      const attempts: Promise<{ code: string | null; ms: number }>[] = [];
      for (let i = 0; i < 30; i += 1) {
        attempts.push(timed());
        await sleep(100);
      }
      outage = await Promise.all(attempts);
    });
    expect(outage.filter((a) => a.code !== 'ECONNREFUSED')).toEqual([]);
    expect(outage.filter((a) => a.ms > 2_000)).toEqual([]);

    const back = performance.now();
    const after: (string | null)[] = [];
    for (let answer = await timed(); answer.code !== null && after.length < 20; answer = await timed()) {
      after.push(answer.code);
      await sleep(50);
    }
    expect(performance.now() - back, `failed first: ${after.join(', ')}`).toBeLessThan(2_000);
  }, 60_000);
});
