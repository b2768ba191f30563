import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 抄送 with its read receipt, and 批注, on the case page, in a real browser over the demo data (the construction permit
 * whose legal limit was extended: its fire review is open). The fire handler copies it to a person of market
 * regulation, who takes no part in it; that person finds it in "copied to me" in the inbox, opens it (read-only:
 * nothing to do there but 已阅, beside the copies) and marks it read; the fire handler then sees the read receipt. The fire handler
 * comments on the case; the window reads the public comment, in English.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const EXTENDED = '临港新城基础设施投资有限公司';
const NOTE = '请知悉：项目涉及市场监管备案';

const openCase = async (user: string, id: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> => {
  const page = await w.open(user, `/cases/${id}`, locale);
  await page.locator('[data-test="case-title"]').waitFor();
  return page;
};
const receipts = (page: Page) => page.locator('[data-test="copies"] [data-test="copy-receipt"]').allInnerTexts();

describe('抄送, 已阅 and 批注 on the case page', () => {
  it('the fire handler copies the case to a person of another department, typed by their id: unread', async () => {
    const id = await demoCaseId(w, EXTENDED);
    const sender = await openCase('fire.handler', id);
    await sender.locator('[data-move="case.copy"]').click();
    const dialog = sender.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    // Nobody chosen: refused by the form, nothing sent.
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(1);
    expect((await w.api.sql`select count(*)::int as n from case_copies where case_id = ${id}`)[0]?.['n']).toBe(0);

    // A person of another department is typed by their id (there is no list of other departments' people).
    const people = dialog.locator('[data-test="copy-people"] input');
    await people.fill('market.handler');
    await people.press('Enter');
    await sender.locator('#copy-note').fill(NOTE);
    await expectAccessible(sender);
    await screenshot(sender, 'copy-form');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => receipts(sender)).toEqual(['未阅']);
    expect(await sender.locator('[data-test="copies"] [data-test="copy-recipient"]').innerText()).toContain('market.handler');
    await expect.poll(() => sender.locator('[data-test="timeline"]').innerText()).toContain('抄送给 market.handler');
  });

  it('the recipient finds it in the inbox’s "copied to me", opens the case read-only and marks it read (已阅)', async () => {
    // The recipient: in the inbox's "copied to me", unread; the case opens read-only, with 已阅 the one thing to do.
    const recipient = await w.open('market.handler', '/inbox?view=copied');
    const row = recipient.locator('[data-test="copied"] .el-table__row', { hasText: NOTE });
    await row.waitFor();
    expect(await row.locator('[data-test="copied-state"]').innerText()).toBe('未阅');
    await expectAccessible(recipient);
    await screenshot(recipient, 'copied-to-me');
    await row.locator('[data-test="case-link"]').click();
    await recipient.locator('[data-test="case-title"]').waitFor();
    await recipient.locator('[data-move="copy.read"]').waitFor();
    expect(await recipient.locator('[data-move]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-move')))).toEqual(['copy.read']);
    await recipient.locator('[data-move="copy.read"]').click();
    await expect.poll(() => recipient.locator('[data-move]').count()).toBe(0);
    await expect.poll(() => receipts(recipient)).toEqual([expect.stringContaining('已阅')]);
    // Read, it leaves the recipient's unread list.
    await recipient.goto(`${w.base}/inbox?view=copied`);
    await recipient.locator('[data-test="copied"]').waitFor();
    await expect.poll(() => recipient.locator('[data-test="copied"] .el-table__row', { hasText: NOTE }).count()).toBe(0);
  });

  it('the sender sees who read it, and when', async () => {
    const sender = await openCase('fire.handler', await demoCaseId(w, EXTENDED));
    await expect.poll(() => receipts(sender)).toEqual([expect.stringMatching(/market handler.*已阅/)]);
    await screenshot(sender, 'copy-read-receipt');
  });

  it('批注: the fire handler comments publicly', async () => {
    const id = await demoCaseId(w, EXTENDED);
    const page = await openCase('fire.handler', id);
    await page.locator('[data-move="case.comment"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    await page.locator('#comment-text').fill('消防车道宽度需现场核实');
    await dialog.getByRole('radio', { name: '申请人亦可见' }).check({ force: true });
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => page.locator('[data-test="comments"]').innerText()).toContain('消防车道宽度需现场核实');
  });

  it('批注: the window reads the public comment, in English', async () => {
    const id = await demoCaseId(w, EXTENDED);
    const window = await openCase('window.clerk', id, 'en');
    await expect.poll(() => window.locator('[data-test="comments"]').innerText()).toContain('消防车道宽度需现场核实');
    expect(await window.locator('[data-test="timeline"]').innerText()).toContain('commented on the case');
    await expectAccessible(window);
  });
});
