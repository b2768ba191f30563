import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../../support/case-driver.js';
import { fireDueTimers, publishQuickPermit, QUICK_PERMIT } from '../../support/supervised-time.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 13, the supervisors' pages in the browser: the dashboard's figures and charts, the overdue list with its
 * one-click 督办, the department answering it on /notices, the supervisor reading the answer and closing it.
 * A step is made overdue by the real mechanism: the manual clock moves past its due and the due timers fire.
 */

let w: WorkspaceBrowser;
const driver = caseDriver(() => w.api);
/** The quick permit made overdue: its fire review is red. */
let lateCase: string;
let lateTask: string;
let fireName: string;

const FIRE_STEP = '消防审查';
const MESSAGE = '请说明消防审查超期原因及办结时间';
const ANSWER = '已安排专人复核，明日办结';

const notices = (caseId: string) => w.api.sql<{ id: string; status: string; task_id: string | null; department_code: string; response: string | null }[]>`
  select id, status, task_id, department_code, response from supervision_notices where case_id = ${caseId} order by issued_at`;

/** Fires every case's timers due by now, as the timer worker would. */
async function fireAllDue(): Promise<void> {
  const due = await w.api.sql<{ case_id: string }[]>`select distinct case_id from timers where status = 'pending' and due_at <= ${w.api.clock.now().toISOString()}`;
  for (const { case_id } of due) await fireDueTimers(w.api, case_id);
}

/** Waits for what a page shows after its requests: longer than `expect.poll`'s second on a busy machine. */
const poll = <T>(value: () => T | Promise<T>) => expect.poll(value, { timeout: 15_000 });

/** The text of every cell of a table's body, row by row. */
const tableRows = (page: Page, test: string): Promise<string[][]> =>
  page.evaluate(`[...document.querySelectorAll('[data-test="${test}"] .el-table__body tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))`);

beforeAll(async () => {
  w = await openWorkspace();
  await publishQuickPermit(w.api);
  fireName = (await w.api.sql<{ name: string }[]>`select name from departments where code = 'fire'`)[0]!.name;
  // Monday 30 November 09:00: one quick permit finished the same morning (on time), one left to go late.
  const onTime = await driver.start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: QUICK_PERMIT });
  await driver.complete('fire.handler', 'review.fire', onTime);
  lateCase = await driver.start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: QUICK_PERMIT });
  lateTask = await driver.openTask('fire.handler', 'review.fire', lateCase);
  // Wednesday 2 December: past its due (the end of Tuesday); the rung timers fire.
  w.api.clock.set(new Date('2026-12-02T10:00:00+08:00'));
  await fireAllDue();
}, 90_000);

afterAll(async () => {
  await w?.close();
});

