import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { calendarYearChecksum } from '../../db/calendar-import.js';
import { chineseDaysYears } from '../../engine/time/china-calendar.js';
import { migratedUpTo, type MigrationDatabase } from '../support/migration-database.js';

/**
 * Migration 0009 moves the days kept merged on a calendar row into one row per year. Run on a database
 * migrated to 0008 holding the `cn` row as installs before it wrote it (weekday holidays and weekend
 * make-up days of 2024–2026 from chinese-days).
 */
let db: MigrationDatabase;
let sql: MigrationDatabase['sql'];

beforeAll(async () => {
  db = await migratedUpTo(inject('databaseUrl'), '0009');
  sql = db.sql;
});
afterAll(() => db?.drop());

it('moves the days of the calendar row into years, with the checksum the application computes', async () => {
  const years = chineseDaysYears(2024, 2026);
  const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  const holidays = years.flatMap((y) => y.holidays).filter((d) => !weekend(d));
  const makeUp = years.flatMap((y) => y.makeUpWorkdays);
  await sql`insert into calendars (code, name, utc_offset_minutes, holidays, make_up_workdays) values ('cn', '中国大陆 Mainland China', 480, ${holidays}, ${makeUp})`;

  await db.apply('0009');

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
