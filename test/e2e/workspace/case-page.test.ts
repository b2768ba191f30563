import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVersion, demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * The case page in a real browser over the demo data: a handler opens a case of theirs by its address, reads why
 * it is due when it is, claims and approves their review, and the case moves on; another department's handler
 * finds nothing there; a page acting on what someone else already changed is told so; the diagram shows where
 * the case is; a lead extends a limit through a form that checks it first.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

/** The demo cases by applicant: in joint review with the legal limit extended, in an expert review, in plain joint review, waiting for a supplement. */
const EXTENDED = '临港新城基础设施投资有限公司';
const EXPERT_REVIEW = '黄浦江岸线开发有限公司';
const JOINT_REVIEW = '申城置业发展有限公司';
const SUPPLEMENT = '静安城市更新建设有限公司';

const caseOf = (applicant: string): Promise<string> => demoCaseId(w, applicant);
const versionOf = (id: string): Promise<number> => caseVersion(w, id);

/** The moves the page offers, as `<type> <task>` (the data the buttons carry). */
async function offered(page: Page): Promise<string[]> {
  const buttons = page.locator('[data-test="moves"] [data-move]');
  const moves: string[] = [];
  for (let i = 0; i < (await buttons.count()); i++) {
    const button = buttons.nth(i);
    moves.push(`${await button.getAttribute('data-move')} ${(await button.getAttribute('data-task')) ?? ''}`.trim());
  }
  return moves;
}