describe('the overdue list and its one-click 督办', () => {
  it('a supervisor finds the overdue step, filtered to red and fire; the 督办 dialog is prefilled and checks the form before sending', async () => {
    expect(await w.api.sql`select warning_level from tasks where id = ${lateTask}`).toEqual([{ warning_level: 'red' }]);
    const page = await w.open('supervisor', '/supervision?tab=at-risk');
    const list = page.locator('[data-test="at-risk-steps"]');
    await list.locator('.el-table__body tr').first().waitFor();
    await page.locator('[data-test="at-risk-colour"]').getByText('超期', { exact: true }).click();
    await page.locator('[data-test="at-risk-department"]').click();
    await page.getByRole('option', { name: fireName }).click();
    await poll(() => tableRows(page, 'at-risk-steps')).toHaveLength(1);
    const [row] = await tableRows(page, 'at-risk-steps');
    expect(row?.slice(0, 3)).toEqual(['超期', FIRE_STEP, fireName]);
    expect(row?.[5]).toMatch(/^已超期 \d+(\.\d)? 小时$/);
    await expectAccessible(page);
    await screenshot(page, 'supervision-at-risk-zh-CN');

    await list.getByRole('button', { name: /^督办/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test="dialog-about"]').innerText()).toContain(FIRE_STEP);
    expect(await dialog.locator('[data-test="dialog-about"]').innerText()).toContain(fireName);
    // Nothing written: the form says what is missing and sends nothing.
    await dialog.locator('[data-test="issue-notice"]').click();
    await poll(() => dialog.getByText('请填写督办内容。').count()).toBe(1);
    await dialog.locator('#notice-message').fill(MESSAGE);
    await dialog.locator('#notice-days').fill('0');
    await dialog.locator('[data-test="issue-notice"]').click();
    await poll(() => dialog.getByText('答复时限须在 1 至 3650 个工作日之间。').count()).toBe(1);
    expect(await notices(lateCase)).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, 'supervision-issue-dialog-zh-CN');

    await dialog.locator('#notice-days').fill('2');
    await dialog.locator('[data-test="issue-notice"]').click();
    await poll(() => notices(lateCase)).toHaveLength(1);
    expect((await notices(lateCase))[0]).toMatchObject({ status: 'open', task_id: lateTask, department_code: 'fire' });
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('tab', { name: '督办件' }).click();
    await poll(() => tableRows(page, 'notices')).toHaveLength(1);
    const [issued] = await tableRows(page, 'notices');
    expect(issued?.[0]).toContain('待答复');
    expect(issued?.[3]).toBe(MESSAGE);
    expect(issued?.[5]).toBe('尚未答复');
  });

  it('the fire department answers it on /notices, the form checked first; the supervisor reads the answer and closes it', async () => {
    const department = await w.open('fire.handler', '/notices');
    const open = department.locator('[data-test="open-notices"]');
    await poll(() => tableRows(department, 'open-notices')).toHaveLength(1);
    expect((await tableRows(department, 'open-notices'))[0]?.[2]).toBe(MESSAGE);
    await expectAccessible(department);
    await screenshot(department, 'notices-zh-CN');

    await open.getByRole('button', { name: /^答复督办件/ }).click();
    const dialog = department.getByRole('dialog');
    await dialog.waitFor();
    await dialog.locator('#notice-response').fill('   ');
    await dialog.locator('[data-test="send-answer"]').click();
    await poll(() => dialog.getByText('请填写答复内容。').count()).toBe(1);
    expect((await notices(lateCase))[0]?.status).toBe('open');
    await dialog.locator('#notice-response').fill(ANSWER);
    await dialog.locator('[data-test="send-answer"]').click();
    await poll(async () => (await notices(lateCase))[0]?.status).toBe('answered');
    await poll(() => tableRows(department, 'done-notices')).toHaveLength(1);
    expect((await tableRows(department, 'done-notices'))[0]?.[3]).toContain(ANSWER);
    expect(await tableRows(department, 'open-notices')).toEqual([]);

    const supervisor = await w.open('supervisor', '/supervision?tab=notices');
    await poll(async () => (await tableRows(supervisor, 'notices'))[0]?.[5] ?? '').toContain(ANSWER);
    expect((await tableRows(supervisor, 'notices'))[0]?.[0]).toContain('已答复');
    await screenshot(supervisor, 'supervision-notices-answered-zh-CN');
    await supervisor.locator('[data-test="close-notice"]').click();
    await poll(async () => (await notices(lateCase))[0]?.status).toBe('closed');
    await poll(async () => (await tableRows(supervisor, 'notices'))[0]?.[0] ?? '').toContain('已办结');
    expect((await notices(lateCase))[0]?.response).toBe(ANSWER);
  });

  it('a notice someone else closed first: 409 says so, with a reload that shows it as it is', async () => {
    const issued = await w.api.as('supervisor').post(`/api/cases/${lateCase}/supervision-notices`, { message: MESSAGE, responseWorkingDays: 3 });
    expect(issued.status).toBe(201);
    const page = await w.open('supervisor', '/supervision?tab=notices');
    await page.locator('[data-test="notice-status"]').getByText('待答复', { exact: true }).click();
    await poll(() => tableRows(page, 'notices')).toHaveLength(1);
    expect((await w.api.as('supervisor').post(`/api/supervision-notices/${issued.body.noticeId}/close`)).status).toBe(200);
    const before = await notices(lateCase);

    await page.locator('[data-test="close-notice"]').click();
    const problem = page.locator('[data-test="problem"]');
    await poll(() => problem.innerText()).toContain('有人先一步处理了此事项，请重新加载后再试。');
    expect(await notices(lateCase)).toEqual(before);
    await expectAccessible(page);
    await screenshot(page, 'supervision-conflict-zh-CN');
    await problem.getByRole('button', { name: '重新加载' }).click();
    await poll(() => tableRows(page, 'notices')).toHaveLength(0);
    expect(await problem.count()).toBe(0);
  });

  it("a lead sees their own department's steps, and issues nothing; a handler is not let in", async () => {
    const lead = await w.open('fire.lead', '/supervision?tab=at-risk');
    // Read once the list has settled (a busy box may show it while it is still being filled): fire's rows only.
    await poll(async () => {
      const rows = await tableRows(lead, 'at-risk-steps');
      return rows.length > 0 && rows.every((r) => r[2] === fireName);
    }).toBe(true);
    expect(await lead.locator('[data-test="issue"]').count()).toBe(0);
    expect(await lead.locator('[data-test="at-risk-department"]').count()).toBe(0);
    expect(await lead.getByRole('tab', { name: '督办件' }).count()).toBe(0);

    const handler = await w.open('fire.handler', '/supervision');
    await handler.waitForURL(/\/(inbox|notices)/);
  });
});

