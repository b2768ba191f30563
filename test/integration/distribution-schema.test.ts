import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { distributionFindings } from '../support/distribution-findings.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The scale-out path (issue 19): the migrated schema could be sharded by case (Citus, distribution column `case_id`).
 * Every table is classified in `db/schema/distribution.ts`; every case-owned table holds its case, NOT NULL, in its
 * primary key and every unique constraint and index; a foreign key to a case-owned table holds the case on both sides.
 */
let db: TestDatabase;
let sql: postgres.Sql;
beforeAll(async () => {
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  await db?.drop();
});

it('finds every table classified and every case-owned one keyed on its case', async () => {
  expect(await distributionFindings(sql)).toEqual([]);
});

it('finds a new table until it is classified, a case-owned key or reference without the case, and ids found by no index', async () => {
  await sql.begin(async (tx) => {
    await tx`create table scratch_parts (id uuid primary key)`;
    await tx`create unique index tasks_key_idx on tasks (key)`;
    await tx`alter table opinions drop constraint opinions_id_case_id_pk, add primary key (case_id, id)`;
    await tx`create table scratch_reads (notification_id uuid, case_id uuid, foreign key (notification_id, case_id) references notifications (id, case_id))`;
    expect(await distributionFindings(tx as unknown as postgres.Sql)).toEqual([
      'scratch_parts: not classified in db/schema/distribution.ts',
      'scratch_reads: not classified in db/schema/distribution.ts',
      'opinions: no index led by id (its rows are found by id alone)',
      'tasks: unique index tasks_key_idx (key) without case_id',
      'scratch_reads: foreign key scratch_reads_notification_id_case_id_fkey to notifications without the case on both sides',
    ]);
    throw new Rollback();
  }).catch((error: unknown) => {
    if (!(error instanceof Rollback)) throw error;
  });
  expect(await distributionFindings(sql)).toEqual([]);
});

class Rollback extends Error {}