const openCase = async (user: string, id: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> => {
  const page = await w.open(user, `/cases/${id}`, locale);
  await page.locator('[data-test="case-title"]').waitFor();
  return page;
};

describe('the case page', () => {
  it('a handler opens a case of theirs, reads why it is due then, claims and approves their review: the case moves on', async () => {
    const id = await caseOf(EXTENDED);
    const page = await openCase('fire.handler', id);
    expect(await page.locator('[data-test="case-title"]').innerText()).toMatch(/^办件 \d{4}-\d{6}$/);
    expect(await page.locator('[data-test="applicant"]').innerText()).toBe(EXTENDED);

    // Why the legal limit ends when it does: its budget from the receipt, the extension with its reason and basis.
    const legal = page.locator('[data-clock="legal"] [data-test="clock-explanation"]');
    const because = await legal.innerText();
    expect(because).toMatch(/^2027\/01\/05 届满，因为：自 2026\/11\/30 09:00 起，按工作日历 cn 计 15 个工作日；/);
    expect(because).toContain('延长 10 个工作日（理由：项目跨越防汛墙');
    expect(because).toContain('依据：《中华人民共和国行政许可法》第四十二条第二款');

    // Only what a fire handler may do now: claim or decide the fire review, or start a special procedure.
    expect(await offered(page)).toEqual(['task.claim review.fire', 'task.complete review.fire', 'special-procedure.start']);
    await expectAccessible(page);
    await screenshot(page, 'case-zh');

    await page.locator('[data-move="task.claim"][data-task="review.fire"]').click();
    await expect.poll(() => offered(page)).toEqual(['task.release review.fire', 'task.complete review.fire', 'task.transfer review.fire', 'task.delegate review.fire', 'special-procedure.start']);
    expect(await page.locator('[data-task-status="review.fire"]').innerText()).toBe('已签收');

    await page.locator('[data-move="task.complete"][data-task="review.fire"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    // Checked before sending: a rejection without its reasons is named and nothing is sent.
    const before = await versionOf(id);
    await dialog.getByRole('radio', { name: '不予同意' }).check({ force: true });
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.getByText('不予同意或退回补正，须写明理由。').count()).toBe(1);
    expect(await versionOf(id)).toBe(before);
    await expectAccessible(page);
    await screenshot(page, 'case-decide-form');

    await dialog.getByRole('radio', { name: '通过' }).check({ force: true });
    await page.locator('#opinion-text').fill('消防设计符合 GB 50016 Fits GB 50016');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => page.locator('[data-task-status="review.fire"]').innerText()).toBe('已办结');

    // The fire review left the department's to-do list, its opinion is on record, the timeline says who did it.
    const inbox = await w.api.as('fire.handler').get('/api/tasks?view=todo&pageSize=100');
    expect(inbox.body.items.some((t: { caseId: string; key: string }) => t.caseId === id && t.key === 'review.fire')).toBe(false);
    // Only taking the approval back (撤回), while no one has acted on what it opened.
    expect(await offered(page)).toEqual(['task.withdraw review.fire']);
    expect(await page.locator('[data-test="timeline"]').innerText()).toContain('fire.handler（fire）通过「消防设计审查 Fire protection review」');
    expect(await page.locator('[data-test="opinions"]').innerText()).toContain('消防设计符合 GB 50016');
    // The diagram follows: the fire region is done.
    await expect.poll(() => page.locator('[data-state="construction-permit.jointReview.fire.approved"]').getAttribute('data-active')).toBe('true');
  });

  it('a handler of another department opening the same address sees “not found”', async () => {
    const id = await caseOf(EXTENDED);
    const page = await w.open('police.handler', `/cases/${id}`, 'zh-CN');
    await expect.poll(() => page.locator('[data-test="not-found"]').count()).toBe(1);
    expect(await page.locator('[data-test="not-found"]').innerText()).toContain('未找到，或您的部门无权查看。');
    expect(await page.locator('[data-test="case-title"]').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'case-not-found');
  });

  it('a page acting on what someone else already changed says someone acted first, and its reload shows the case as it is', async () => {
    const id = await caseOf(EXPERT_REVIEW);
    const page = await openCase('fire.handler', id);
    expect(await offered(page)).toContain('task.claim review.fire');
    // Meanwhile the department's lead takes the task.
    const inbox = await w.api.as('fire.lead').get('/api/tasks?view=todo&pageSize=100');
    const task = inbox.body.items.find((t: { caseId: string; key: string }) => t.caseId === id && t.key === 'review.fire');
    expect((await w.api.as('fire.lead').post(`/api/tasks/${task.id}/claim`)).status).toBe(200);
    const version = await versionOf(id);

    await page.locator('[data-move="task.claim"][data-task="review.fire"]').click();
    const problem = page.locator('[data-test="problem"]');
    await expect.poll(() => problem.count()).toBe(1);
    expect(await problem.innerText()).toContain('有人先一步处理了此事项，请重新加载后再试。');
    expect(await versionOf(id)).toBe(version);
    await expectAccessible(page);
    await screenshot(page, 'case-conflict');

    await problem.locator('[data-test="reload"]').click();
    await expect.poll(() => page.locator('[data-task-status="review.fire"]').innerText()).toBe('已签收');
    expect(await problem.count()).toBe(0);
    // Its clocks all stopped for the expert review, the fire handler may only end it.
    expect(await offered(page)).toEqual(['special-procedure.end']);
  });

  it('while a claim is on its way, the other moves wait for the version it makes, then open their form', async () => {
    const id = await caseOf(JOINT_REVIEW);
    const page = await openCase('water.handler', id);
    // The claim's answer is held back, as on a slow network, until the test lets it through.
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/tasks/*/claim', async (route) => {
      await held;
      await route.continue();
    });
    const before = await versionOf(id);
    await page.locator('[data-move="task.claim"][data-task="review.water"]').click();
    const complete = page.locator('[data-move="task.complete"][data-task="review.water"]');
    expect(await complete.isDisabled()).toBe(true);
    answer();
    await expect.poll(() => complete.isEnabled()).toBe(true);
    expect(await versionOf(id)).toBe(before + 1);
    await complete.click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
  });

  it('in English: the diagram shows where the case is, the clocks explain themselves, and the page passes axe', async () => {
    const id = await caseOf(JOINT_REVIEW);
    const page = await openCase('housing.lead', id, 'en');
    const fireApproved = page.locator('[data-state="construction-permit.jointReview.fire.approved"]');
    await fireApproved.waitFor();
    expect(await fireApproved.getAttribute('data-active')).toBe('true');
    expect(await page.locator('[data-state="construction-permit.jointReview.water.reviewing"]').getAttribute('data-active')).toBe('true');
    expect(await page.locator('[data-state="construction-permit.acceptance"]').getAttribute('data-active')).toBe('false');
    expect(await page.locator('[data-test="diagram"]').getAttribute('aria-label')).toMatch(/^Process diagram: 工程建设项目施工许可 Construction permit\. Where the case is: .*水务审查 Water review/);
    expect(await page.locator('[data-test="diagram-current"]').innerText()).toContain('Where the case is: ');
    // Laid out by the API: the page loads no layout engine of its own (ELK cost each reader a second or more of CPU).
    expect(((await page.evaluate(`performance.getEntriesByType('resource').map((e) => e.name)`)) as string[]).filter((url) => /elk/i.test(url))).toEqual([]);
    expect(await page.locator('[data-clock="committed"] [data-test="clock-explanation"]').innerText()).toMatch(/^Due on 12\/14\/2026 because: 10 working days from 11\/30\/2026, 09:00 on calendar cn\.$/);
    expect(await page.locator('[data-test="case-status"]').innerText()).toBe('In progress');
    await expectAccessible(page);
    await screenshot(page, 'case-en');
  });

  it('the lead extends a limit through a form that asks for days, reason and legal basis before sending', async () => {
    const id = await caseOf(JOINT_REVIEW);
    const page = await openCase('housing.lead', id);
    await page.locator('[data-move="clock.extend"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    const before = await versionOf(id);
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.getByText('请写明延期理由（将告知申请人）。').count()).toBe(1);
    // Each field's check answers on its own: the second message may follow the first.
    await expect.poll(() => dialog.getByText('请写明法律依据及批准情况。').count()).toBe(1);
    expect(await versionOf(id)).toBe(before);
    await page.locator('#extend-days').fill('5');
    await page.locator('#extend-reason').fill('需组织联合现场踏勘 A joint site survey');
    await page.locator('#extend-basis').fill('《行政许可法》第四十二条第二款，经本级人民政府负责人批准');
    await page.locator('#extend-basis').blur();
    await expect.poll(() => dialog.getByText('请写明法律依据及批准情况。').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'case-extend-form');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => page.locator('[data-clock="legal"] [data-test="clock-explanation"]').innerText()).toContain('延长 5 个工作日（理由：需组织联合现场踏勘 A joint site survey；');
    expect(await versionOf(id)).toBe(before + 1);
  });

  it('the window registers the supplement the applicant brought: each material checked before sending, then the case is back at acceptance', async () => {
    const id = await caseOf(SUPPLEMENT);
    const page = await openCase('window.clerk', id);
    expect(await offered(page)).toEqual(['task.withdraw acceptance', 'supplement.submit', 'case.withdraw']);
    // Its clocks wait for the applicant (补正, art. 32): they say so.
    expect(await page.locator('[data-clock="legal"] [data-test="clock-explanation"]').innerText()).toMatch(/^暂停计时中，尚余 15 个工作日，因为：时限为 15 个工作日；自 2026\/11\/30 09:00 起因补正暂停。$/);
    await page.locator('[data-move="supplement.submit"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    const before = await versionOf(id);
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.getByText('请选择材料名称。').count()).toBe(1);
    await expect.poll(() => dialog.getByText('须为 64 位小写十六进制字符。').count()).toBe(1);
    expect(await versionOf(id)).toBe(before);
    // Named as the service item lists it; recorded on paper, by its digest and size (an uploaded file: materials.test.ts).
    await dialog.locator('#material-name-0').click();
    await page.locator('.el-select-dropdown__item', { hasText: '施工合同 Construction contract' }).click();
    await page.locator('#material-sha-0').fill('ab'.repeat(32));
    await page.locator('#material-size-0').fill('52000');
    await page.locator('#material-size-0').blur(); // as a person moving on: the field's check runs again
    await expect.poll(() => dialog.getByText('请填写大小（字节，非负整数）。').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'case-supplement-form');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => page.locator('[data-test="case-step"]').innerText()).toBe('受理审查 Acceptance check');
    expect(await page.locator('[data-test="materials"]').innerText()).toContain('施工合同 Construction contract');
    expect(await offered(page)).toEqual(['task.claim acceptance', 'task.complete acceptance', 'case.withdraw']);
  });
});
