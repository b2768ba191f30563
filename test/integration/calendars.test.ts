import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarYearChecksum } from '../../db/calendar-import.js';
import { installCalendar } from '../../db/reference-data.js';
import { CHINESE_DAYS_SOURCE } from '../../engine/time/china-calendar.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { tongban } from '../support/cli-run.js';

/** A calendar that exists only in these tests, with clearly fictional days (before 2025: no statutory check). */
const TEST_CALENDAR = 'test-ruritania';
const FICTIONAL_2019 = { year: 2019, holidays: ['2019-03-05'], makeUpWorkdays: [], source: 'fictional test data, 2019' };
const FICTIONAL_2020 = { year: 2020, holidays: ['2020-03-05', '2020-03-06'], makeUpWorkdays: ['2020-03-07'], source: 'fictional test data, 2020' };

/** The State Council's 2026 arrangement (国办发明电〔2025〕7号, notice of 2025-11-04), as LEGAL-TIME.md has it. */
const days = (from: string, to: number) => Array.from({ length: to - Number(from.slice(8)) + 1 }, (_, i) => `${from.slice(0, 8)}${String(Number(from.slice(8)) + i).padStart(2, '0')}`);
const NOTICE_2026 = {
  year: 2026,
  holidays: [...days('2026-01-01', 3), ...days('2026-02-15', 23), ...days('2026-04-04', 6), ...days('2026-05-01', 5), ...days('2026-06-19', 21), ...days('2026-09-25', 27), ...days('2026-10-01', 7)],
  makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  source: '国办发明电〔2025〕7号',
};

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await installCalendar(f.sql, { code: TEST_CALENDAR, name: 'Ruritania (fictional, tests only)', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480 }, [FICTIONAL_2019]);
});
afterAll(() => f.close());

/** Every stored year and the security log's length: what a refused import must leave as it was. */
async function footprint() {
  const years = await f.sql`select calendar_code, year, holidays, make_up_workdays, source, checksum, imported_at::text, imported_by from calendar_years order by 1, 2`;
  const [log] = await f.sql`select count(*)::int as n from security_events`;
  return { years, securityEvents: log?.['n'] };
}

const importYear = (code: string, body: unknown, user = 'admin', headers: Record<string, string> = {}) => f.as(user).post(`/api/calendars/${code}/years`, body, headers);
const explain = (code: string, query: string) => f.as('window.clerk').get(`/api/calendars/${code}/due-dates?${query}`);

describe('the calendar catalogue', () => {
  it('lists the calendars with their horizon, version and the source of each year', async () => {
    const res = await f.as('fire.handler').get('/api/calendars');
    expect(res.status).toBe(200);
    const cn = res.body.items.find((c: { code: string }) => c.code === 'cn');
    expect(cn).toMatchObject({ timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480, weekendDays: [0, 6], parentCode: null, since: '2024-01-01', horizon: '2026-12-31', source: CHINESE_DAYS_SOURCE });
    expect(cn.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cn.years.map((y: { year: number; source: string; importedBy: string | null }) => [y.year, y.source, y.importedBy])).toEqual([
      [2024, CHINESE_DAYS_SOURCE, null],
      [2025, CHINESE_DAYS_SOURCE, null],
      [2026, CHINESE_DAYS_SOURCE, null],
    ]);
  });

  it('shows one calendar with the days of each year; an unknown one is 404', async () => {
    const res = await f.as('supervisor').get('/api/calendars/cn');
    expect(res.status).toBe(200);
    const y2026 = res.body.years.find((y: { year: number }) => y.year === 2026);
    expect(y2026.holidays).toContain('2026-10-07');
    expect(y2026.makeUpWorkdays).toEqual(NOTICE_2026.makeUpWorkdays);
    expect(y2026.checksum).toBe(calendarYearChecksum('cn', y2026));
    const missing = await f.as('supervisor').get('/api/calendars/atlantis');
    expect([missing.status, missing.body.code]).toEqual([404, 'TB-CALENDAR-404']);
  });
});

