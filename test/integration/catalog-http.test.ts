import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constructionPermit, constructionPermitItem } from '../../workflows/construction-permit.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

/**
 * The designers' catalogue through the HTTP API: a service item's new version drafted, checked and published (new
 * cases pin it, running ones keep theirs), a definition uploaded as JSON, linted (an error refuses publishing and
 * changes nothing), drawn, simulated and published — and a new item version putting it into use.
 */
let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start } = caseDriver(() => f);

const { code, version: shipped, ...itemContent } = constructionPermitItem;
/** The item versions a designer adds after the shipped one. */
const [second, third] = [shipped + 1, shipped + 2];
const machine = JSON.parse(JSON.stringify(constructionPermit.machine)) as Record<string, any>;
const itemVersions = async () => (await f.as('designer').get(`/api/catalog/service-items/${code}/versions`)).body.items.map((v: { item: { version: number }; status: string }) => `${v.item.version}:${v.status}`);
const clocksOf = async (caseId: string) => {
  const [row] = await f.sql<{ service_item_version: number; definition_version: number; clocks: { id: string; budgetWorkingDays: number }[] }[]>`
    select service_item_version, definition_version, clocks from cases where id = ${caseId}`;
  return { item: row!.service_item_version, definition: row!.definition_version, committed: row!.clocks.find((c) => c.id === 'committed')?.budgetWorkingDays };
};
const securityEvents = async (type: string) => (await f.sql<{ data: Record<string, unknown> }[]>`select data from security_events where type = ${type} order by seq`).map((r) => r.data);

describe('service item versions', () => {
  it('a draft breaking the catalogue’s rules is refused, each problem named, and nothing is saved', async () => {
    const before = await itemVersions();
    const res = await f.as('designer').post(`/api/catalog/service-items/${code}/drafts`, {
      ...itemContent,
      version: second,
      committedLimitDays: 30,
      participatingDepartments: ['fire', 'atlantis'],
      uncountedProcedures: ['public-notice'],
    });
    expect([res.status, res.body.code]).toEqual([422, 'TB-SERVICE-ITEM-INVALID']);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['committedLimitDays', 'participatingDepartments.1', 'uncountedProcedures']));
    expect(await itemVersions()).toEqual(before);
  });

  it('a published version is never drafted again; versions only go forward; a handler cannot draft', async () => {
    const again = await f.as('designer').post(`/api/catalog/service-items/${code}/drafts`, { ...itemContent, version: shipped });
    expect([again.status, again.body.code]).toEqual([409, 'TB-CATALOG-VERSION']);
    const handler = await f.as('housing.handler').post(`/api/catalog/service-items/${code}/drafts`, { ...itemContent, version: second });
    expect([handler.status, handler.body.code]).toEqual([403, 'TB-PERMISSION']);
    const shape = await f.as('designer').post(`/api/catalog/service-items/${code}/drafts`, { ...itemContent, version: second, type: 'wish' });
    expect([shape.status, shape.body.code]).toEqual([400, 'TB-VALIDATION']);
    expect(await itemVersions()).toEqual([`${shipped}:published`]);
  });

  it('a published version is in force: new cases pin it and its limits, a case already running keeps its own', async () => {
    const before = await start();
    const draft = await f.as('designer').post(`/api/catalog/service-items/${code}/drafts`, { ...itemContent, version: second, committedLimitDays: 8 });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', inForce: false, item: { version: second, committedLimitDays: 8 } });
    // A draft is not in force: cases still start under the shipped version.
    expect(await clocksOf(await start())).toMatchObject({ item: shipped, committed: 10 });

    const published = await f.as('designer').post(`/api/catalog/service-items/${code}/versions/${second}/publication`, {});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', inForce: true, publishedBy: expect.any(String) });
    expect(await clocksOf(await start())).toMatchObject({ item: second, committed: 8 });
    expect(await clocksOf(before)).toMatchObject({ item: shipped, committed: 10 });
    expect(await itemVersions()).toEqual([`${second}:published`, `${shipped}:published`]);
    expect(await securityEvents('catalog.service-item-published')).toEqual([{ code, version: second, definition: `construction-permit@${constructionPermit.version}` }]);
    // Published, it never changes.
    const redraft = await f.as('designer').post(`/api/catalog/service-items/${code}/drafts`, { ...itemContent, version: second });
    expect([redraft.status, redraft.body.code]).toEqual([409, 'TB-CATALOG-VERSION']);
    await expect(f.sql`update service_item_versions set content = '{}' where code = ${code} and version = ${second}`).rejects.toThrow(/published/);
  });
});

