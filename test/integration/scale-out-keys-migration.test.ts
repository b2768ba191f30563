import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { migratedUpTo, type MigrationDatabase } from '../support/migration-database.js';

/**
 * Migration 0029 keys every case-owned table on its case (db/schema/distribution.ts). Run on a database migrated to
 * 0028 that holds a case's parts: its read receipts take their notice's case, and the licence numbers issued so far
 * are claimed, so that none can be issued again.
 */
let db: MigrationDatabase;
let sql: MigrationDatabase['sql'];
beforeAll(async () => {
  db = await migratedUpTo(inject('databaseUrl'), '0029');
  sql = db.sql;
});
afterAll(() => db?.drop());

const CASE = '00000000-0000-4000-8000-000000000001';
const OTHER_CASE = '00000000-0000-4000-8000-000000000002';
const NOTICE = '00000000-0000-4000-8000-0000000000a1';

it('gives read receipts their notice’s case and claims the licence numbers already issued', async () => {
  await sql`insert into notifications (id, case_id, department_code, audience, template, data, created_at)
    values (${NOTICE}, ${CASE}, 'fire', 'department', 'task.opened', '{}', now())`;
  await sql`insert into notification_reads (notification_id, user_id, read_at) values (${NOTICE}, 'fire.handler', now()), (${NOTICE}, 'fire.lead', now())`;
  await sql`insert into licences (id, case_id, number, licence_type, title, holder, issued_at)
    values (gen_random_uuid(), ${CASE}, 'CP-20261130-1A2B3C4D', 'cp', '施工许可证', '{}', now())`;

  await db.apply('0029');

  expect(await sql`select user_id, case_id::text from notification_reads order by user_id`).toEqual([
    { user_id: 'fire.handler', case_id: CASE },
    { user_id: 'fire.lead', case_id: CASE },
  ]);
  expect(await sql`select number, case_id::text from licence_numbers`).toEqual([{ number: 'CP-20261130-1A2B3C4D', case_id: CASE }]);
  await expect(sql`insert into licence_numbers (number, case_id) values ('CP-20261130-1A2B3C4D', ${OTHER_CASE})`).rejects.toThrow(/licence_numbers_pkey/);
  // A receipt names its notice with the notice's case: another case's is refused.
  await expect(sql`insert into notification_reads (notification_id, case_id, user_id, read_at) values (${NOTICE}, ${OTHER_CASE}, 'fire.clerk', now())`).rejects.toThrow(
    /notification_reads_notification_fk/,
  );
});