describe('importing a year', () => {
  it('raises the horizon, and is on the security log with the checksum of its data, once per Idempotency-Key', async () => {
    // Counted on the 2019 data (horizon 2019-12-31): nothing in 2020 can be counted yet. Now cached.
    const before2020 = await explain(TEST_CALENDAR, 'start=2020-03-04T10:00%2B08:00&workingDays=1');
    expect([before2020.status, before2020.body.code]).toEqual([422, 'TB-TIME-LIMIT-INVALID']);

    const headers = { 'idempotency-key': 'calendar-import-2020' };
    const res = await importYear(TEST_CALENDAR, FICTIONAL_2020, 'admin', headers);
    expect(res.status).toBe(201);
    const checksum = calendarYearChecksum(TEST_CALENDAR, FICTIONAL_2020);
    expect(res.body).toMatchObject({ calendarCode: TEST_CALENDAR, year: 2020, checksum, replacedChecksum: null, horizon: '2020-12-31' });
    const shown = await f.as('designer').get(`/api/calendars/${TEST_CALENDAR}`);
    expect([shown.body.since, shown.body.horizon, shown.body.version]).toEqual(['2019-01-01', '2020-12-31', res.body.calendarVersion]);
    expect(shown.body.years.at(-1)).toMatchObject({ year: 2020, source: FICTIONAL_2020.source, importedBy: 'admin', makeUpWorkdays: ['2020-03-07'] });
    // The import dropped this process's cached calendar (the fixture's clock stands still: no expiry would).
    const after2020 = await explain(TEST_CALENDAR, 'start=2020-03-04T10:00%2B08:00&workingDays=1');
    expect([after2020.body.dueDate, after2020.body.makeUpDaysUsed, after2020.body.calendarVersion]).toEqual(['2020-03-07', ['2020-03-07'], res.body.calendarVersion]);

    const [event] = await f.sql`select type, actor_id, data from security_events order by seq desc limit 1`;
    expect(event).toMatchObject({ type: 'calendar.year-imported', actor_id: 'admin', data: { calendarCode: TEST_CALENDAR, year: 2020, checksum, horizon: '2020-12-31' } });
    expect((await f.as('admin').get('/api/security-log/verification')).body.ok).toBe(true);

    const before = await footprint();
    const again = await importYear(TEST_CALENDAR, FICTIONAL_2020, 'admin', headers);
    expect([again.status, again.body]).toEqual([201, res.body]);
    expect(await footprint()).toEqual(before);
  });

  it("replaces chinese-days' 2026 with the notice only when asked, and the package never overwrites it again", async () => {
    const refused = await importYear('cn', NOTICE_2026);
    expect([refused.status, refused.body.code, refused.body.errors]).toEqual([422, 'TB-CALENDAR-YEAR-INVALID', [{ path: 'year', message: expect.stringContaining('already final') }]]);

    const res = await importYear('cn', { ...NOTICE_2026, replace: true });
    expect(res.status).toBe(201);
    // The package follows the notice day for day: the same data, hence the same checksum, from another source.
    expect(res.body).toMatchObject({ year: 2026, checksum: calendarYearChecksum('cn', NOTICE_2026), replacedChecksum: calendarYearChecksum('cn', NOTICE_2026), horizon: '2026-12-31' });
    const { installReferenceData } = await import('../../apps/shipped-data.js');
    await installReferenceData(f.sql, f.catalog);
    const [row] = await f.sql`select source, imported_by from calendar_years where calendar_code = 'cn' and year = 2026`;
    expect(row).toEqual({ source: NOTICE_2026.source, imported_by: 'admin' });
  });

  const bad: [string, string, unknown, string, number, string, string?][] = [
    ['a date outside the year', TEST_CALENDAR, { ...FICTIONAL_2020, year: 2021, holidays: ['2020-12-31'] }, 'admin', 422, 'TB-CALENDAR-YEAR-INVALID', 'holidays.0'],
    ['a make-up day on a weekday', TEST_CALENDAR, { ...FICTIONAL_2020, year: 2021, holidays: [], makeUpWorkdays: ['2021-03-03'] }, 'admin', 422, 'TB-CALENDAR-YEAR-INVALID', 'makeUpWorkdays.0'],
    ['a day both off and working', TEST_CALENDAR, { ...FICTIONAL_2020, year: 2021, holidays: ['2021-03-06'], makeUpWorkdays: ['2021-03-06'] }, 'admin', 422, 'TB-CALENDAR-YEAR-INVALID', 'makeUpWorkdays.0'],
    ['a year the calendar has, without replace', TEST_CALENDAR, FICTIONAL_2019, 'admin', 422, 'TB-CALENDAR-YEAR-INVALID', 'year'],
    ['a year leaving a gap', TEST_CALENDAR, { ...FICTIONAL_2020, year: 2022, holidays: [], makeUpWorkdays: [] }, 'admin', 422, 'TB-CALENDAR-YEAR-INVALID', 'year'],
    ['an unknown calendar', 'atlantis', FICTIONAL_2020, 'admin', 404, 'TB-CALENDAR-404'],
    ['a body of the wrong shape', TEST_CALENDAR, { ...FICTIONAL_2020, holidays: '2020-03-05' }, 'admin', 400, 'TB-VALIDATION', 'holidays'],
    ['someone not an administrator', TEST_CALENDAR, { ...FICTIONAL_2020, year: 2021 }, 'supervisor', 403, 'TB-PERMISSION'],
  ];

  it.each(bad)('refuses %s and changes nothing', async (_, code, body, user, status, problemCode, path) => {
    const before = await footprint();
    const res = await importYear(code, body, user);
    expect([res.status, res.body.code], JSON.stringify(res.body)).toEqual([status, problemCode]);
    expect(res.contentType).toContain('application/problem+json');
    if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await footprint()).toEqual(before);
  });
});

