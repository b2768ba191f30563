import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerId } from '../../../engine/ids.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 13's story, across the pages as a handler goes through them, without the API docs: sign in from the
 * sign-in page, find the yellow task in the inbox, open its case from there, read why it is due when it is, claim
 * and approve it; the task moves from to do to done. A handler of another department who is sent the case's
 * address is told it is not found.
 */

let w: WorkspaceBrowser;
let caseId: string;
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
const beijing = (local: string) => new Date(`${local}+08:00`);

beforeAll(async () => {
  w = await openWorkspace({ demoCases: false });
  // Accepted on Monday 30 November; on Thursday its five-day reviews have 2 working days left: the yellow rung.
  w.api.clock.set(beijing('2026-11-30T09:00'));
  const started = await w.api.as('window.clerk').post('/api/cases', CONSTRUCTION_APPLICATION);
  caseId = started.body.caseId;
  const [acceptance] = await w.api.sql`select id::text from tasks where case_id = ${caseId} and key = 'acceptance'`;
  expect((await w.api.as('window.clerk').post(`/api/tasks/${acceptance?.['id']}/complete`, { outcome: 'approve', opinion: { text: '受理' } })).status).toBe(200);
  w.api.clock.set(beijing('2026-12-03T10:00'));
  const due = await w.api.sql`select id from timers where status = 'pending' and due_at <= ${w.api.clock.now().toISOString()} order by due_at, id`;
  for (const t of due) await w.api.engine.execute({ type: 'timer.fire', timerId: timerId(String(t['id'])) });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe("a handler's day in the workspace", () => {
  it('signs in, finds the yellow task, opens its case, reads the due-date explanation, approves: the task moves to done', async () => {
    const page = await w.open(null, '/', 'en');
    await page.locator('[data-user="fire.handler"]').click();
    await page.waitForURL(/\/inbox/);

    // The inbox: the yellow task, with its light in words and the days left.
    const yellow = page.locator('[data-test="inbox"] .el-table__body tr').filter({ has: page.locator('[data-colour="yellow"]') });
    await poll(() => yellow.count()).toBe(1);
    expect(await yellow.locator('[data-test="left"]').innerText()).toBe('2 working days left');
    const caseNumber = await yellow.locator('[data-test="case-link"]').innerText();
    await yellow.locator('[data-test="case-link"]').click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));

    // The case page: why the fire review is due when it is, counted in working days from the day it opened.
    await poll(() => page.locator('[data-test="case-title"]').innerText()).toContain(caseNumber);
    const because = await page.locator('[data-clock="task:review.fire"] [data-test="clock-explanation"]').innerText();
    expect(because).toMatch(/^Due on 12\/07\/2026 because: 5 working days from 11\/30\/2026,? 09:00/);

    await page.locator('[data-move="task.claim"][data-task="review.fire"]').click();
    await poll(() => page.locator('[data-move="task.complete"][data-task="review.fire"]').isEnabled()).toBe(true);
    await page.locator('[data-move="task.complete"][data-task="review.fire"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.getByRole('radio', { name: 'Approve' }).check({ force: true });
    await page.locator('#opinion-text').fill('Fits GB 50016');
    await dialog.locator('[data-test="submit-move"]').click();
    // Decided: what is left is taking the approval back (撤回) while nobody has acted on what it opened.
    await poll(() => page.locator('[data-move="task.withdraw"][data-task="review.fire"]').count()).toBe(1);
    expect(await page.locator('[data-move="task.complete"]').count()).toBe(0);
    await screenshot(page, 'daily-work.case-approved');

    // Back in the inbox: nothing left to do; the task is under done.
    await page.getByRole('link', { name: 'Inbox' }).click();
    await poll(() => page.locator('[data-test="inbox"] .el-table__empty-text').count()).toBe(1);
    await page.getByRole('tab', { name: 'Done by me' }).click();
    await poll(() => page.locator('[data-test="inbox"] [data-test="case-link"]').allInnerTexts()).toEqual([caseNumber]);
    await screenshot(page, 'daily-work.done');
  }, 90_000); // a whole day across three pages (sign-in, inbox, case), often its worker's first browser: more than one page's time

  it("a handler of another department sent the case's address is told it is not found, and sees none of it", async () => {
    const page = await w.open('police.handler', `/cases/${caseId}`, 'en');
    await poll(() => page.locator('[data-test="not-found"]').count()).toBe(1);
    expect(await page.locator('body').innerText()).not.toContain(CONSTRUCTION_APPLICATION.applicant.name);
  });
});
