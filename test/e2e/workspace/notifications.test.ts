import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerId } from '../../../engine/ids.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 13, notifications in the browser: unread first, each a sentence from its template and data in the reader's
 * language with a link to its case; the header's bell counts the unread ones, and marking one read, or all, lowers it.
 */

let w: WorkspaceBrowser;
/** Waits for what a page shows: its first load fetches the scripts and the API answers, which takes seconds. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });

beforeAll(async () => {
  w = await openWorkspace();
  // Thursday 3 December: the reviews the demo cases opened on Monday reach their yellow rungs (the departments are told).
  w.api.clock.set(new Date('2026-12-03T10:00:00+08:00'));
  const due = await w.api.sql`select id from timers where status = 'pending' and due_at <= ${w.api.clock.now().toISOString()} order by due_at, id`;
  for (const t of due) await w.api.engine.execute({ type: 'timer.fire', timerId: timerId(String(t['id'])) });
}, 90_000);

afterAll(async () => {
  await w?.close();
});

/** The bell's count as the header says it (its label: "未读通知 3 条" / "3 unread notifications"). */
const bell = async (page: Page) => Number(/\d+/.exec((await page.locator('[data-test="bell"]').getAttribute('aria-label')) ?? '')?.[0]);
const unreadCount = async (user: string) => (await w.api.as(user).get('/api/notifications/unread-counts')).body.unread as number;
const rows = (page: Page) => page.locator('[data-test="notifications"] .el-table__body tr');

describe('notifications', () => {
  it('the bell counts the unread ones; each reads as a sentence with its case; marking one read lowers the count (zh-CN)', async () => {
    const leadUnread = await unreadCount('fire.lead');
    const page = await w.open('fire.handler', '/notifications');
    const unread = await unreadCount('fire.handler');
    expect(unread).toBeGreaterThan(1);
    await poll(() => bell(page)).toBe(unread);
    await poll(() => rows(page).count()).toBe(Math.min(unread, 20));
    // Unread first: the first row is unread, and says what happened in words.
    const first = rows(page).first();
    expect(await first.innerText()).toContain('未读');
    const sentences = await page.locator('[data-test="sentence"]').allInnerTexts();
    expect(sentences.some((s) => /^「.+」进入黄色预警（临期）$/.test(s)), sentences.join('\n')).toBe(true);
    expect(sentences.some((s) => /^新的待办「.+」，.+ 前办结$/.test(s)), sentences.join('\n')).toBe(true);
    const [top] = (await w.api.as('fire.handler').get('/api/notifications?pageSize=1')).body.items;
    expect(await first.locator('[data-test="case-link"]').innerText()).toBe(top.caseNumber);
    expect(await first.locator('[data-test="case-link"]').getAttribute('href')).toBe(`/cases/${top.caseId}`);
    await expectAccessible(page);
    await screenshot(page, 'notifications');

    await first.locator('[data-test="mark-read"]').click();
    await poll(() => bell(page)).toBe(unread - 1);
    expect(await unreadCount('fire.handler')).toBe(unread - 1);
    const marked = (await w.api.as('fire.handler').get(`/api/notifications?pageSize=100`)).body.items.find((n: { id: string }) => n.id === top.id);
    expect(marked.read).toBe(true);
    // Read, it moves below the unread ones.
    await poll(() => rows(page).first().innerText()).toContain('未读');

    // Unread only, then all of them read at once: the bell is empty.
    await page.locator('[data-test="unread-only"]').click();
    await poll(() => page.locator('[data-test="total"]').innerText()).toBe(`共 ${unread - 1} 条`);
    await page.locator('[data-test="mark-all"]').click();
    await poll(() => bell(page)).toBe(0);
    expect(await unreadCount('fire.handler')).toBe(0);
    await poll(() => rows(page).count()).toBe(0);
    // Read for the handler only: the department's lead has read none of it.
    expect(await unreadCount('fire.lead')).toBe(leadUnread);
  });

  it('reads in English; the bell leads here from any page (en)', async () => {
    const page = await w.open('water.handler', '/notifications', 'en');
    const unread = await unreadCount('water.handler');
    await poll(() => bell(page)).toBe(unread);
    // The bell and the list are answered by two requests: wait for the list's too.
    const sentences = () => page.locator('[data-test="sentence"]').allInnerTexts();
    await poll(async () => (await sentences()).some((s) => /^“.+” turned yellow \(at risk\)$/.test(s))).toBe(true);
    expect((await sentences()).some((s) => /^New task “.+”, due .+$/.test(s)), (await sentences()).join('\n')).toBe(true);
    expect(await rows(page).first().innerText()).toContain('Unread');
    await expectAccessible(page);
    await screenshot(page, 'notifications-en');
    // The bell in the header leads here from any page.
    await page.goto(`${w.base}/inbox`);
    await page.locator('[data-test="bell"]').click();
    await page.waitForURL(/\/notifications$/);
  });
});