describe('a regional calendar on the national one', () => {
  /** A fictional region extending `cn` (no route creates calendars yet: installed through db/). */
  const REGION = 'test-region';
  const REGION_2026 = { year: 2026, holidays: ['2026-03-03'], makeUpWorkdays: ['2026-10-04'], source: 'fictional regional notice, 2026' };

  beforeAll(() => installCalendar(f.sql, { code: REGION, name: 'A region (fictional, tests only)', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480, parentCode: 'cn' }, []));

  it("imports a year listing only the region's own days, and counts on both", async () => {
    const res = await importYear(REGION, REGION_2026);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ calendarCode: REGION, year: 2026, horizon: '2026-12-31' });
    // Tuesday 3 March is off in the region only; National Day is the nation's; Sunday 4 October is worked here.
    expect((await explain(REGION, 'start=2026-03-02T10:00%2B08:00&workingDays=1')).body.dueDate).toBe('2026-03-04');
    expect((await explain(REGION, 'start=2026-09-30T10:00%2B08:00&workingDays=1')).body.dueDate).toBe('2026-10-04');
  });

  it('refuses making a day the nation works a working day, and changes nothing', async () => {
    const before = await footprint();
    const res = await importYear(REGION, { ...REGION_2026, year: 2027, holidays: [], makeUpWorkdays: ['2027-01-04'], source: 'fictional' });
    expect([res.status, res.body.code, res.body.errors]).toEqual([422, 'TB-CALENDAR-YEAR-INVALID', [{ path: 'makeUpWorkdays.0', message: expect.stringContaining('working Monday on calendar cn') }]]);
    expect(await footprint()).toEqual(before);
  });
});

describe('the due-date explainer', () => {
  it('counts 5 working days from Monday 28 September 2026 over National Day to the make-up Saturday 10 October', async () => {
    const res = await explain('cn', 'start=2026-09-28T10:00%2B08:00&workingDays=5');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dueDate: '2026-10-10', due: '2026-10-10T16:00:00.000Z', provisional: false, horizon: '2026-12-31', receivedOn: '2026-09-28' });
    expect(res.body.counted).toEqual([
      { date: '2026-09-29', n: 1 },
      { date: '2026-09-30', n: 2 },
      { date: '2026-10-08', n: 3 },
      { date: '2026-10-09', n: 4 },
      { date: '2026-10-10', n: 5 },
    ]);
    expect(res.body.skipped).toEqual(days('2026-10-01', 7).map((date) => ({ date, reason: 'holiday' })));
    expect(res.body.makeUpDaysUsed).toEqual(['2026-10-10']);
    // The holiday by name, for "skipped: National Day (国庆节)" rather than seven dates.
    expect(res.body.holidays).toEqual([{ holidays: ['national-day'], dates: days('2026-10-01', 7), estimated: false }]);
  });

  it('receives after the 17:00 cut-off on the next working day, unless another cut-off is asked for', async () => {
    const late = await explain('cn', 'start=2026-09-28T17:30%2B08:00&workingDays=5');
    expect([late.body.receivedOn, late.body.dueDate, late.body.rule]).toEqual(['2026-09-29', '2026-10-12', { cutOffLocalTime: '17:00' }]);
    expect(late.body.skipped.at(-1)).toEqual({ date: '2026-10-11', reason: 'weekend' });
    const open = await explain('cn', 'start=2026-09-28T17:30%2B08:00&workingDays=5&cutOff=18:00');
    expect([open.body.receivedOn, open.body.dueDate]).toEqual(['2026-09-28', '2026-10-10']);
    // An unencoded + arrives as a space: it is read as the offset it was meant to be.
    const plain = await explain('cn', 'start=2026-09-28T10:00+08:00&workingDays=5');
    expect(plain.body.dueDate).toBe('2026-10-10');
  });

  it('answers past the horizon on the statutory estimate, provisionally', async () => {
    const res = await explain('cn', 'start=2026-12-28T10:00%2B08:00&workingDays=5');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dueDate: '2027-01-05', provisional: true, horizon: '2026-12-31' });
    expect(res.body.skipped).toContainEqual({ date: '2027-01-01', reason: 'statutory-holiday-estimate' });
    expect(res.body.holidays).toEqual([{ holidays: ['new-year'], dates: ['2027-01-01'], estimated: true }]);
  });

  const refused: [string, string, string, number, string][] = [
    ['no such calendar', 'atlantis', 'start=2026-09-28T10:00%2B08:00&workingDays=5', 404, 'TB-CALENDAR-404'],
    ['zero working days', 'cn', 'start=2026-09-28T10:00%2B08:00&workingDays=0', 400, 'TB-VALIDATION'],
    ['more than 3650 working days', 'cn', 'start=2026-09-28T10:00%2B08:00&workingDays=3651', 400, 'TB-VALIDATION'],
    ['an unparsable instant', 'cn', 'start=next%20monday&workingDays=5', 400, 'TB-VALIDATION'],
    ['an instant without its offset', 'cn', 'start=2026-09-28T10:00&workingDays=5', 400, 'TB-VALIDATION'],
    ['a date that does not exist', 'cn', 'start=2026-02-30T10:00%2B08:00&workingDays=5', 400, 'TB-VALIDATION'],
    ['a malformed cut-off', 'cn', 'start=2026-09-28T10:00%2B08:00&workingDays=5&cutOff=5pm', 400, 'TB-VALIDATION'],
    ['a start before the calendar’s data', 'cn', 'start=2023-06-01T10:00%2B08:00&workingDays=5', 422, 'TB-TIME-LIMIT-INVALID'],
  ];

  it.each(refused)('refuses %s', async (_, code, query, status, problemCode) => {
    const res = await explain(code, query);
    expect([res.status, res.body.code], JSON.stringify(res.body)).toEqual([status, problemCode]);
    expect(res.contentType).toContain('application/problem+json');
  });
});

