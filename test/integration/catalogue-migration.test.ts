import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { migratedUpTo, type MigrationDatabase } from '../support/migration-database.js';

/**
 * Migration 0027 versions the catalogue on a database that already holds items, definitions and cases: each item
 * becomes its published version 1 (installed, by nobody), pinned to its definition's latest version, and each case
 * started under it. A published version is never changed from then on. Run on a database migrated to 0026.
 */
let db: MigrationDatabase;
let sql: MigrationDatabase['sql'];

beforeAll(async () => {
  db = await migratedUpTo(inject('databaseUrl'), '0027');
  sql = db.sql;
});
afterAll(() => db?.drop());

it('makes every item its published version 1 on its latest definition, and every case started under it', async () => {
  await sql`insert into departments (code, name) values ('housing', 'Housing')`;
  await sql`insert into calendars (code, name, utc_offset_minutes) values ('cn', 'China', 480)`;
  for (const version of [1, 2]) {
    await sql`insert into process_definitions (key, version, title, machine, checksum) values ('permit', ${version}, 'Permit', '{}', ${`c${version}`})`;
  }
  await sql`insert into service_items (code, name, legal_basis, lead_department, legal_limit_days, committed_limit_days, definition_key, calendar_code)
    values ('permit', 'Permit', '《某法》', 'housing', 20, 10, 'permit', 'cn')`;
  await sql`insert into cases (id, number, service_item_code, definition_key, definition_version, lead_department, intake_department, applicant, status,
      state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at)
    values (gen_random_uuid(), '2026-000001', 'permit', 'permit', 1, 'housing', 'window', '{"name":"申请人","idNumber":"110101199001011234"}', 'running',
      'acceptance', '{}', 1, 1, 'head', 'cn', now(), now(), now())`;

  await db.apply('0027');

  expect(await sql`select version, definition_version from service_items`).toEqual([{ version: 1, definition_version: 2 }]);
  const [v1] = await sql`select status, published_by, content from service_item_versions where code = 'permit' and version = 1`;
  expect(v1).toMatchObject({ status: 'published', published_by: null, content: { name: 'Permit', legalLimitDays: 20, committedLimitDays: 10, definitionVersion: 2, materials: [] } });
  expect(await sql`select service_item_version from cases`).toEqual([{ service_item_version: 1 }]);
  await expect(sql`update service_item_versions set content = '{}'`).rejects.toThrow(/published/);
  await expect(sql`delete from service_item_versions`).rejects.toThrow(/published/);
});