describe('the dashboard', () => {
  it("shows this month's rates and today's red and yellow as the API counts them, charts with their figures, and the trend", async () => {
    // December's finished work: a quick permit started and finished today (on time, its step too), and the demo
    // application overdue at the window accepted (a step finished late).
    const today = await driver.start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: QUICK_PERMIT });
    await driver.complete('fire.handler', 'review.fire', today);
    const [waiting] = await w.api.sql<{ case_id: string }[]>`select case_id from tasks where key = 'acceptance' and status = 'open' and warning_level = 'red'`;
    await driver.complete('window.clerk', 'acceptance', waiting!.case_id);
    const counts = (await w.api.as('supervisor').get('/api/supervision/departments')).body;
    const trend = (await w.api.as('supervisor').get('/api/supervision/trend?weeks=12')).body;
    // The data: the on-time quick permit and the late one's step, red now.
    const [fire] = await w.api.sql<{ red: number; yellow: number }[]>`select count(*) filter (where warning_level = 'red')::int as red,
      count(*) filter (where warning_level = 'yellow')::int as yellow from tasks where department_code = 'fire' and status in ('open', 'claimed')`;
    expect(fire?.red).toBeGreaterThan(0);
    expect(counts.departments.find((d: { departmentCode: string }) => d.departmentCode === 'fire')).toMatchObject(fire!);

    const page = await w.open('supervisor', '/supervision');
    const dashboard = page.locator('[data-test="dashboard"]');
    await poll(() => dashboard.locator('[data-test="kpi-red"] strong').innerText()).toBe(String(counts.totals.steps.red));
    expect(await dashboard.locator('[data-test="kpi-yellow"] strong').innerText()).toBe(String(counts.totals.steps.yellow));
    // One step of two on time, the one case finished on time; the steps took 0 and 2 working days (1 and 2 December).
    expect(counts.totals.steps).toMatchObject({ finishedOnTime: 1, finishedLate: 1, onTimeRate: 0.5, averageWorkingDays: 1 });
    expect(counts.totals.cases).toMatchObject({ finishedOnTime: 1, finishedLate: 0, onTimeRate: 1 });
    expect(await dashboard.locator('[data-test="kpi-steps-on-time"] strong').innerText()).toBe('50%');
    expect(await dashboard.locator('[data-test="kpi-cases-on-time"] strong').innerText()).toBe('100%');
    const [average] = await w.api.sql<{ days: number }[]>`select round(avg(working_days), 2)::float as days from tasks
      where status = 'completed' and completed_at >= '2026-12-01T00:00:00+08:00'`;
    expect(counts.totals.steps.averageWorkingDays).toBe(average?.days);
    expect(await dashboard.locator('[data-test="kpi-average-days"] strong').innerText()).toBe(`${average?.days} 个工作日`);

    // The department chart: drawn, named with every bar's figures; the table beside it holds the same.
    const chart = page.locator('[data-test="chart-departments"] [role="img"]');
    await poll(() => chart.locator('svg path').count()).toBeGreaterThan(0);
    expect(await chart.getAttribute('aria-label')).toContain(`${fireName}：超期 ${fire!.red}，预警 ${fire!.yellow}`);
    const departments = await tableRows(page, 'departments-table');
    const fireRow = departments.find((r) => r[0] === fireName);
    expect(fireRow?.slice(1, 4)).toEqual([String(counts.departments.find((d: { departmentCode: string }) => d.departmentCode === 'fire').open), String(fire!.yellow), String(fire!.red)]);

    // The trend: one row per week, this one last, with the API's figures.
    const weeks = await tableRows(page, 'trend-table');
    expect(weeks.map((r) => r[0])).toEqual(trend.weeks.map((x: { week: string }) => x.week));
    const now = trend.weeks.at(-1);
    expect(weeks.at(-1)?.slice(1, 4)).toEqual([now.cases.opened, now.cases.finishedOnTime, now.cases.finishedLate].map(String));
    const trendChart = page.locator('[data-test="chart-trend"] [role="img"]');
    expect(await trendChart.getAttribute('aria-label')).toContain(`${now.week}：新收 ${now.cases.opened}`);
    await page.locator('[data-test="trend-subject"]').getByText('环节', { exact: true }).click();
    await poll(async () => (await tableRows(page, 'trend-table')).at(-1)?.[1]).toBe(String(now.steps.opened));
    await expectAccessible(page);
    await screenshot(page, 'supervision-dashboard-zh-CN');
  });
});

