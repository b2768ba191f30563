import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openWorkspace, screenshot, settled, VIEWPORT, type WorkspaceBrowser } from '../../support/workspace-browser.js';

type Tree = { [key: string]: string | Tree };
type Catalogue = { 'zh-CN': Tree; en: Tree };

/** Every text of the workspace's message files (shell, the words of a process, pages), per language, keyed by path. */
async function catalogue(): Promise<Map<string, { zh: string; en: string }>> {
  const files = [resolve('web/src/messages/shell.ts'), resolve('diagram/process-words.ts'), ...readdirSync('web/src/pages').map((page) => resolve('web/src/pages', page, 'messages.ts'))];
  const texts = new Map<string, { zh: string; en: string }>();
  const walk = (zh: Tree, en: Tree, path: string) => {
    for (const [key, value] of Object.entries(zh)) {
      const other = en[key];
      if (typeof value === 'string') texts.set(`${path}${key}`, { zh: value, en: typeof other === 'string' ? other : '' });
      else walk(value, typeof other === 'object' ? other : {}, `${path}${key}.`);
    }
  };
  // Imported by path: the pages' files are the workspace's (Vite's resolution), not this project's TypeScript.
  for (const file of files) walk(((await import(file)) as { default: Catalogue }).default['zh-CN'], ((await import(file)) as { default: Catalogue }).default.en, '');
  return texts;
}

/** A case with an open fire review: the fire handler's to open. */
const fireCasePath = async (w: WorkspaceBrowser) =>
  `/cases/${(await w.api.sql<{ case_id: string }[]>`SELECT case_id FROM tasks WHERE department_code = 'fire' AND completed_at IS NULL LIMIT 1`)[0]!.case_id}`;

/**
 * The pages as each role opens them. Every page of web/src/pages must be here (a test checks it), so a new page
 * cannot skip the language check.
 */
const PAGES: readonly { page: string; user: string | null; path: string | ((w: WorkspaceBrowser) => Promise<string>) }[] = [
  { page: 'sign-in', user: null, path: '/sign-in' },
  { page: 'inbox', user: 'housing.handler', path: '/inbox' },
  { page: 'notifications', user: 'fire.handler', path: '/notifications' },
  { page: 'case', user: 'fire.handler', path: (w) => fireCasePath(w) },
  { page: 'notices', user: 'fire.handler', path: '/notices' },
  { page: 'supervision', user: 'supervisor', path: '/supervision' },
  { page: 'calendars', user: 'admin', path: '/calendars' },
  { page: 'designer', user: 'designer', path: '/designer' },
  { page: 'admin', user: 'admin', path: '/admin' },
  { page: 'me', user: 'water.handler', path: '/me' },
  { page: 'verify', user: null, path: '/verify' },
  { page: 'progress', user: null, path: '/progress' },
  { page: 'fix-tasks', user: 'housing.lead', path: '/fix-tasks' },
];

let w: WorkspaceBrowser;
let texts: Map<string, { zh: string; en: string }>;

beforeAll(async () => {
  [w, texts] = await Promise.all([openWorkspace(), catalogue()]);
}, 60_000);

afterAll(async () => {
  await w?.close();
});

/**
 * What the page shows in words: each visible text node, and the labels people hear or see in fields (aria-label,
 * placeholder, title), trimmed. Data (names, department names) may be bilingual; a text node is interface text when
 * it is exactly a catalogue text.
 */
const SHOWN = `(() => {
  const shown = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (text && element && element.checkVisibility()) shown.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (!element.checkVisibility()) continue;
    for (const name of ['aria-label', 'placeholder', 'title']) if (element.getAttribute(name)) shown.push(element.getAttribute(name).trim());
  }
  return shown;
})()`;

/** Catalogue texts of `language` that the page shows while it is in the other one (those alike in both excepted). */
async function leftovers(page: Page, language: 'zh' | 'en'): Promise<string[]> {
  const shown = new Set((await page.evaluate(SHOWN)) as string[]);
  return [...texts.entries()].filter(([, t]) => t.zh !== t.en && shown.has(t[language])).map(([key, t]) => `${key}: ${t[language]}`);
}

/** How many catalogue texts of `language` the page shows: the check above is only worth something when it is many. */
async function shownTexts(page: Page, language: 'zh' | 'en'): Promise<number> {
  const shown = new Set((await page.evaluate(SHOWN)) as string[]);
  return [...texts.values()].filter((t) => shown.has(t[language])).length;
}

describe('the language switch', () => {
  it('every page of the workspace is in the list below', () => {
    expect(PAGES.map((p) => p.page).sort()).toEqual(readdirSync('web/src/pages').sort());
    expect(texts.size).toBeGreaterThan(50);
  });

  // One visit per page for every check: opening a page (sign-in, its requests, settling) is most of each one's time.
  it.each(PAGES)('$page: usable on a tablet (768 × 1024) in Chinese; switching to English changes every visible text', async ({ page: name, user, path }) => {
    const page = await w.open(user, typeof path === 'string' ? path : await path(w), 'zh-CN');
    await page.locator('[data-test="language"]').waitFor();
    await settled(page);
    expect(await leftovers(page, 'en')).toEqual([]);
    expect(await shownTexts(page, 'zh')).toBeGreaterThanOrEqual(3);

    // On a tablet, in Chinese as it opened: nothing wider than the screen.
    await page.setViewportSize({ width: 768, height: 1024 });
    await settled(page);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `${name}.tablet`);
    await page.setViewportSize(VIEWPORT);

    await page.locator('[data-test="language"]').click();
    await page.getByRole('option', { name: 'English' }).click();
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('en');
    await settled(page);
    expect(await leftovers(page, 'zh')).toEqual([]);
    expect(await shownTexts(page, 'en')).toBeGreaterThanOrEqual(3);
    // Switching checks no form nobody has filled in: a page just opened shows no field as wrong.
    expect(await page.locator('.el-form-item__error').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, `${name}.en`);
  });

  // The choice belongs to the shell, not to a page: one page with data (the case) says it for all.
  it('the language chosen is remembered on the next visit, and switching back to Chinese changes every text again', async () => {
    const page = await w.open('fire.handler', await fireCasePath(w), 'zh-CN');
    await page.locator('[data-test="language"]').click();
    await page.getByRole('option', { name: 'English' }).click();
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('en');
    await page.reload();
    await page.locator('[data-test="language"]').waitFor();
    await settled(page);
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await leftovers(page, 'zh')).toEqual([]);
    await page.locator('[data-test="language"]').click();
    await page.getByRole('option', { name: '中文' }).click();
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    // What the switch fetched again in Chinese (a case's diagram, whose words the API lays out) has come.
    await settled(page);
    expect(await leftovers(page, 'en')).toEqual([]);
    expect(await shownTexts(page, 'zh')).toBeGreaterThanOrEqual(3);
  });
});