describe('definitions uploaded, linted, drawn, simulated and published', () => {
  const next = constructionPermit.version + 1;
  const draft = (body: object) => f.as('designer').post('/api/catalog/definitions/construction-permit/drafts', { version: next, title: '施工许可 v6 Construction permit', ...body });
  const published = async () => (await f.sql`select version from process_definitions where key = 'construction-permit' order by version`).map((r) => r['version']);

  it('a draft with a lint error is saved with its findings, and its publication is refused, changing nothing', async () => {
    const broken = structuredClone(machine);
    broken.states.orphan = { entry: [{ type: 'notifyApplicant', params: { template: 'supplement.requested' } }], on: { 'supplement.submitted': 'acceptance' } };
    const saved = await draft({ machine: broken });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.lint.errors).toContainEqual(expect.objectContaining({ rule: 'unreachable-state', state: 'construction-permit.orphan' }));
    const before = await published();
    const refused = await f.as('designer').post(`/api/catalog/definitions/construction-permit/versions/${next}/publication`, {});
    expect([refused.status, refused.body.code]).toEqual([422, 'TB-DEFINITION-LINT']);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ path: expect.stringContaining('orphan') }));
    expect(await published()).toEqual(before);
    expect(await securityEvents('catalog.definition-published')).toEqual([]);
  });

  it('a clean draft is drawn and simulated for designers only, then published once', async () => {
    const saved = await draft({ machine });
    expect(saved.body.lint.errors).toEqual([]);
    const svg = await f.app.request(`/api/definitions/construction-permit/${next}/diagram.svg`, { headers: { authorization: `Bearer ${await f.token('designer')}` } });
    expect([svg.status, svg.headers.get('content-type')]).toEqual([200, 'image/svg+xml; charset=utf-8']);
    expect(await svg.text()).toContain('data-state="construction-permit.jointReview"');
    expect((await f.as('housing.handler').get(`/api/catalog/definitions/construction-permit/versions/${next}`)).status).toBe(404);

    const simulation = await f.as('designer').post(`/api/catalog/definitions/construction-permit/versions/${next}/simulation`, { start: '2026-09-28T09:00+08:00' });
    expect(simulation.status, JSON.stringify(simulation.body)).toBe(200);
    expect(new Set(simulation.body.paths.map((p: { ending: { state: string } }) => p.ending.state))).toEqual(new Set(['issued', 'refused', 'notAccepted']));
    // Counted on the real calendar: no move of any path falls due in the National Day holiday (1–8 October 2026).
    const dueDates = simulation.body.paths.flatMap((p: { moves: { dueDate: string | null }[] }) => p.moves.map((m) => m.dueDate)).filter(Boolean);
    expect(dueDates.filter((d: string) => d >= '2026-10-01' && d <= '2026-10-08')).toEqual([]);

    const res = await f.as('designer').post(`/api/catalog/definitions/construction-permit/versions/${next}/publication`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'published', version: next });
    expect(await published()).toContain(next);
    expect(await securityEvents('catalog.definition-published')).toEqual([expect.objectContaining({ key: 'construction-permit', version: next })]);
    const again = await f.as('designer').post(`/api/catalog/definitions/construction-permit/versions/${next}/publication`, {});
    expect([again.status, again.body.code]).toEqual([404, 'TB-DRAFT-404']);
  });

  it('cases run on the new definition once an item version names it; cases already running stay on theirs', async () => {
    const running = await start();
    const item = await f.as('designer').post(`/api/catalog/service-items/${code}/drafts`, { ...itemContent, version: third, definitionVersion: next });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    expect((await f.as('designer').post(`/api/catalog/service-items/${code}/versions/${third}/publication`, {})).status).toBe(200);
    expect(await clocksOf(await start(CONSTRUCTION_APPLICATION))).toMatchObject({ item: third, definition: next });
    expect(await clocksOf(running)).toMatchObject({ item: second, definition: constructionPermit.version });
  });
});