describe('in English', () => {
  it('every supervision page, accessible, with screenshots', { timeout: 90_000 }, async () => {
    const dashboard = await w.open('supervisor', '/supervision', 'en');
    await dashboard.getByRole('heading', { name: 'Performance supervision' }).waitFor();
    await poll(() => dashboard.locator('[data-test="chart-departments"] svg path').count()).toBeGreaterThan(0);
    expect(await dashboard.locator('[data-test="chart-departments"] [role="img"]').getAttribute('aria-label')).toContain(`${fireName}: `);
    await expectAccessible(dashboard);
    await screenshot(dashboard, 'supervision-dashboard-en');
    await dashboard.getByRole('tab', { name: 'At risk and overdue' }).click();
    await dashboard.locator('[data-test="at-risk-steps"] .el-table__body tr').first().waitFor();
    await expectAccessible(dashboard);
    await screenshot(dashboard, 'supervision-at-risk-en');
    await dashboard.locator('[data-test="issue"]').first().click();
    await dashboard.getByRole('dialog', { name: 'Issue a supervision notice' }).waitFor();
    await expectAccessible(dashboard);
    await screenshot(dashboard, 'supervision-issue-dialog-en');
    await dashboard.keyboard.press('Escape');
    await dashboard.getByRole('tab', { name: 'Notices' }).click();
    await dashboard.locator('[data-test="notices"] .el-table__body tr').first().waitFor();
    await expectAccessible(dashboard);
    await screenshot(dashboard, 'supervision-notices-en');

    const department = await w.open('fire.handler', '/notices', 'en');
    await department.getByRole('heading', { name: "My department's supervision notices" }).waitFor();
    await department.locator('[data-test="done-notice-status"]').getByText('Closed', { exact: true }).click();
    await department.locator('[data-test="done-notices"] .el-table__body tr').first().waitFor();
    expect((await tableRows(department, 'done-notices'))[0]?.slice(0, 1)).toEqual(['Closed']);
    await expectAccessible(department);
    await screenshot(department, 'notices-en');
  });
});

describe('a step someone finished first', () => {
  it('the 督办 on it is refused (409) in the dialog, which says so and reloads the list without it; nothing is issued', async () => {
    const [step] = await w.api.sql<{ id: string; case_id: string; key: string; department_code: string; number: string }[]>`
      select t.id, t.case_id, t.key, t.department_code, c.number from tasks t join cases c on c.id = t.case_id
      where t.status = 'open' and t.warning_level = 'yellow' order by t.due_at limit 1`;
    expect(step, 'a yellow step').toBeDefined();
    const page = await w.open('supervisor', '/supervision?tab=at-risk');
    await page.locator('[data-test="at-risk-colour"]').getByText('预警', { exact: true }).click();
    // Other demo steps may be yellow too (the named signers' claimed ones): the row of this step, by its case number.
    const inList = async () => (await tableRows(page, 'at-risk-steps')).filter((cells) => cells.some((cell) => cell.includes(step!.number))).length;
    await poll(inList).toBe(1);
    // By keyboard: the row's 督办 button, then the form.
    await page.locator('[data-test="at-risk-steps"] .el-table__body tr', { hasText: step!.number }).locator('[data-test="issue"]').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.locator('#notice-message').focus();
    await page.keyboard.type(MESSAGE);
    const before = await notices(step!.case_id);

    await driver.complete(`${step!.department_code}.lead`, step!.key, step!.case_id);
    await dialog.locator('[data-test="issue-notice"]').click();
    const problem = dialog.locator('[data-test="problem"]');
    await poll(() => problem.innerText()).toContain('有人先一步处理了此事项，请重新加载后再试。');
    expect(await notices(step!.case_id)).toEqual(before);
    await expectAccessible(page);
    await screenshot(page, 'supervision-issue-conflict-zh-CN');
    await problem.getByRole('button', { name: '重新加载' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await poll(inList).toBe(0);
  });
});
