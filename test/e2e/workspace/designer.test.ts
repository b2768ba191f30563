import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDriver } from '../../support/case-driver.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 16, the designer page in the browser: a new version of the construction permit uploaded, drawn, linted,
 * simulated and published; a draft with an unreachable state shown with its lint error and refused at publication
 * (it stays a draft); the running case migrated to the new version after a dry run; a new service item version
 * refused field by field, then saved and published.
 */

let w: WorkspaceBrowser;
let page: Page;
let machine: Record<string, unknown>;
let shipped: number;
let caseId: string;
const KEY = 'construction-permit';

beforeAll(async () => {
  w = await openWorkspace({ demoCases: false });
  const designs = await w.api.as('designer').get('/api/catalog/definitions');
  shipped = Math.max(...designs.body.items.filter((d: { key: string }) => d.key === KEY).map((d: { version: number }) => d.version));
  machine = (await w.api.as('designer').get(`/api/catalog/definitions/${KEY}/versions/${shipped}`)).body.machine;
  caseId = await caseDriver(() => w.api).start();
  page = await w.open('designer', '/designer?tab=definitions');
}, 60_000);

afterAll(async () => {
  await w?.close();
});

/** The version's status as the API tells it; null when there is no such version. */
async function designStatus(version: number): Promise<string | null> {
  const res = await w.api.as('designer').get(`/api/catalog/definitions/${KEY}/versions/${version}`);
  return res.status === 200 ? res.body.status : null;
}
const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
/** Clicks the confirming button of the message box that asks. */
const confirmWith = (name: string) => page.getByRole('dialog').getByRole('button', { name, exact: true }).click();
/** Picks `option` in the Element Plus select `selector`. */
async function pick(selector: string, option: string) {
  await page.locator(selector).click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: option, exact: true }).click();
}

async function upload(version: number, title: string, json: object) {
  await pick('[data-test="definition-key"]', KEY);
  await page.locator('#upload-version').fill(String(version));
  await page.locator('#upload-title-field').fill(title);
  await page.locator('#upload-machine').fill(JSON.stringify(json));
  await page.locator('[data-test="upload-draft"]').click();
  await expect.poll(() => page.locator('#definition-version-title').innerText()).toContain(`${KEY} 第 ${version} 版`);
  await page.locator('[data-test="lint"] ul, [data-test="lint-clean"]').first().waitFor();
}

describe('a new version of a definition', () => {
  it('is uploaded, drawn without a lint error, simulated with its due dates, and published', async () => {
    await expect.poll(() => page.locator('nav a', { hasText: '流程设计' }).count()).toBe(1);
    const next = shipped + 1;
    // Invalid JSON is refused in the page: nothing is sent.
    await pick('[data-test="definition-key"]', KEY);
    await page.locator('#upload-title-field').fill('施工许可 Construction permit');
    await page.locator('#upload-machine').fill('{ "id": ');
    await page.locator('[data-test="upload-draft"]').click();
    await expect.poll(() => page.getByText('不是有效的 JSON，未上传。').count()).toBe(1);
    expect(await designStatus(next)).toBeNull();

    await upload(next, '施工许可 v6 Construction permit', machine);
    const diagram = page.locator('[data-test="definition-diagram"]');
    await expect.poll(() => diagram.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await page.locator('[data-test="lint-errors"]').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'designer-definition');

    await tab('模拟');
    expect(await page.locator('#simulation-title').innerText()).toBe(`模拟 ${KEY} 第 ${next} 版`);
    await page.locator('[data-test="simulate"]').click();
    const paths = page.locator('[data-test="simulation-paths"] .el-table__body tr');
    await expect.poll(() => paths.count()).toBeGreaterThanOrEqual(3);
    expect(await paths.first().innerText()).toMatch(/\d{4}\/\d{2}\/\d{2}/);
    await page.locator('[data-test="simulated-path"] summary').first().click();
    const dues = await page.locator('[data-test="simulated-path"]').first().locator('[data-test="move-due"]').allInnerTexts();
    expect(dues.filter((d) => /^\d{4}\/\d{2}\/\d{2}$/.test(d)).length).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'designer-simulation');

    await tab('流程定义');
    await page.locator('[data-test="publish-definition"]').click();
    await confirmWith('发布此版本');
    await expect.poll(() => page.locator('[data-test="publish-definition"]').count()).toBe(0);
    const row = page.locator('[data-test="definition-versions"] .el-table__body tr', { hasText: 'v6 Construction permit' });
    expect(await row.locator('[data-test="definition-status"]').innerText()).toBe('已发布');
    expect(await designStatus(next)).toBe('published');
  });

  it('with an unreachable state shows the lint error at that state, and publishing it is refused: it stays a draft', async () => {
    const version = shipped + 2;
    const states = machine['states'] as Record<string, unknown>;
    const broken = { ...machine, states: { ...states, orphan: { on: { 'supplement.submitted': 'acceptance' } } } };
    await upload(version, '施工许可 孤立状态 orphan', broken);
    const errors = page.locator('[data-test="lint-errors"]');
    const finding = errors.locator('[data-test="lint-finding"]', { hasText: '不可到达的状态' });
    expect(await finding.innerText()).toContain(`${KEY}.orphan`);
    await page.locator('[data-test="publish-definition"]').click();
    await confirmWith('发布此版本');
    const refusal = page.locator('[data-test="definition-version"] [data-test="refusal"]');
    await expect.poll(() => refusal.count()).toBe(1);
    expect(await refusal.innerText()).toContain('orphan');
    expect(await designStatus(version)).toBe('draft');
    await expectAccessible(page);
    await screenshot(page, 'designer-lint-refused');
  });
});

