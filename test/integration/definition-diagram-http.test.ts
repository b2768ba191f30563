import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionGraph } from '../../engine/definitions/definition-graph.js';
import { compileDefinition } from '../../engine/definitions/process-definition.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseFootprint } from '../support/case-footprint.js';
import { caseDriver } from '../support/case-driver.js';

/**
 * A published definition drawn as SVG (`GET /api/definitions/{key}/{version}/diagram.svg`): the shipped
 * construction permit, every state a `<g data-state>` with its words, every transition an arrow with its label;
 * with `?caseId=` the states a case is in highlighted, for those who may read the case and only on the version it
 * runs on; in the language asked for. Real PostgreSQL, the API in memory.
 */

let f: ApiFixture;
let caseId: string;
const { startInJointReview, complete } = caseDriver(() => f);
beforeAll(async () => {
  f = await createApiFixture();
  caseId = await startInJointReview();
  await complete('fire.handler', 'review.fire', caseId);
}, 60_000);
afterAll(() => f.close());

const VERSION = constructionPermit.version;
const PATH = `/api/definitions/construction-permit/${VERSION}/diagram.svg`;
const graph = definitionGraph(compileDefinition(constructionPermit));

/** A GET as `user` with headers of its own, answered as status, headers and text (parsed when it is a problem). */
async function get(user: string | null, path: string, headers: Record<string, string> = {}) {
  const auth: Record<string, string> = user ? { authorization: `Bearer ${await f.token(user)}` } : {};
  const res = await f.app.request(path, { headers: { ...auth, ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, problem: res.headers.get('content-type')?.includes('problem+json') ? (JSON.parse(text) as { code: string }) : null };
}

/** Each state's group in the document: its id, classes, whether it is marked current, and its `<title>`. */
function stateGroups(svg: string) {
  return [...svg.matchAll(/<g class="([^"]*)" data-state="([^"]*)" data-active="(true|false)"( aria-current="step")?><title>([^<]*)<\/title><rect ([^>]*)\/>/g)].map((m) => ({
    id: m[2] ?? '',
    classes: (m[1] ?? '').split(' '),
    active: m[3] === 'true',
    current: m[4] !== undefined,
    title: m[5] ?? '',
    frame: m[6] ?? '',
  }));
}

const arrowLabels = (svg: string) => [...svg.matchAll(/<g class="arrow[^"]*" data-transition="[^"]*"><path [^>]*\/><text [^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1]);

describe('GET /api/definitions/{key}/{version}/diagram.svg', () => {
  it('draws the shipped construction permit: every state with its words, every transition, nothing highlighted without a case', async () => {
    const res = await get('designer', PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(res.text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 [\d.]+ [\d.]+" [^>]*role="img" aria-label="流程图：工程建设项目施工许可 Construction permit"/);
    expect(res.text).toContain('<title>流程图：工程建设项目施工许可 Construction permit</title>');
    // Self-contained: no stylesheet, script, link or image to fetch.
    expect(res.text).not.toMatch(/<style|<script|<image|href=|@import/);

    const groups = stateGroups(res.text);
    expect(groups.map((g) => g.id).sort()).toEqual(graph.states.filter((s) => s.parent !== null).map((s) => s.id).sort());
    const title = (id: string) => groups.find((g) => g.id === `construction-permit.${id}`)?.title;
    expect(title('jointReview.fire.reviewing')).toBe('消防设计审查 Fire protection review 部门：fire');
    expect(title('jointReview')).toBe('联合审查');
    expect(title('supplement')).toBe('等待补正 计时暂停（补正）');
    expect(title('publicNotice')).toBe('公示 计时暂停（公示） 5 个工作日');
    for (const s of graph.states.filter((state) => state.task)) expect(title(s.id.slice('construction-permit.'.length))).toContain(s.task?.title);

    // Every transition is drawn (those with the same ends and words as one arrow), labelled in words.
    const labels = arrowLabels(res.text);
    expect(labels.length).toBeGreaterThan(30);
    expect(labels).toEqual(expect.arrayContaining(['退回受理窗口 Back to the acceptance window', '全部办结（有部门不予同意）', '全部办结（否则）', '不参与审查', '通过', '撤回']));
    // An arrow a transition, and one from each start dot to the state entered first.
    expect(res.text.match(/<path d="M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+"/g)?.length).toBe(labels.length + (res.text.match(/<circle /g)?.length ?? 0));
    expect(res.text.match(/<circle /g)?.length).toBe(graph.states.filter((s) => s.initial).length);

    expect(groups.filter((g) => g.active || g.current || g.classes.includes('active'))).toEqual([]);
    expect(res.text).not.toContain('arrow active');
  });

  it('with a case: the states it is in carry the class, aria-current and a thick accent border, and the title says where it is', async () => {
    const res = await get('fire.handler', `${PATH}?caseId=${caseId}&lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('en');
    const { body: diagram } = await f.as('fire.handler').get(`/api/cases/${caseId}/diagram`);
    const active: string[] = diagram.active;
    expect(active).toEqual(expect.arrayContaining(['construction-permit.jointReview.fire.approved', 'construction-permit.jointReview.water.reviewing']));

    const groups = stateGroups(res.text);
    expect(groups.filter((g) => g.active).map((g) => g.id)).toEqual(active);
    for (const g of groups) {
      expect({ id: g.id, marked: [g.classes.includes('active'), g.current, g.frame.includes('stroke="#0b5cad" stroke-width="3"')] }).toEqual({ id: g.id, marked: active.includes(g.id) ? [true, true, true] : [false, false, false] });
    }
    expect(res.text).toMatch(/<title>Process diagram: 工程建设项目施工许可 Construction permit\. Where the case is: [^<]*fire: Approved[^<]*水务审查 Water review[^<]*<\/title>/);
    // The ways on from where the case is are marked too: the water review's approval among them.
    expect(res.text).toMatch(/<g class="arrow active" data-transition="construction-permit\.jointReview\.water\.reviewing:[^"]*"><path [^>]*stroke="#0b5cad"[^>]*\/><text [^>]*>approved<\/text>/);
  });

  it('speaks the language asked for, else the first of Accept-Language it has, else Chinese; the same request, the same document', async () => {
    const title = async (query: string, headers: Record<string, string> = {}) => /<title>([^<]*)<\/title>/.exec((await get('supervisor', `${PATH}${query}`, headers)).text)?.[1];
    expect(await title('')).toBe('流程图：工程建设项目施工许可 Construction permit');
    expect(await title('', { 'accept-language': 'en-GB,en;q=0.9,zh-CN;q=0.8' })).toBe('Process diagram: 工程建设项目施工许可 Construction permit');
    expect(await title('', { 'accept-language': 'fr-FR, zh-TW;q=0.7, en;q=0.5' })).toBe('流程图：工程建设项目施工许可 Construction permit');
    expect(await title('', { 'accept-language': 'fr, en;q=0.3, zh;q=0' })).toBe('Process diagram: 工程建设项目施工许可 Construction permit');
    expect(await title('?lang=zh-CN', { 'accept-language': 'en' })).toBe('流程图：工程建设项目施工许可 Construction permit');
    const [a, b] = await Promise.all([get('supervisor', `${PATH}?caseId=${caseId}`), get('supervisor', `${PATH}?caseId=${caseId}`)]);
    expect(a.text).toBe(b.text);
  });

  it('an unknown key or version is not found (404); bad input is refused (400) with its field', async () => {
    for (const path of ['/api/definitions/no-such-process/1/diagram.svg', `/api/definitions/construction-permit/${VERSION + 1}/diagram.svg`]) {
      const res = await get('designer', path);
      expect([res.status, res.problem?.code]).toEqual([404, 'TB-DEFINITION-404']);
    }
    for (const [query, field] of [
      ['?caseId=not-a-case', 'caseId'],
      ['?lang=fr', 'lang'],
    ] as const) {
      const res = await get('designer', `${PATH}${query}`);
      expect([res.status, res.problem?.code, JSON.stringify(res.problem)]).toEqual([400, 'TB-VALIDATION', expect.stringContaining(field)]);
    }
    expect((await get('designer', '/api/definitions/construction-permit/latest/diagram.svg')).status).toBe(400);
    expect((await get(null, PATH)).status).toBe(401);
  });

  it('a case the caller may not read is not found (404), like an unknown one; a case on another definition is refused (422); nothing changes', async () => {
    const before = await caseFootprint(f, caseId);
    for (const [user, id] of [
      ['police.handler', caseId],
      ['designer', caseId],
      ['fire.handler', randomUUID()],
    ] as const) {
      const res = await get(user, `${PATH}?caseId=${id}`);
      expect({ user, answer: [res.status, res.problem?.code] }).toEqual({ user, answer: [404, 'TB-CASE-404'] });
    }
    const road = (await f.as('fire.handler').get('/api/process-definitions')).body.items.find((d: { key: string }) => d.key === 'road-occupation');
    const other = await get('fire.handler', `/api/definitions/road-occupation/${road.version}/diagram.svg?caseId=${caseId}`);
    expect([other.status, other.problem?.code]).toEqual([422, 'TB-CASE-NOT-ON-DEFINITION']);
    expect(await caseFootprint(f, caseId)).toEqual(before);
  });

  it('is documented as an SVG image behind catalog.read', async () => {
    const doc = await f.as(null).get('/api/openapi.json');
    const operation = doc.body.paths['/api/definitions/{key}/{version}/diagram.svg'].get;
    expect(operation['x-permission']).toBe('catalog.read');
    expect(Object.keys(operation.responses['200'].content)).toEqual(['image/svg+xml']);
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['caseId', 'key', 'lang', 'version']);
  });
});
