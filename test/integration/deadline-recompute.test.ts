import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoActor } from '../../apps/demo-users.js';
import { importCalendarYear } from '../../db/calendar-import.js';
import { installCalendar } from '../../db/reference-data.js';
import { chineseDaysYears } from '../../engine/time/china-calendar.js';
import type { Logger } from '../../platform/logger.js';
import { DeadlineRecompute } from '../../workers/deadline-recompute.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION } from '../support/case-driver.js';
import { beijing } from '../unit/support/calendar.js';
import { FICTIONAL_2027, TEST_CALENDAR_BASE } from '../unit/support/fictional-calendar-year.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';

/**
 * Done when (issue 10): a case started today shows its 2027 due dates as provisional until 2027 is imported,
 * and exact after, with the change audited. No 2027 arrangement exists, so the import is a clearly fictional
 * one into a test calendar (`FICTIONAL_2027`: the statutory days plus Monday 4 January off), never into `cn`.
 */

const ITEM = 'deadline-recompute';
const logged: { event: string; fields: unknown }[] = [];
const logger: Logger = { log: (_level, event, fields) => void logged.push({ event, fields }) };

let f: ApiFixture;
let walk: DeadlineRecompute;
let caseId: string;

beforeAll(async () => {
  f = await createApiFixture();
  await installCalendar(f.sql, { ...TEST_CALENDAR_BASE, name: 'Test calendar: the package to 2026, fictional 2027 (tests only)' }, chineseDaysYears(2025, 2026));
  await f.sql`insert into service_items (code, name, legal_basis, lead_department, legal_limit_days, committed_limit_days, definition_key, definition_version, calendar_code)
    values (${ITEM}, 'Food licence on the test calendar', 'test', 'market', 20, 20, 'food-business-licence', ${foodBusinessLicence.version}, ${TEST_CALENDAR_BASE.code})`;
  walk = new DeadlineRecompute({ sql: f.sql, engine: f.engine, logger, batchSize: 2 });
  f.clock.set(beijing('2026-12-14T09:00'));
  ({ caseId } = await f.engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: ITEM }));
});
afterAll(() => f.close());

const readCase = async () => (await f.as('supervisor').get(`/api/cases/${caseId}`)).body;

describe('deadlines counted past the horizon, then recounted after an import', () => {
  it('shows the 2027 case deadline as provisional, skipping New Year’s Day on the estimate, and says why', async () => {
    const shown = await readCase();

    // 20 working days from receipt on Monday 14 December: 1 January (estimated) skipped, due Tuesday 12 January.
    expect(shown.due).toMatchObject({ at: beijing('2027-01-13T00:00').toISOString(), date: '2027-01-12', provisional: true });
    expect(shown.dueAt).toBe(shown.due.at);
    expect(shown.due.because).toContain("past the calendar's horizon 2026-12-31 statutory holidays are estimated — provisional");
    expect(shown.due.derivation).toMatchObject({ calendarCode: 'test-cn', workingDays: 20, receivedOn: '2026-12-14', rule: { cutOffLocalTime: '17:00' } });
    const [acceptance] = shown.tasks;
    expect(acceptance.due).toMatchObject({ date: '2026-12-15', provisional: false });
  });

  it('finds nothing to recount while every deadline is counted on the current data', async () => {
    expect(await walk.pass()).toEqual({ cases: 0, failed: 0 });
  });

  it('after the import, moves the case deadline and its timer, audits old and new, and is exact', async () => {
    const before = await readCase();
    await importCalendarYear(f.sql, { calendarCode: TEST_CALENDAR_BASE.code, ...FICTIONAL_2027 }, demoActor('admin'), f.clock.now());
    f.clock.advance({ minutes: 1 }); // past the catalogue's 30 s cache

    expect(await walk.pass()).toEqual({ cases: 1, failed: 0 });

    const after = await readCase();
    // With 4 January off the 20th working day is Wednesday 13 January.
    expect(after.due).toMatchObject({ at: beijing('2027-01-14T00:00').toISOString(), date: '2027-01-13', provisional: false });
    expect(after.due.because).toContain('within the calendar');
    expect(after.version).toBe(before.version);
    const [timer] = await f.sql`select due_at, due_derivation from timers where case_id = ${caseId} and kind = 'case.deadline'`;
    expect(new Date(String(timer?.['due_at']))).toEqual(beijing('2027-01-14T00:00'));
    expect(timer?.['due_derivation']).toMatchObject({ dueDate: '2027-01-13', provisional: false });
    // The acceptance task's deadline did not move; it is now counted on the new data too.
    expect(after.tasks[0].due).toMatchObject({ date: '2026-12-15', provisional: false, derivation: { calendarVersion: after.due.derivation.calendarVersion } });

    const event = after.timeline.at(-1);
    expect(event).toMatchObject({ type: 'deadline.recomputed', actorId: 'system' });
    expect(event.data.deadlines).toContainEqual({
      what: 'case',
      id: caseId,
      old: { dueAt: beijing('2027-01-13T00:00').toISOString(), dueDate: '2027-01-12', provisional: true },
      new: { dueAt: beijing('2027-01-14T00:00').toISOString(), dueDate: '2027-01-13', provisional: false },
      moved: true,
      reason: `calendar test-cn data ${before.due.derivation.calendarVersion} → ${after.due.derivation.calendarVersion}`,
    });
    expect((await f.as('supervisor').get(`/api/cases/${caseId}/audit/verification`)).body).toMatchObject({ ok: true });
  });

  it('finds nothing more to recount once every deadline is on the imported data', async () => {
    expect(await walk.pass()).toEqual({ cases: 0, failed: 0 });
    expect(logged.filter((l) => l.event.includes('failed'))).toEqual([]);
  });
});
