import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_QUERY_CODE } from '../../../apps/demo-cases.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 进度查询 and 好差评 in a real browser over the demo data (every demo case's query code is `DEMO_QUERY_CODE`): the
 * applicant, signed in nowhere, follows a case in its joint review, and one due past the calendar's official data (its
 * date marked provisional); a wrong code is refused; the refused case is rated badly, in English; the housing lead
 * answers the fix task (整改) from the workspace, and the applicant reads the answer.
 * The window issues a new code from the case page: the old one stops working.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const IN_REVIEW = '申城置业发展有限公司';
const REFUSED = '东海物流园开发有限公司';
const AT_THE_WINDOW = '上海浦江建设有限公司';
/** Not a demo case's applicant: the case this file starts late in the year. */
const LATE_IN_THE_YEAR = '上海岁末置业有限公司';
const numberOf = async (applicant: string) => (await w.api.sql<{ number: string }[]>`select number from cases where applicant->>'name' = ${applicant}`)[0]?.number ?? '';
/** Names as the language lists them (`Intl.ListFormat`): 「甲、乙和丙」, "a, b, and c" — not 「、」 in every language. */
const listed = (locale: 'zh-CN' | 'en', names: readonly string[]) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(names);

/** The progress page, signed in nowhere, after a look-up of `caseNumber` with `code`. */
async function lookUp(caseNumber: string, code: string, locale: 'zh-CN' | 'en' = 'zh-CN', page?: Page): Promise<Page> {
  const p = page ?? (await w.open(null, '/progress', locale));
  await p.locator('#progress-case-number').fill(caseNumber);
  await p.locator('#progress-query-code').fill(code);
  await p.locator('[data-test="look-up"]').click();
  return p;
}

