import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCalendar } from '../../../db/reference-data.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 13, the calendar page in the browser: the due-date explainer tells the derivation in both languages,
 * the calendars show their horizon, and an administrator imports a year — a bad one is refused and changes
 * nothing, a good one raises the horizon.
 */

let w: WorkspaceBrowser;

/** A calendar of these tests only, with clearly fictional days (years before 2025 have no statutory check). */
const TEST_CALENDAR = 'test-ruritania';
const FICTIONAL_2019 = { year: 2019, holidays: ['2019-03-05'], makeUpWorkdays: [], source: 'fictional test data, 2019' };

beforeAll(async () => {
  w = await openWorkspace({ demoCases: false });
  await installCalendar(w.api.sql, { code: TEST_CALENDAR, name: 'Ruritania (fictional)', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480 }, [FICTIONAL_2019]);
}, 60_000);

afterAll(async () => {
  await w?.close();
});

/** Asks the explainer on the page: the national calendar (chosen by default), a start in Beijing time, N working days. */
async function explain(page: Page, start: string, workingDays: number): Promise<string> {
  await page.locator('#explainer-start').fill(start);
  await page.locator('#explainer-start').press('Enter');
  await page.locator('#explainer-days').fill(String(workingDays));
  await page.locator('[data-test="explain"]').click();
  const answer = page.locator('[data-test="explanation"]');
  await answer.waitFor();
  return answer.innerText();
}

/** What a refused import must leave as it was: every stored year and the security log's length. */
async function footprint() {
  const years = await w.api.sql`select calendar_code, year, holidays, make_up_workdays, source, checksum, imported_by from calendar_years order by 1, 2`;
  const [log] = await w.api.sql`select count(*)::int as n from security_events`;
  return { years, securityEvents: log?.['n'] };
}

describe('the due-date explainer', () => {
  it('tells a handler the due date and how it came about, National Day by name, in Chinese', async () => {
    const page = await w.open('fire.handler', '/calendars');
    await expect.poll(() => page.locator('nav a', { hasText: '工作日历' }).count()).toBe(1);
    await page.locator('[data-test="calendars"] .el-table__body tr').first().waitFor();
    const text = await explain(page, '2026-09-28 10:00', 5);
    expect(text).toContain('到期日：2026/10/10（当日 24 时止）');
    expect(text).toContain('自 2026/09/28 10:00 起 5 个工作日：收件日为 2026/09/28');
    expect(text).toContain('跳过：国庆节（2026/10/01 至 2026/10/07，共 7 天）。');
    expect(text).toContain('计入的调休上班日：2026/10/10。');
    // Day by day: the receipt, days 1–5, the seven days of the holiday.
    await page.locator('[data-test="explanation"] summary').click();
    const rows = await page.locator('[data-test="explanation"] tbody tr').allInnerTexts();
    expect(rows).toHaveLength(13);
    expect(rows[0]).toContain('收件日（第 0 日）');
    expect(rows.at(-1)).toContain('第 5 个工作日');
    await expectAccessible(page);
    await screenshot(page, 'calendars-explainer-zh-CN');
  });

  it('says the same in English, and why a receipt after the cut-off counts from the next working day', async () => {
    const page = await w.open('window.clerk', '/calendars', 'en');
    await page.locator('[data-test="calendars"] .el-table__body tr').first().waitFor();
    const text = await explain(page, '2026-09-28 17:30', 5);
    expect(text).toContain('Due on 10/12/2026 (at the end of that day)');
    expect(text).toContain('5 working days from 09/28/2026, 17:30: arriving at or after 17:00, or on a day off, it counts as received on 09/29/2026');
    expect(text).toContain('Skipped: National Day (10/01/2026 – 10/07/2026, 7 days); 1 weekend day.');
    await page.locator('[data-test="explanation"] summary').click();
    expect(await page.locator('[data-test="explanation"] tbody tr').first().innerText()).toContain('arrived after the cut-off: not counted');
    await expectAccessible(page);
    await screenshot(page, 'calendars-explainer-en');
  });

  it('marks a due date past the horizon provisional, the holidays there estimated', async () => {
    const page = await w.open('supervisor', '/calendars');
    await page.locator('[data-test="calendars"] .el-table__body tr').first().waitFor();
    const text = await explain(page, '2026-12-28 10:00', 5);
    expect(text).toContain('到期日：2027/01/05');
    expect(text).toContain('元旦（2027/01/01，共 1 天）（按法定节假日估算）');
    expect(await page.locator('[data-test="provisional"]').innerText()).toContain('暂定：2026/12/31 之后尚无官方放假安排');
  });

  it('checks the form before asking: no start, or a cut-off that is not HH:MM, is named and nothing is asked', async () => {
    const page = await w.open('fire.handler', '/calendars');
    await page.locator('[data-test="calendars"] .el-table__body tr').first().waitFor();
    await page.locator('#explainer-cut-off').fill('5pm');
    await page.locator('[data-test="explain"]').click();
    await expect.poll(() => page.getByText('请填写此项').count()).toBe(1);
    await expect.poll(() => page.getByText('请按 HH:MM 填写，如 17:00').count()).toBe(1);
    expect(await page.locator('[data-test="explanation"]').count()).toBe(0);
  });
});