/** `npm run tongban -- calendar import`, in this process, on the test database (or without one). */
const cli = (args: string[], databaseUrl: string | null = f.db.url) => tongban(['calendar', 'import', ...args], { env: databaseUrl ? { DATABASE_URL: databaseUrl } : {} });

/** Writes a file for the CLI to read (JSON unless given as text). */
const file = (name: string, content: unknown) => {
  const path = join(tmpdir(), `tongban-calendar-${name}-${process.pid}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('npm run tongban -- calendar import', () => {
  const FICTIONAL_2021 = { calendar: TEST_CALENDAR, year: 2021, holidays: ['2021-03-05'], makeUpWorkdays: [], source: 'fictional test data, 2021' };

  it('imports a file with the same checks and log as the API, as cli:<OS user>; the API shows it at once', async () => {
    const run = await cli([file('ok', FICTIONAL_2021)]);
    expect([run.code, run.stdout.trim().split('\n').length]).toEqual([0, 1]);
    expect(run.stdout).toContain(`${TEST_CALENDAR} 2021 imported`);
    expect(run.stdout).toContain('horizon 2021-12-31');
    const [event] = await f.sql`select type, actor_id, acting_for, data from security_events order by seq desc limit 1`;
    expect(event).toMatchObject({ type: 'calendar.year-imported', actor_id: expect.stringMatching(/^cli(:.+)?$/), acting_for: null, data: { checksum: calendarYearChecksum(TEST_CALENDAR, FICTIONAL_2021) } });
    expect((await f.as('admin').get(`/api/calendars/${TEST_CALENDAR}`)).body.horizon).toBe('2021-12-31');
  });

  it.each([
    ['a year it refuses', 1, 'makeUpWorkdays[0]', () => [file('bad', { ...FICTIONAL_2021, year: 2022, makeUpWorkdays: ['2022-03-02'] })]],
    ['a file that is not JSON', 1, 'is not JSON', () => [file('text', 'year: 2022')]],
    ['a field of the wrong shape', 1, 'year:', () => [file('shape', { ...FICTIONAL_2021, year: '2022' })]],
    ['an unknown calendar', 1, 'Calendar atlantis does not exist', () => [file('unknown', { ...FICTIONAL_2021, calendar: 'atlantis' })]],
    ['no file', 2, 'usage', () => []],
    ['a missing file', 2, 'cannot read', () => ['/nonexistent/year.json']],
  ] as const)('refuses %s with one line and exit %i, changing nothing', async (_, code, says, args) => {
    const before = await footprint();
    const run = await cli([...args()]);
    expect([run.code, run.stderr.trim().split('\n').length, run.stdout]).toEqual([code, 1, '']);
    expect(run.stderr).toContain(says);
    expect(await footprint()).toEqual(before);
  });

  it('exits 2 when DATABASE_URL is not set', async () => {
    const run = await cli([file('nodb', FICTIONAL_2021)], null);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('DATABASE_URL is not set')]);
  });
});