describe('the applicant’s progress page', () => {
  it('follows a case with its number and query code: status, who is awaited, the steps, the promised date — no internal opinion', async () => {
    const caseNumber = await numberOf(IN_REVIEW);
    const page = await lookUp(caseNumber, DEMO_QUERY_CODE.toLowerCase());
    await page.locator('[data-test="progress"]').waitFor();
    expect(await page.locator('[data-test="progress-status"]').innerText()).toBe('办理中');
    const reviewing = (await w.api.as(null).post('/api/public/progress', { caseNumber, queryCode: DEMO_QUERY_CODE })).body.awaited.departments.map((d: { name: string }) => d.name);
    expect(reviewing.length).toBeGreaterThan(2);
    expect(await page.locator('[data-test="awaited"]').innerText()).toBe(`${listed('zh-CN', reviewing)}正在审查`);
    expect(await page.locator('[data-test="current-steps"] li').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-test="due"]').innerText()).toMatch(/\d{4}/);
    // Due within the calendar's official data: a date, not an estimate.
    expect(await page.locator('[data-test="provisional"]').count()).toBe(0);
    expect(await page.locator('[data-test="milestones"]').innerText()).toContain('窗口受理');
    // No rating before the case ended; nobody signed in.
    expect(await page.locator('[data-test="rating-form"]').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'progress-query');

    await page.locator('[data-test="language"]').click();
    await page.getByRole('option', { name: 'English' }).click();
    await expect.poll(() => page.locator('[data-test="awaited"]').innerText()).toBe(`${listed('en', reviewing)} reviewing`);
  });

  it('a due date counted past the calendar’s official data is marked provisional, and says why', async () => {
    // Started in late December 2026: due in 2027, whose holidays are not published yet.
    const now = w.api.clock.now();
    w.api.clock.set(new Date('2026-12-28T10:00:00+08:00'));
    try {
      const started = await w.api.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, applicant: { ...CONSTRUCTION_APPLICATION.applicant, name: LATE_IN_THE_YEAR } });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const page = await lookUp(await numberOf(LATE_IN_THE_YEAR), started.body.queryCode);
      const tag = page.locator('[data-test="provisional"]');
      await expect.poll(() => tag.innerText()).toBe('暂定');
      await tag.hover();
      await expect.poll(() => page.locator('.el-popper', { hasText: '按尚未公布的节假日安排估算' }).isVisible()).toBe(true);
      await expectAccessible(page);
    } finally {
      w.api.clock.set(now);
    }
  });

  it('a wrong code is refused, telling nothing of the case', async () => {
    const page = await lookUp(await numberOf(IN_REVIEW), 'WRNG2345');
    await expect.poll(() => page.locator('[data-test="progress-refused"]').innerText()).toBe('受理编号或查询码不正确。');
    expect(await page.locator('[data-test="progress"]').count()).toBe(0);
  });

  it('an ended case is rated (in English); the lead department answers the fix task; the applicant reads the answer', async () => {
    const caseNumber = await numberOf(REFUSED);
    const page = await lookUp(caseNumber, DEMO_QUERY_CODE, 'en');
    await page.locator('[data-test="rating-form"]').waitFor();
    expect(await page.locator('[data-test="progress-status"]').innerText()).toBe('Refused');
    // The departments' reasons were internal opinions: the applicant reads the decision, not them.
    expect(await page.locator('[data-test="progress"]').innerText()).not.toContain('水源保护区');

    await page.locator('[data-test="score"] .el-rate__item').nth(0).click();
    // A bad rating says why: refused by the form, nothing sent.
    await page.locator('[data-test="send-rating"]').click();
    await expect.poll(() => page.locator('[data-test="rating-form"] .el-form-item__error').innerText()).toBe('Tell us what went wrong');
    await page.locator('#rating-comment').fill('Nobody told me about the water protection zone before I applied.');
    await expectAccessible(page);
    await page.locator('[data-test="send-rating"]').click();
    await expect.poll(() => page.locator('[data-test="rating"]').innerText()).toContain('Your rating: Very dissatisfied');
    expect(await page.locator('[data-test="rating"]').innerText()).toContain('The lead department is looking into it');

    const lead = await w.open('housing.lead', '/fix-tasks');
    const row = lead.locator('[data-test="fix-tasks"] .el-table__row', { hasText: caseNumber });
    await row.waitFor();
    expect(await row.innerText()).toContain('非常不满意');
    await expectAccessible(lead);
    await screenshot(lead, 'fix-tasks');
    await row.locator('[data-test="answer-fix"]').click();
    await lead.locator('#fix-answer').fill('已在受理前增设选址预审提示 We now flag protection zones before intake.');
    await lead.locator('[data-test="send-fix-answer"]').click();
    await expect.poll(() => row.count()).toBe(0);

    await lookUp(caseNumber, DEMO_QUERY_CODE, 'en', page);
    await expect.poll(() => page.locator('[data-test="rating-answer"]').innerText()).toContain('We now flag protection zones before intake.');
    await screenshot(page, 'progress-rating-answered');
  });

  it('the intake window issues a new query code from the case page, shown once; the old one stops working', async () => {
    const [row] = await w.api.sql<{ id: string; number: string }[]>`select id, number from cases where applicant->>'name' = ${AT_THE_WINDOW}`;
    const lead = await w.open('housing.lead', `/cases/${row?.id}`);
    await lead.locator('[data-test="case-title"]').waitFor();
    expect(await lead.locator('[data-test="issue-query-code"]').count()).toBe(0);

    const page = await w.open('window.clerk', `/cases/${row?.id}`);
    await page.locator('[data-test="issue-query-code"]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    const issued = page.locator('#issued-query-code');
    await expect.poll(() => issued.inputValue()).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    await expectAccessible(page);
    const code = await issued.inputValue();

    const applicant = await lookUp(row?.number ?? '', DEMO_QUERY_CODE);
    await applicant.locator('[data-test="progress-refused"]').waitFor();
    await lookUp(row?.number ?? '', code, 'zh-CN', applicant);
    await expect.poll(() => applicant.locator('[data-test="progress-status"]').innerText()).toBe('办理中');
  });
});
