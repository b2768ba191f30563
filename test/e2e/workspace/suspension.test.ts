import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVersion, demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 中止, 恢复 and 终止 on the case page, in a real browser over the demo data (the construction permit in its joint
 * review, planning and fire done). The lead department's lead suspends it with its legal basis: its clocks pause
 * and the departments holding its reviews can do nothing; a supervisor, in English, resumes it; the lead then
 * terminates it, confirming once more.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const IN_REVIEW = '申城置业发展有限公司';

const openCase = async (user: string, id: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> => {
  const page = await w.open(user, `/cases/${id}`, locale);
  await page.locator('[data-test="case-title"]').waitFor();
  return page;
};
const move = (page: Page, type: string) => page.locator(`[data-test="moves"] [data-move="${type}"]`);
const statusOf = async (id: string) => (await w.api.sql<{ status: string }[]>`select status from cases where id = ${id}`)[0]?.status;

describe('中止, 恢复 and 终止 on the case page', () => {
  it('the lead suspends the case with its legal basis: the status says so, and the ecology handler can no longer claim its review', async () => {
    const id = await demoCaseId(w, IN_REVIEW);
    const ecology = await openCase('ecology.handler', id);
    await ecology.locator('[data-move="task.claim"][data-task="review.ecology"]').waitFor();
    expect(await move(ecology, 'case.suspend').count()).toBe(0);

    const page = await openCase('housing.lead', id);
    expect(await move(page, 'case.resume').count()).toBe(0);
    await move(page, 'case.suspend').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    // Neither the reason nor the legal basis given: refused by the form, nothing sent.
    const version = await caseVersion(w, id);
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(2);
    expect(await caseVersion(w, id)).toBe(version);

    await page.locator('#move-reason').fill('申请人涉及的行政诉讼尚未审结');
    await page.locator('#status-basis').fill('《某省行政审批条例》第二十条');
    await expectAccessible(page);
    await screenshot(page, 'suspend-a-case');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => statusOf(id)).toBe('suspended');
    await expect.poll(() => page.locator('[data-test="case-status"]').innerText()).toBe('已中止');
    await expect.poll(() => page.locator('[data-test="timeline"]').innerText()).toContain('中止办理，理由：申请人涉及的行政诉讼尚未审结；依据：《某省行政审批条例》第二十条');
    await move(page, 'case.resume').waitFor();
    expect(await move(page, 'case.suspend').count()).toBe(0);

    await ecology.reload();
    await ecology.locator('[data-test="case-title"]').waitFor();
    expect(await ecology.locator('[data-test="case-status"]').innerText()).toBe('已中止');
    expect(await ecology.locator('[data-move="task.claim"]').count()).toBe(0);
  });

  it('a supervisor (English) resumes it: in progress again, and the review may be claimed', async () => {
    const id = await demoCaseId(w, IN_REVIEW);
    const page = await openCase('supervisor', id, 'en');
    await move(page, 'case.resume').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test="move-explanation"]').innerText()).toContain('their due dates moved');
    // A resumption rests on the suspension's basis: it asks only why.
    expect(await dialog.locator('#status-basis').count()).toBe(0);
    await page.locator('#move-reason').fill('The lawsuit has been decided');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => statusOf(id)).toBe('running');
    await expect.poll(() => page.locator('[data-test="case-status"]').innerText()).toBe('In progress');
    const ecology = await openCase('ecology.handler', id, 'en');
    await ecology.locator('[data-move="task.claim"][data-task="review.ecology"]').waitFor();
  });

  it('the lead terminates it, confirming once more: terminated, its reviews cancelled', async () => {
    const id = await demoCaseId(w, IN_REVIEW);
    const page = await openCase('housing.lead', id);
    await move(page, 'case.terminate').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    await page.locator('#move-reason').fill('申请人已注销');
    await page.locator('#status-basis').fill('《某省行政审批条例》第二十一条');
    await dialog.locator('[data-test="submit-move"]').click();
    await page.locator('.el-message-box').waitFor();
    expect(await statusOf(id)).toBe('running');
    await page.locator('.el-message-box .el-button--primary').click();
    await expect.poll(() => statusOf(id)).toBe('terminated');
    await expect.poll(() => page.locator('[data-test="case-status"]').innerText()).toBe('已终止');
    expect(await move(page, 'case.resume').count()).toBe(0);
  });
});