describe('migrating the running cases', () => {
  it('reports what the migration would do, then moves the case to the new version', async () => {
    await tab('版本迁移');
    await pick('[data-test="migration-key"]', KEY);
    // The mapping of the key picked (not of the key shown first), its states all there: the dry run is offered again.
    const rows = page.locator('[data-test="migration-mapping"] .el-table__body tr');
    await expect.poll(async () => (await rows.allInnerTexts()).filter((row) => row.startsWith(`${KEY}.`)).length).toBeGreaterThan(3);
    await expect.poll(() => page.locator('[data-test="dry-run"]').isEnabled()).toBe(true);
    await page.locator('[data-test="dry-run"]').click();
    const totals = page.locator('[data-test="dry-run-totals"]');
    await expect.poll(() => totals.count()).toBe(1);
    expect(await totals.innerText()).toMatch(/^共 1 件：可迁移 1 件，拒绝 0 件/);
    await expectAccessible(page);
    await screenshot(page, 'designer-migration-dry-run');
    await page.locator('[data-test="apply-migration"]').click();
    await confirmWith('执行迁移');
    await expect.poll(() => page.locator('[data-test="migration-counts"]').innerText().catch(() => '')).toBe('已迁移 1 件，拒绝 0 件，共 1 件。');
    const [row] = await w.api.sql<{ definition_version: number }[]>`select definition_version from cases where id = ${caseId}`;
    expect(row?.definition_version).toBe(shipped + 1);
  });
});

describe('a new version of a service item', () => {
  it('is refused field by field when it breaks the rules, then saved as a draft and published', async () => {
    await tab('事项清单');
    await page.locator('[data-test="items"] .el-table__body tr', { hasText: KEY }).locator('[data-test="choose-item"]').click();
    const versions = page.locator('[data-test="item-version-rows"] .el-table__body tr');
    await versions.first().waitFor();
    const before = await versions.count();
    await page.locator('[data-test="new-item-version"]').click();
    const committed = page.locator('#item-committed-limit');
    await committed.fill('3000');
    await committed.blur();
    await page.locator('[data-test="save-item"]').click();
    const fieldError = page.locator('[data-test="item-draft"] .el-form-item:has(#item-committed-limit) .el-form-item__error');
    // The API's problem under the field it names.
    await expect.poll(() => fieldError.innerText().catch(() => '')).toContain('legal limit');
    expect(await versions.count()).toBe(before);

    await committed.fill('8');
    await committed.blur();
    await page.locator('[data-test="save-item"]').click();
    await expect.poll(() => versions.count()).toBe(before + 1);
    expect(await versions.first().locator('[data-test="item-status"]').innerText()).toBe('草稿');
    await versions.first().locator('[data-test="publish-item"]').click();
    await confirmWith('发布');
    await expect.poll(() => versions.first().locator('[data-test="item-status"]').innerText()).toBe('已发布');
    expect(await versions.first().innerText()).toContain('现行');
    const api = await w.api.as('designer').get(`/api/catalog/service-items/${KEY}/versions`);
    expect(api.body.items[0]).toMatchObject({ status: 'published', inForce: true, item: { committedLimitDays: 8 } });
    await expectAccessible(page);
    await screenshot(page, 'designer-catalogue');
  });
});

describe('in English', () => {
  it('every tab is in English, and accessible', async () => {
    const en = await w.open('designer', '/designer', 'en');
    const tabs: [string, string | RegExp][] = [
      ['Catalogue', 'Service-item catalogue'],
      ['Definitions', 'Process definitions'],
      ['Simulation', /^Simulate [a-z-]+ version \d+$/],
      ['Migration', 'Migrating running cases'],
    ];
    for (const [name, heading] of tabs) {
      await en.getByRole('tab', { name, exact: true }).click();
      await expect.poll(() => en.getByRole('heading', { name: heading, exact: true }).count()).toBe(1);
      await expectAccessible(en);
    }
    await en.context().close();
  });
});
