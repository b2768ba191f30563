import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerId } from '../../../engine/ids.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 13, the inbox in the browser: a handler finds a yellow task (turned yellow by its rung timer as the manual
 * clock moves), filters by colour, sorts and pages; a lead claims a task; a claim someone beat is shown as a
 * conflict with a reload. In Chinese and English, with axe and a screenshot of each.
 */

let w: WorkspaceBrowser;
/** Waits for what a page shows: its first load fetches the scripts and the API answers, which takes seconds. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
const beijing = (local: string) => new Date(`${local}+08:00`);

/** Fires every pending timer due by now, earliest first, as the timer worker would. */
async function fireDueTimers(): Promise<void> {
  const due = await w.api.sql`select id from timers where status = 'pending' and due_at <= ${w.api.clock.now().toISOString()} order by due_at, id`;
  for (const t of due) await w.api.engine.execute({ type: 'timer.fire', timerId: timerId(String(t['id'])) });
}

/** A construction permit accepted at the window now: its five department reviews open. */
async function startInJointReview(): Promise<void> {
  const started = await w.api.as('window.clerk').post('/api/cases', CONSTRUCTION_APPLICATION);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const [acceptance] = await w.api.sql`select id::text from tasks where case_id = ${started.body.caseId} and key = 'acceptance' and status = 'open'`;
  expect((await w.api.as('window.clerk').post(`/api/tasks/${acceptance?.['id']}/complete`, { outcome: 'approve', opinion: { text: '受理' } })).status).toBe(200);
}

