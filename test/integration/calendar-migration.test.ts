import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { calendarYearChecksum } from '../../db/calendar-import.js';
import { chineseDaysYears } from '../../engine/time/china-calendar.js';

/**
 * Migration 0009 moves the days kept merged on a calendar row into one row per year. Run on a database
 * migrated to 0008 holding the `cn` row as installs before it wrote it (weekday holidays and weekend
 * make-up days of 2024–2026 from chinese-days).
 */
const MIGRATIONS = new URL('../../db/migrations/', import.meta.url);
const statements = (file: string) => readFileSync(new URL(file, MIGRATIONS), 'utf8').split('--> statement-breakpoint');
const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort();

const name = `t_${randomUUID().replaceAll('-', '')}`;
const adminUrl = inject('databaseUrl');
let admin: postgres.Sql;
let sql: postgres.Sql;

beforeAll(async () => {
  admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  sql = postgres(url.href, { max: 1, onnotice: () => {} });
  for (const file of files.filter((f) => f < '0009')) for (const statement of statements(file)) await sql.unsafe(statement);
});
afterAll(async () => {
  await sql?.end();
  await admin?.unsafe(`drop database if exists ${name} with (force)`);
  await admin?.end();
});

it('moves the days of the calendar row into years, with the checksum the application computes', async () => {
  const years = chineseDaysYears(2024, 2026);
  const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  const holidays = years.flatMap((y) => y.holidays).filter((d) => !weekend(d));
  const makeUp = years.flatMap((y) => y.makeUpWorkdays);
  await sql`insert into calendars (code, name, utc_offset_minutes, holidays, make_up_workdays) values ('cn', '中国大陆 Mainland China', 480, ${holidays}, ${makeUp})`;

  for (const statement of statements(files.find((f) => f.startsWith('0009'))!)) await sql.unsafe(statement);

  const [calendar] = await sql`select * from calendars`;
  expect(calendar).toEqual({ code: 'cn', name: '中国大陆 Mainland China', time_zone: 'Asia/Shanghai', utc_offset_minutes: 480, weekend_days: [0, 6], parent_code: null });
  const rows = await sql`select year, holidays, make_up_workdays, source, checksum, imported_by from calendar_years where calendar_code = 'cn' order by year`;
  expect(rows.map((r) => r['year'])).toEqual([2024, 2025, 2026]);
  for (const row of rows) {
    const year = { year: row['year'] as number, holidays: row['holidays'] as string[], makeUpWorkdays: row['make_up_workdays'] as string[] };
    expect(year.holidays).toEqual(holidays.filter((d) => d.startsWith(`${year.year}-`)));
    expect(year.makeUpWorkdays).toEqual(makeUp.filter((d) => d.startsWith(`${year.year}-`)));
    expect(row['checksum']).toBe(calendarYearChecksum('cn', year));
    // Installed from the package, not imported: the next start refreshes them with the package's version.
    expect(row['imported_by']).toBeNull();
  }
});