describe('the calendars and their horizon', () => {
  it('lists every calendar with the official data’s range and what happens beyond it; no import for a handler', async () => {
    const page = await w.open('fire.handler', '/calendars');
    const table = page.locator('[data-test="calendars"]');
    await table.locator('.el-table__body tr').first().waitFor();
    const cn = table.locator('.el-table__body tr', { hasText: '(cn)' }).or(table.locator('.el-table__body tr', { hasText: ' cn' }));
    expect(await cn.first().innerText()).toContain('2024/01/01 至 2026/12/31');
    expect(await table.innerText()).toContain('此后按法定节假日估算，计算结果为暂定');
    expect(await page.locator('[data-test="year-import"]').count()).toBe(0);
  });
});

describe('importing a year (administrators)', () => {
  it('names what is wrong before sending; a year the API refuses shows its problem and changes nothing; a good one raises the horizon', async () => {
    const page = await w.open('admin', '/calendars');
    const form = page.locator('[data-test="year-import"]');
    await form.waitFor();
    await page.locator('[data-test="import-calendar"]').click();
    await page.getByRole('option', { name: `Ruritania (fictional) (${TEST_CALENDAR})` }).click();
    const before = await footprint();

    // Caught on the page: not JSON, then a date that does not exist and a field the API does not take.
    await page.locator('#import-json').fill('year: 2020');
    await form.locator('[data-test="import"]').click();
    await expect.poll(() => form.locator('[data-test="import-problems"]').innerText()).toContain('不是有效的 JSON');
    await page.locator('#import-json').fill(JSON.stringify({ year: 2020, holidays: ['2020-02-30'], makeUpWorkdays: [], source: 'x', note: 1 }));
    await form.locator('[data-test="import"]').click();
    await expect.poll(() => form.locator('[data-test="import-problems"]').innerText()).toContain('holidays.0 “2020-02-30” 不是 YYYY-MM-DD 格式的有效日期');
    expect(await form.locator('[data-test="import-problems"]').innerText()).toContain('note 无法识别的字段');

    // Well-formed, refused by the calendar's rules (a make-up day on a weekday): the API's problem, and nothing written.
    await page.locator('#import-json').fill(JSON.stringify({ year: 2020, holidays: ['2020-03-05'], makeUpWorkdays: ['2020-03-04'], source: 'fictional test data, 2020' }));
    await form.locator('[data-test="import"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '导入', exact: true }).click();
    const refused = form.locator('[data-test="import-refused"]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('导入被拒绝，日历未作任何更改');
    expect(await refused.innerText()).toContain('makeUpWorkdays.0');
    expect(await footprint()).toEqual(before);
    await expectAccessible(page);
    await screenshot(page, 'calendars-import-refused-zh-CN');

    // The file `npm run calendar:import` reads (with its calendar field), uploaded: imported after confirming.
    await page.locator('#import-file').setInputFiles({
      name: 'ruritania-2020.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ calendar: TEST_CALENDAR, year: 2020, holidays: ['2020-03-05', '2020-03-06'], makeUpWorkdays: ['2020-03-07'], source: 'fictional test data, 2020' })),
    });
    await expect.poll(() => page.locator('#import-json').inputValue()).toContain('"year":2020');
    await form.locator('[data-test="import"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '导入', exact: true }).click();
    await expect.poll(() => page.getByText(`已导入 ${TEST_CALENDAR} 2020 年；官方数据现至 2020/12/31。`).count()).toBe(1);
    const row = page.locator('[data-test="calendars"] .el-table__body tr', { hasText: TEST_CALENDAR });
    await expect.poll(() => row.innerText()).toContain('2019/01/01 至 2020/12/31');
    expect(await row.innerText()).toContain('admin 于');
    const [stored] = await w.api.sql`select imported_by from calendar_years where calendar_code = ${TEST_CALENDAR} and year = 2020`;
    expect(stored).toEqual({ imported_by: 'admin' });
    await screenshot(page, 'calendars-import-done-zh-CN');
  });

  it('in English too', async () => {
    const page = await w.open('admin', '/calendars', 'en');
    await page.locator('[data-test="year-import"]').waitFor();
    expect(await page.locator('[data-test="year-import"]').innerText()).toContain("Import a year's holiday arrangement");
    await expectAccessible(page);
    await screenshot(page, 'calendars-en');
  });
});