beforeAll(async () => {
  w = await openWorkspace();
  // The demo cases were received on Monday 30 November; 22 more reach the fire department on Wednesday 2 December.
  w.api.clock.set(beijing('2026-12-02T09:00'));
  for (let i = 0; i < 22; i++) await startInJointReview();
  // Thursday 3 December: the reviews opened on Monday have 2 working days left, and their yellow rungs fire.
  w.api.clock.set(beijing('2026-12-03T10:00'));
  await fireDueTimers();
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const rows = (page: Page) => page.locator('[data-test="inbox"] .el-table__body tr');
const caseNumbers = (page: Page) => page.locator('[data-test="inbox"] [data-test="case-link"]').allInnerTexts();
/** What the API answers the same user for the same list: the page must show exactly that. */
const apiNumbers = async (user: string, query: string) => ((await w.api.as(user).get(`/api/tasks?${query}`)).body.items as { caseNumber: string }[]).map((t) => t.caseNumber);

/** Picks an option of an Element Plus select by keyboard: focus, open, walk down to it, take it. */
async function pickByKeyboard(page: Page, select: string, option: string): Promise<void> {
  const input = page.locator(`[data-test="${select}"] input`);
  await input.focus();
  await page.keyboard.press('Enter');
  // The list this select controls (another select's may still be fading out).
  const list = page.locator(`[id="${await input.getAttribute('aria-controls')}"]`);
  const hovered = list.locator('.el-select-dropdown__item.is-hovering');
  for (let i = 0; i < 10 && ((await hovered.count()) === 0 || (await hovered.innerText()).trim() !== option); i++) await page.keyboard.press('ArrowDown');
  expect((await hovered.innerText()).trim()).toBe(option);
  await page.keyboard.press('Enter');
}

describe('the inbox', () => {
  it('a handler finds a yellow task: its light and word, the working days left, a link to its case (zh-CN)', async () => {
    const page = await w.open('fire.handler', '/inbox');
    const yellow = rows(page).filter({ has: page.locator('[data-colour="yellow"]') });
    await poll(() => yellow.count()).toBeGreaterThan(0);
    const row = yellow.first();
    expect(await row.innerText()).toContain('预警');
    expect(await row.locator('[data-test="left"]').innerText()).toBe('剩 2 个工作日');
    const [task] = (await w.api.as('fire.handler').get('/api/tasks?colour=yellow')).body.items;
    expect(await row.locator('[data-test="case-link"]').innerText()).toBe(task.caseNumber);
    expect(await row.locator('[data-test="case-link"]').getAttribute('href')).toBe(`/cases/${task.caseId}`);
    expect(await row.innerText()).toContain(task.serviceItem.name);
    expect(await row.innerText()).toContain(task.applicantName);
    await expectAccessible(page);
    await screenshot(page, 'inbox');
  });

  it('filters by colour (chosen by keyboard), sorts by received time and pages, as the API lists them', async () => {
    const page = await w.open('fire.handler', '/inbox');
    await poll(() => rows(page).count()).toBe(20);
    const all = (await w.api.as('fire.handler').get('/api/tasks?pageSize=100')).body.total as number;
    expect(all).toBeGreaterThan(20);
    expect(await page.locator('[data-test="total"]').innerText()).toBe(`共 ${all} 条`);
    expect(await caseNumbers(page)).toEqual(await apiNumbers('fire.handler', 'pageSize=20'));

    // The next page.
    await page.locator('.el-pagination .btn-next').click();
    await page.waitForURL(/page=2/);
    await poll(() => caseNumbers(page)).toEqual(await apiNumbers('fire.handler', 'pageSize=20&page=2'));

    // Yellow only: every row says so; the address keeps the filter.
    await pickByKeyboard(page, 'filter-colour', '预警');
    await page.waitForURL(/colour=yellow/);
    const yellow = await apiNumbers('fire.handler', 'colour=yellow');
    expect(yellow.length).toBeGreaterThan(0);
    await poll(() => caseNumbers(page)).toEqual(yellow);
    const lights = await page.locator('[data-test="inbox"] [data-colour]').all();
    expect(await Promise.all(lights.map((l) => l.getAttribute('data-colour')))).toEqual(yellow.map(() => 'yellow'));

    // Back to every colour, newest received first.
    await page.locator('[data-test="filter-reset"]').click();
    await pickByKeyboard(page, 'sort', '收件时间（最新在前）');
    await page.waitForURL(/order=openedAt_desc/);
    await poll(() => caseNumbers(page)).toEqual(await apiNumbers('fire.handler', 'sort=openedAt&direction=desc&pageSize=20'));
    // A reload keeps the list as it was.
    await page.reload();
    await poll(() => caseNumbers(page)).toEqual(await apiNumbers('fire.handler', 'sort=openedAt&direction=desc&pageSize=20'));

    // Done: what the department completed, latest first, with who completed it.
    await page.getByRole('tab', { name: '部门已办' }).click();
    await page.waitForURL(/view=departmentDone/);
    const done = await apiNumbers('fire.handler', 'view=departmentDone');
    expect(done.length).toBeGreaterThan(0);
    await poll(() => caseNumbers(page)).toEqual(done);
    expect(await rows(page).first().innerText()).toContain('fire.handler');
    await screenshot(page, 'inbox-done');
  });

  it('switches views, each tab with its count, and finds a task by the start of its applicant\'s name (logged)', async () => {
    // One task claimed by the handler (a green one: the yellow are for the tests below), one case of an applicant named apart.
    const [claimable] = (await w.api.as('fire.handler').get('/api/tasks?colour=green')).body.items.filter((t: { assigneeId: string | null }) => t.assigneeId === null);
    expect((await w.api.as('fire.handler').post(`/api/tasks/${claimable.id}/claim`)).status).toBe(200);
    const named = await w.api.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, applicant: { ...CONSTRUCTION_APPLICATION.applicant, name: '陈记餐饮管理有限公司' } });
    const [acceptance] = await w.api.sql`select id::text from tasks where case_id = ${named.body.caseId} and key = 'acceptance' and status = 'open'`;
    expect((await w.api.as('window.clerk').post(`/api/tasks/${acceptance?.['id']}/complete`, { outcome: 'approve', opinion: { text: '受理' } })).status).toBe(200);

    const page = await w.open('fire.handler', '/inbox');
    await poll(() => rows(page).count()).toBe(20);
    const counts = (await w.api.as('fire.handler').get('/api/tasks/counts')).body;
    const badge = (view: string) => page.locator(`[data-test="count-${view}"] sup`).innerText();
    await poll(() => badge('todo')).toBe(String(counts.todo.total));
    await poll(() => badge('claimed')).toBe(String(counts.claimed.total));
    expect(await page.locator('[data-test="count-delegated"]').count()).toBe(0); // nothing delegated: no badge

    await page.getByRole('tab', { name: /我签收的/ }).click();
    await page.waitForURL(/view=claimed/);
    const claimed = await apiNumbers('fire.handler', 'view=claimed');
    expect(claimed).toContain(claimable.caseNumber);
    await poll(() => caseNumbers(page)).toEqual(claimed);
    expect(await rows(page).first().innerText()).toContain('fire.handler');

    // Back to the department's to do, searched by a name's start: one character is refused before anything is sent.
    await page.getByRole('tab', { name: /^待办/ }).click();
    await page.waitForURL(/view=todo/);
    const requests: string[] = [];
    page.on('request', (r) => void (r.url().includes('/api/tasks?') && requests.push(r.url())));
    await page.locator('[data-test="filter-applicantName"]').fill('陈');
    await page.locator('[data-test="filter-apply"]').click();
    await poll(() => page.getByText('请至少输入申请人名称的前 2 个字').count()).toBe(1);
    expect(requests).toEqual([]);
    const [logged] = await w.api.sql`select count(*)::int as n from security_events where type = 'inbox.personal-data-searched'`;
    await page.locator('[data-test="filter-applicantName"]').fill('陈记');
    await page.locator('[data-test="filter-apply"]').click();
    await page.waitForURL(/applicantName=/);
    const found = await apiNumbers('fire.handler', `applicantName=${encodeURIComponent('陈记')}`);
    expect(found).toHaveLength(1);
    await poll(() => caseNumbers(page)).toEqual(found);
    expect(await rows(page).first().innerText()).toContain('陈记餐饮管理有限公司');
    // The page's search and the test's own: both on the security log.
    await poll(async () => (await w.api.sql`select count(*)::int as n from security_events where type = 'inbox.personal-data-searched'`)[0]?.['n']).toBe(Number(logged?.['n']) + 2);
    await expectAccessible(page);
    await screenshot(page, 'inbox-views');

    // Copied to me: its own list in place of the tasks.
    await page.getByRole('tab', { name: /抄送我的/ }).click();
    await page.waitForURL(/view=copied/);
    await poll(() => page.locator('[data-test="inbox"]').count()).toBe(0);
  });

  it('a case number that is not one is refused before anything is sent', async () => {
    const page = await w.open('fire.handler', '/inbox');
    await poll(() => rows(page).count()).toBe(20);
    const requests: string[] = [];
    page.on('request', (r) => void (r.url().includes('/api/tasks') && requests.push(r.url())));
    await page.locator('[data-test="filter-case"]').fill('12345');
    await page.locator('[data-test="filter-apply"]').click();
    await poll(() => page.getByText('受理编号为“年份-序号”，如 2026-000123').count()).toBe(1);
    expect(requests).toEqual([]);
    // A real one finds its case's task.
    const [task] = (await w.api.as('fire.handler').get('/api/tasks?colour=yellow')).body.items;
    await page.locator('[data-test="filter-case"]').fill(task.caseNumber);
    await page.locator('[data-test="filter-apply"]').click();
    await poll(() => caseNumbers(page)).toEqual([task.caseNumber]);
  });

  it('a lead claims a sign-off from the inbox; the row then shows who holds it (en)', async () => {
    const page = await w.open('market.lead', '/inbox', 'en');
    const claim = page.locator('[data-test="claim"]').first();
    await claim.waitFor();
    const row = rows(page).filter({ has: claim });
    const number = await row.locator('[data-test="case-link"]').innerText();
    expect(await row.innerText()).toContain('Unclaimed');
    await expectAccessible(page);
    await screenshot(page, 'inbox-en');
    await claim.click();
    await poll(() => page.getByText(/^Claimed “/).count()).toBe(1);
    const claimed = rows(page).filter({ hasText: number });
    await poll(() => claimed.innerText()).toContain('market.lead');
    expect(await claimed.locator('[data-test="claim"]').count()).toBe(0);
    const [task] = (await w.api.as('market.lead').get(`/api/tasks?caseNumber=${number}`)).body.items;
    expect(task).toMatchObject({ status: 'claimed', assigneeId: 'market.lead' });
  });

  it('a claim someone else made first shows "someone acted first" with a reload, which shows who holds it', async () => {
    const page = await w.open('fire.handler', '/inbox?colour=yellow');
    const row = rows(page).filter({ has: page.locator('[data-test="claim"]') }).first();
    await row.waitFor();
    const number = await row.locator('[data-test="case-link"]').innerText();
    const [task] = (await w.api.as('fire.lead').get(`/api/tasks?caseNumber=${number}`)).body.items;
    // The lead takes it meanwhile.
    expect((await w.api.as('fire.lead').post(`/api/tasks/${task.id}/claim`)).status).toBe(200);
    const [version] = await w.api.sql`select version from cases where id = ${task.caseId}`;
    await row.locator('[data-test="claim"]').click();
    const problem = page.locator('[data-test="problem"]');
    await poll(() => problem.innerText()).toContain('有人先一步处理了此事项');
    expect((await w.api.sql`select version from cases where id = ${task.caseId}`)[0]).toEqual(version);
    await screenshot(page, 'inbox-conflict');
    await problem.locator('[data-test="reload"]').click();
    await poll(() => problem.count()).toBe(0);
    const again = rows(page).filter({ hasText: number });
    await poll(() => again.innerText()).toContain('fire.lead');
    expect(await again.locator('[data-test="claim"]').count()).toBe(0);
  });

  it("marks a due counted past the calendar's horizon as provisional, and says why on focus (zh-CN and en)", async () => {
    // Received on Monday 28 December: the review's five working days end in January, past the official data (2026).
    w.api.clock.set(beijing('2026-12-28T09:00'));
    await startInJointReview();
    const [task] = (await w.api.as('fire.handler').get('/api/tasks?sort=openedAt&direction=desc&pageSize=1')).body.items;
    expect(task).toMatchObject({ provisional: true, remainingWorkingDays: 5 });
    for (const [locale, marker, hint, because] of [
      ['zh-CN', '暂定', '暂定时限：超出工作日历官方数据的范围', '收件，自次一工作日起算 5 个工作日'],
      ['en', 'Provisional', "Provisional: past the calendar's official data", '5 working days counted from the next working day'],
    ] as const) {
      const page = await w.open('fire.handler', `/inbox?caseNumber=${task.caseNumber}`, locale);
      const tag = page.locator('[data-test="provisional"]');
      await poll(() => tag.count()).toBe(1);
      expect((await tag.innerText()).trim()).toBe(marker);
      await tag.focus();
      await poll(() => page.locator('.el-popper:visible').allInnerTexts()).toEqual([expect.stringContaining(hint)]);
      await page.locator('[data-test="due"]').focus();
      await poll(() => page.locator('.el-popper:visible').allInnerTexts()).toEqual([expect.stringContaining(because)]);
      await screenshot(page, `inbox-provisional-${locale}`);
    }
  });
});
