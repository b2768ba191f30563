import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { migratedUpTo, type MigrationDatabase } from '../support/migration-database.js';

/**
 * Migration 0022 gives every case a number (受理编号): the cases already there in the order they were received,
 * the year of each one's intake in Beijing time; then the sequence goes on after them for the cases inserted
 * next. Run on a database migrated to 0021 that holds cases.
 */
let db: MigrationDatabase;
let sql: MigrationDatabase['sql'];

beforeAll(async () => {
  db = await migratedUpTo(inject('databaseUrl'), '0022');
  sql = db.sql;
});
afterAll(() => db?.drop());

/** A case row received at `createdAt` (only what the table requires). */
const insertCase = (createdAt: string) => sql`insert into cases (id, service_item_code, definition_key, definition_version, lead_department,
    intake_department, applicant, status, state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at)
  values (gen_random_uuid(), 'construction-permit', 'construction-permit', 1, 'housing', 'window', '{"name":"申请人","idNumber":"110101199001011234"}',
    'running', 'acceptance', '{}', 1, 1, 'head', 'cn', ${createdAt}::timestamptz + interval '10 days', ${createdAt}::timestamptz, ${createdAt}::timestamptz)
  returning id::text`;

it('numbers the cases already there in the order they were received, then the new ones after them', async () => {
  // Inserted out of order; the second is 2025 in UTC but already 2026 in Beijing.
  const [late] = await insertCase('2026-03-02T02:00:00Z');
  const [newYear] = await insertCase('2025-12-31T17:00:00Z');
  const [early] = await insertCase('2025-06-30T02:00:00Z');

  await db.apply('0022');

  const numbers = async () => Object.fromEntries((await sql`select id::text, number from cases`).map((r) => [r['id'], r['number']]));
  expect(await numbers()).toEqual({ [early!['id']]: '2025-000001', [newYear!['id']]: '2026-000002', [late!['id']]: '2026-000003' });
  const [next] = await insertCase('2026-11-30T01:00:00Z');
  expect((await numbers())[next!['id']]).toBe('2026-000004');
  // The number is the database's to give: none is left without one, and none is given twice.
  await expect(sql`update cases set number = null where id = ${next!['id']}`).rejects.toThrow(/null value/);
  await expect(sql`update cases set number = '2026-000003' where id = ${next!['id']}`).rejects.toThrow(/cases_number_idx/);
  // Past a million the number grows a digit rather than wrapping.
  await sql`select setval('case_numbers', 1234566)`;
  const [big] = await insertCase('2026-11-30T02:00:00Z');
  expect((await numbers())[big!['id']]).toBe('2026-1234567');
});
