import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVersion, demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Joint reviews, countersigns, returns and withdrawals on the case page, in a real browser over the demo data: a
 * deputy director signs a road occupation permit (或签) and the other deputy's signature is cancelled; a fire
 * handler returns a construction permit to the acceptance window, which cancels the other reviews; the lead adds a
 * member department with its reason, and a change made on a case that moved meanwhile is refused and changes
 * nothing; a handler withdraws their decision (撤回); the window withdraws a case (撤件) after confirming.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

/** The demo cases used here, by applicant. */
const OR_SIGN = '外滩脚手架工程有限公司';
const EXTENDED = '临港新城基础设施投资有限公司';
const AT_THE_WINDOW = '上海浦江建设有限公司';
const FIRE_APPROVED = '申城置业发展有限公司';
const SUPPLEMENT = '静安城市更新建设有限公司';

const caseOf = (applicant: string): Promise<string> => demoCaseId(w, applicant);
const versionOf = (id: string): Promise<number> => caseVersion(w, id);

const openCase = async (user: string, id: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> => {
  const page = await w.open(user, `/cases/${id}`, locale);
  await page.locator('[data-test="case-title"]').waitFor();
  return page;
};

/** The moves the page offers, as `<type> <task or department>` (the data the buttons carry). */
async function offered(page: Page): Promise<string[]> {
  const buttons = page.locator('[data-test="moves"] [data-move]');
  const moves: string[] = [];
  for (let i = 0; i < (await buttons.count()); i++) {
    const button = buttons.nth(i);
    const on = (await button.getAttribute('data-task')) ?? (await button.getAttribute('data-department')) ?? '';
    moves.push(`${await button.getAttribute('data-move')} ${on}`.trim());
  }
  return moves;
}

/** The joint review's moves the page offers (a member added or removed, the review closed), in order of department. */
const memberMoves = async (page: Page): Promise<string[]> => (await offered(page)).filter((m) => m.startsWith('review.')).sort();
const text = (page: Page, selector: string) => page.locator(selector).innerText();
const standing = (page: Page, signerTask: string) => page.locator(`[data-signer="${signerTask}"]`);
const DEPUTY_A = 'signOff.urban-management.deputy-a';
const DEPUTY_B = 'signOff.urban-management.deputy-b';

describe('joint reviews and countersigns on the case page', () => {
  it('或签: deputy A signs the road occupation permit from the case page; deputy B’s signature is cancelled and the permit approved', async () => {
    const id = await caseOf(OR_SIGN);
    const page = await openCase('urban-management.deputy-a', id);
    const panel = page.locator('[data-test="joint-reviews"]');
    await panel.waitFor();
    // Both members reviewed (each required); the sign-off waits for either deputy.
    expect(await text(page, '[data-member-why="traffic-police"]')).toBe('必须参与');
    const signOff = page.locator('[data-countersign="signOff"]');
    expect(await signOff.locator('[data-test="countersign-mode"]').innerText()).toBe('或签（任一人签署即定）');
    expect(await signOff.locator('[data-test="countersign-outcome"]').innerText()).toBe('签署中');
    expect(await standing(page, DEPUTY_A).innerText()).toBe('尚未签署');
    expect(await standing(page, DEPUTY_B).innerText()).toBe('尚未签署');
    // Deputy A signs for themselves: deputy B's task is theirs alone.
    expect((await offered(page)).filter((m) => m.startsWith('task.complete'))).toEqual([`task.complete ${DEPUTY_A}`]);
    await expectAccessible(page);
    await screenshot(page, 'joint-review-or-sign');

    await page.locator(`[data-move="task.complete"][data-task="${DEPUTY_A}"]`).click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    await page.locator('#opinion-text').fill('同意占用，夜间施工 Approved, night works only');
    await dialog.locator('[data-test="submit-move"]').click();

    await expect.poll(() => text(page, '[data-test="case-status"]')).toBe('已准予');
    expect(await signOff.locator('[data-test="countersign-outcome"]').getAttribute('data-outcome')).toBe('approved');
    expect(await standing(page, DEPUTY_A).innerText()).toBe('通过');
    expect(await standing(page, DEPUTY_B).innerText()).toBe('已取消');
    expect(await page.locator(`[data-task-status="${DEPUTY_B}"]`).innerText()).toBe('已取消');
    expect(await offered(page)).toEqual([]);
    expect(await text(page, '[data-test="no-moves"]')).toBe('您当前没有可办理的操作。');

    // Deputy B, in English, reads the same.
    const other = await openCase('urban-management.deputy-b', id, 'en');
    await other.locator('[data-test="joint-reviews"]').waitFor();
    expect(await other.locator('[data-countersign="signOff"] [data-test="countersign-mode"]').innerText()).toBe('any one signer decides (或签)');
    expect(await other.locator('[data-countersign="signOff"] [data-test="countersign-outcome"]').innerText()).toBe('approved');
    expect(await standing(other, DEPUTY_A).innerText()).toBe('Approve');
    expect(await standing(other, DEPUTY_B).innerText()).toBe('cancelled');
    expect(await text(other, '[data-test="case-status"]')).toBe('Approved');
    await expectAccessible(other);
    await screenshot(other, 'joint-review-or-sign-en');
  }, 60_000); // two readers, each page checked by axe: more than one page's time

  it('a return: the fire handler sends a construction permit back to the acceptance window; the other reviews are cancelled', async () => {
    const id = await caseOf(EXTENDED);
    const page = await openCase('fire.handler', id, 'en');
    await page.locator('[data-move="task.complete"][data-task="review.fire"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    // The chooser appears with a return, the definition's default first.
    expect(await dialog.locator('[data-test="return-to"]').count()).toBe(0);
    await dialog.getByRole('radio', { name: 'Return for correction' }).check({ force: true });
    const targets = dialog.locator('[data-test="return-to"] [data-target]');
    await targets.first().waitFor();
    expect(await targets.evaluateAll((els) => els.map((e) => e.getAttribute('data-target')))).toEqual(['correction', 'acceptance']);
    expect(await dialog.getByRole('radio', { name: '退回牵头部门补正 Back to the lead department for correction' }).isChecked()).toBe(true);
    await dialog.getByRole('radio', { name: '退回受理窗口 Back to the acceptance window' }).check({ force: true });
    await page.locator('#opinion-text').fill('消防车道不满足要求，请窗口补收总平面图 The fire lane plan is missing');
    await expectAccessible(page);
    await screenshot(page, 'joint-review-return-form');
    await dialog.locator('[data-test="submit-move"]').click();

    await expect.poll(() => text(page, '[data-test="case-step"]')).toBe('受理审查 Acceptance check');
    for (const review of ['review.ecology', 'review.civil-air-defence', 'review.water']) expect(await text(page, `[data-task-status="${review}"]`)).toBe('Cancelled');
    const tasks = await w.api.sql<{ key: string; status: string }[]>`select key, status from tasks where case_id = ${id} and status in ('open', 'claimed')`;
    expect(tasks.map((t) => t.key)).toEqual(['acceptance']);
  });

  it('the lead adds a member department with its reason; a change sent on a case that moved meanwhile is refused and changes nothing', async () => {
    const id = await caseOf(AT_THE_WINDOW);
    const page = await openCase('housing.lead', id);
    await page.locator('[data-test="joint-reviews"]').waitFor();
    // The application answered nothing: the optional members stay out unless the lead decides.
    expect(await page.locator('[data-member="water"]').innerText()).toBe('不参与');
    expect(await text(page, '[data-member-why="water"]')).toBe('申请表「是否接入公共供水」答：未填写');
    expect(await memberMoves(page)).toEqual(['review.members.change civil-air-defence', 'review.members.change water']);

    await page.locator('[data-move="review.members.change"][data-department="water"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    const before = await versionOf(id);
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.getByText('请写明理由。').count()).toBe(1);
    expect(await versionOf(id)).toBe(before);
    await page.locator('#move-reason').fill('项目拟接入市政供水管网 The project connects to the public water supply');
    await expectAccessible(page);
    await screenshot(page, 'joint-review-add-member');
    await dialog.locator('[data-test="submit-move"]').click();

    await expect.poll(() => page.locator('[data-member="water"]').innerText()).toBe('参与');
    expect(await text(page, '[data-member-why="water"]')).toBe('牵头部门决定增加，理由：项目拟接入市政供水管网 The project connects to the public water supply');
    expect(await text(page, '[data-test="timeline"]')).toContain('housing.lead（housing）将 water 增加为联合审查部门，理由：项目拟接入市政供水管网');
    // Still optional: the lead may take the department out again, or add the other.
    expect(await memberMoves(page)).toEqual(['review.members.change civil-air-defence', 'review.members.change water']);

    // Meanwhile the window accepts the application: the review starts, and its members are settled.
    const acceptance = (await w.api.sql<{ id: string }[]>`select id from tasks where case_id = ${id} and key = 'acceptance' and status in ('open', 'claimed')`)[0]!.id;
    const accepted = await w.api.as('window.clerk').post(`/api/tasks/${acceptance}/complete`, { outcome: 'approve', opinion: { text: '材料齐全', visibility: 'internal' } });
    expect(accepted.status).toBe(200);
    const moved = await versionOf(id);
    await page.locator('[data-move="review.members.change"][data-department="civil-air-defence"]').click();
    await dialog.waitFor();
    await page.locator('#move-reason').fill('有地下车库 An underground car park');
    await dialog.locator('[data-test="submit-move"]').click();
    const problem = page.locator('[data-test="problem"]');
    await expect.poll(() => problem.count()).toBe(1);
    expect(await problem.innerText()).toContain('有人先一步处理了此事项，请重新加载后再试。');
    expect(await versionOf(id)).toBe(moved);
    expect(await page.locator('[data-member="civil-air-defence"]').innerText()).toBe('不参与');
    await problem.locator('[data-test="reload"]').click();
    await expect.poll(() => memberMoves(page)).toEqual([]);
    expect(await page.locator('[data-member="civil-air-defence"]').innerText()).toBe('不参与');
  });

  it('撤回: a handler takes back their approval while the review runs; the step reopens', async () => {
    const id = await caseOf(FIRE_APPROVED);
    const page = await openCase('fire.handler', id);
    expect(await offered(page)).toContain('task.withdraw review.fire');
    await page.locator('[data-move="task.withdraw"][data-task="review.fire"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    await page.locator('#move-reason').fill('漏审地下车库排烟设计 The car park smoke exhaust was not reviewed');
    await dialog.locator('[data-test="submit-move"]').click();
    // The withdrawn task stays on record beside the one reopened.
    await expect.poll(async () => (await page.locator('[data-task-status="review.fire"]').allInnerTexts()).sort()).toEqual(['已撤回', '待办']);
    const after = await offered(page);
    expect(after).toContain('task.complete review.fire');
    expect(after).not.toContain('task.withdraw review.fire');
    expect(await text(page, '[data-test="timeline"]')).toContain('fire.handler（fire）撤回「消防设计审查 Fire protection review」的办理结果，理由：漏审地下车库排烟设计');
  });

  it('撤件: the window withdraws a case for the applicant, asked to confirm first; declined, nothing is sent', async () => {
    const id = await caseOf(SUPPLEMENT);
    const page = await openCase('window.clerk', id);
    expect(await offered(page)).toEqual(['task.withdraw acceptance', 'supplement.submit', 'case.withdraw']);
    await page.locator('[data-move="case.withdraw"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    await page.locator('#move-reason').fill('申请人书面申请撤回 The applicant withdrew in writing');
    const before = await versionOf(id);
    const confirm = page.locator('.el-message-box');

    await dialog.locator('[data-test="submit-move"]').click();
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('撤件后办件即告终结，不能恢复。确定撤件？');
    await expectAccessible(page);
    await screenshot(page, 'joint-review-withdraw-case-confirm');
    await confirm.getByRole('button', { name: '取消' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(await versionOf(id)).toBe(before);
    expect(await dialog.isVisible()).toBe(true);

    await dialog.locator('[data-test="submit-move"]').click();
    await confirm.getByRole('button', { name: '确定撤件' }).click();
    await expect.poll(() => text(page, '[data-test="case-status"]')).toBe('已撤件');
    expect(await text(page, '[data-test="case-step"]')).toBe('撤件时所处：等待补正');
    expect(await offered(page)).toEqual([]);
    expect(await text(page, '[data-test="timeline"]')).toContain('window.clerk（window）办理撤件，理由：申请人书面申请撤回');
  });
});
