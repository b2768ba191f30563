import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { apiDeps } from '../../apps/serve-api.js';
import { connect } from '../../db/connection.js';
import { getFreePort } from '../../platform/free-port.js';
import { systemClock } from '../../platform/system-clock.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, CONSTRUCTION_CONTRACT, caseDriver } from '../support/case-driver.js';
import { constructionPermitItem } from '../../workflows/construction-permit.js';

const { code: _code, version: _version, ...CATALOGUE_ENTRY } = constructionPermitItem;

let f: ApiFixture;
const driver = caseDriver(() => f);
let caseId: string;
let fireTask: string;
/** The case's completed acceptance at the window. */
let acceptanceTask: string;
beforeAll(async () => {
  f = await createApiFixture();
  ({ caseId, taskId: fireTask } = await driver.startAtFireReview());
  acceptanceTask = (await f.as('supervisor').get(`/api/cases/${caseId}`)).body.tasks.find((t: { key: string }) => t.key === 'acceptance').id;
});
afterAll(() => f.close());

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** The codes the README's table of error codes documents: the first cell of its rows, e.g. `| \`TB-CASE-404\`, \`TB-TASK-404\` |`. */
const documented = new Set([...readme.matchAll(/^\| (`TB-[^|]*)\|/gm)].flatMap((row) => [...(row[1] ?? '').matchAll(/`(TB-[A-Z0-9-]+)`/g)].map((m) => m[1])));

/** A raw request as `user`, answered as status, content type and parsed body. */
async function raw(user: string | null, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const auth: Record<string, string> = user ? { authorization: `Bearer ${await f.token(user)}` } : {};
  const res = await f.app.request(path, { method, headers: { ...auth, ...init.headers }, ...(init.body === undefined ? {} : { body: init.body }) });
  const contentType = res.headers.get('content-type');
  return { status: res.status, contentType, body: (contentType?.includes('json') ? await res.json() : {}) as Record<string, unknown> };
}
const json = { 'content-type': 'application/json' };

describe('every problem answer carries a stable, documented code', () => {
  const answers: [string, () => Promise<{ status: number; contentType: string | null; body: Record<string, unknown> }>, number, string][] = [
    ['invalid input', () => raw('window.clerk', 'POST', '/api/cases', { body: '{}', headers: json }), 400, 'TB-VALIDATION'],
    ['malformed JSON', () => raw('window.clerk', 'POST', '/api/cases', { body: '{"applicant":', headers: json }), 400, 'TB-HTTP-400'],
    ['a malformed Idempotency-Key', () => raw('fire.handler', 'POST', `/api/tasks/${fireTask}/claim`, { body: '{}', headers: { ...json, 'idempotency-key': 'x' } }), 400, 'TB-VALIDATION'],
    ['no credentials', () => raw(null, 'GET', '/api/tasks'), 401, 'TB-UNAUTHENTICATED'],
    ['a role the matrix refuses', () => raw('designer', 'POST', '/api/cases', { body: JSON.stringify(CONSTRUCTION_APPLICATION), headers: json }), 403, 'TB-PERMISSION'],
    ['a rule of this case refusing an allowed role', () => raw('fire.handler', 'POST', `/api/cases/${caseId}/supplements`, { body: JSON.stringify({ materials: CONSTRUCTION_APPLICATION.materials }), headers: json }), 403, 'TB-FORBIDDEN'],
    ['an unknown route', () => raw('fire.handler', 'GET', '/api/nothing-here'), 404, 'TB-HTTP-404'],
    ['a method a route does not have', () => raw('fire.handler', 'DELETE', '/api/tasks'), 404, 'TB-HTTP-404'],
    ['an unknown case', () => raw('fire.handler', 'GET', '/api/cases/00000000-0000-4000-8000-000000000000'), 404, 'TB-CASE-404'],
    ['an unknown API key', () => raw('admin', 'POST', '/api/api-keys/00000000-0000-4000-8000-000000000000/revoke'), 404, 'TB-API-KEY-404'],
    ['an unknown webhook subscription', () => raw('admin', 'POST', '/api/webhooks/subscriptions/00000000-0000-4000-8000-000000000000/secret-rotation'), 404, 'TB-WEBHOOK-404'],
    ['an unknown webhook delivery', () => raw('admin', 'POST', '/api/webhooks/deliveries/00000000-0000-4000-8000-000000000000/replay'), 404, 'TB-WEBHOOK-DELIVERY-404'],
    ['an unknown calendar', () => raw('supervisor', 'GET', '/api/calendars/atlantis'), 404, 'TB-CALENDAR-404'],
    ['a notification not yours to read', () => raw('fire.handler', 'POST', '/api/notifications/00000000-0000-4000-8000-000000000000/read'), 404, 'TB-NOTIFICATION-404'],
    ['a service item version breaking the catalogue’s rules', () => raw('designer', 'POST', '/api/catalog/service-items/construction-permit/drafts', { body: JSON.stringify({ ...CATALOGUE_ENTRY, version: 9, committedLimitDays: 99 }), headers: json }), 422, 'TB-SERVICE-ITEM-INVALID'],
    ['a draft of a published version', () => raw('designer', 'POST', '/api/catalog/definitions/construction-permit/drafts', { body: JSON.stringify({ version: 1, title: 'v1 again', machine: {} }), headers: json }), 409, 'TB-CATALOG-VERSION'],
    ['publishing a draft that does not exist', () => raw('designer', 'POST', '/api/catalog/definitions/construction-permit/versions/99/publication', { body: '{}', headers: json }), 404, 'TB-DRAFT-404'],
    ['publishing a definition with lint errors', async () => {
      await raw('designer', 'POST', '/api/catalog/definitions/lint-refused/drafts', { body: JSON.stringify({ version: 1, title: 'Lint refused', machine: { id: 'lint-refused', initial: 'a', states: { a: {} } } }), headers: json });
      return raw('designer', 'POST', '/api/catalog/definitions/lint-refused/versions/1/publication', { body: '{}', headers: json });
    }, 422, 'TB-DEFINITION-LINT'],
    ['a calendar year refused (already final, no replace)', () => raw('admin', 'POST', '/api/calendars/cn/years', { body: JSON.stringify({ year: 2026, holidays: ['2026-10-01'], makeUpWorkdays: [], source: 'problem-codes test' }), headers: json }), 422, 'TB-CALENDAR-YEAR-INVALID'],
    ['a time limit that cannot be counted (before the calendar’s data)', () => raw('window.clerk', 'GET', '/api/calendars/cn/due-dates?start=2023-06-01T10:00%2B08:00&workingDays=5'), 422, 'TB-TIME-LIMIT-INVALID'],
    ['a return the definition does not declare', () => raw('fire.handler', 'POST', `/api/tasks/${fireTask}/complete`, { body: JSON.stringify({ outcome: 'return', opinion: { text: '退回' }, returnTo: 'nowhere' }), headers: json }), 409, 'TB-RETURN-NOT-ALLOWED'],
    ['a return to the applicant (补正) that names no material to supplement', async () => {
      const acceptance = await driver.openTask('window.clerk', 'acceptance', await driver.start());
      return raw('window.clerk', 'POST', `/api/tasks/${acceptance}/complete`, { body: JSON.stringify({ outcome: 'return', opinion: { text: '材料不全' } }), headers: json });
    }, 422, 'TB-SUPPLEMENT-REQUEST-INVALID'],
    ['a second supplement request naming what the first should have asked for (一次性告知)', async () => {
      const id = await driver.start();
      await driver.returnToApplicant(id, '合同未盖章');
      await f.as('window.clerk').post(`/api/cases/${id}/supplements`, { materials: [{ name: CONSTRUCTION_CONTRACT, sha256: 'e'.repeat(64), sizeBytes: 10 }] });
      const acceptance = await driver.openTask('window.clerk', 'acceptance', id);
      const request = { materials: [{ name: '建设工程规划许可证 Planning permit', reason: '复印件不清晰' }] };
      return raw('window.clerk', 'POST', `/api/tasks/${acceptance}/complete`, { body: JSON.stringify({ outcome: 'return', opinion: { text: '规划许可证不清晰' }, supplementRequest: request }), headers: json });
    }, 409, 'TB-SUPPLEMENT-NOT-ONCE'],
    ['a withdrawal of a task not completed', () => raw('fire.handler', 'POST', `/api/tasks/${fireTask}/withdrawal`, { body: JSON.stringify({ reason: '撤回' }), headers: json }), 409, 'TB-WITHDRAWAL-NOT-ALLOWED'],
    ['a take-over (接办) of a task already completed', () => raw('window.clerk', 'POST', `/api/tasks/${acceptanceTask}/take-over`, { body: '{}', headers: json }), 409, 'TB-TAKE-OVER-NOT-ALLOWED'],
    ['a substitution window not yours', () => raw('fire.handler', 'POST', '/api/me/substitutions/00000000-0000-4000-8000-000000000000/cancellation', { body: '{}', headers: json }), 404, 'TB-SUBSTITUTION-404'],
    ['a copy (抄送) not addressed to you', () => raw('fire.handler', 'POST', '/api/copies/00000000-0000-4000-8000-000000000000/read', { body: '{}', headers: json }), 404, 'TB-COPY-404'],
    ['an unknown migration of running cases', () => raw('designer', 'GET', '/api/catalog/migrations/00000000-0000-4000-8000-000000000000'), 404, 'TB-MIGRATION-404'],
    ['a transfer of a task already completed', () => raw('housing.lead', 'POST', `/api/tasks/${acceptanceTask}/transfer`, { body: JSON.stringify({ to: { departmentCode: 'fire' }, reason: '转办' }), headers: json }), 409, 'TB-TRANSFER-NOT-ALLOWED'],
    ['taking back a delegation of a task nobody delegated', () => raw('fire.handler', 'POST', `/api/tasks/${fireTask}/delegation/recall`, { body: '{}', headers: json }), 409, 'TB-DELEGATION-NOT-ALLOWED'],
    ['a case shown on the diagram of a definition it does not run on', () => raw('fire.handler', 'GET', `/api/definitions/road-occupation/1/diagram.svg?caseId=${caseId}`), 422, 'TB-CASE-NOT-ON-DEFINITION'],
    ['a progress query (进度查询) with a wrong query code', () => raw(null, 'POST', '/api/public/progress', { body: JSON.stringify({ caseNumber: '1999-000001', queryCode: 'WRNG2345' }), headers: json }), 404, 'TB-PROGRESS-404'],
    ['a fix task (整改) the case does not have', () => raw('housing.lead', 'POST', `/api/ratings/${caseId}/answer`, { body: JSON.stringify({ answer: '已整改' }), headers: json }), 404, 'TB-FIX-TASK-404'],
    ['a licence nobody issued, revoked', () => raw('admin', 'POST', '/api/licences/BL-NOWHERE/revocation', { body: JSON.stringify({ reason: '依法撤销许可' }), headers: json }), 404, 'TB-LICENCE-404'],
    ['a licence named for a material no licence stands in for', () => raw('window.clerk', 'POST', '/api/cases', { body: JSON.stringify({ ...CONSTRUCTION_APPLICATION, materials: [{ name: '施工合同 Construction contract', licence: { licenceType: 'bl' } }] }), headers: json }), 422, 'TB-MATERIAL-NO-LICENCE'],
    ['a stale expected version', () => raw('fire.handler', 'POST', `/api/tasks/${fireTask}/claim`, { body: JSON.stringify({ expectedVersion: 999 }), headers: json }), 409, 'TB-CASE-VERSION'],
    ['a body over the limit', () => raw('window.clerk', 'POST', '/api/cases', { body: JSON.stringify({ x: 'x'.repeat(300_000) }), headers: json }), 413, 'TB-HTTP-413'],
    ['a media type the route does not take', () => raw('window.clerk', 'POST', '/api/cases', { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'TB-HTTP-415'],
  ];

  it.each(answers)('%s', async (_, send, status, code) => {
    const res = await send();
    expect([res.status, res.body['code']], JSON.stringify(res.body)).toEqual([status, code]);
    expect(res.contentType).toContain('application/problem+json');
    expect(documented).toContain(code);
  });

  it('the same key with another body (422)', async () => {
    const headers = { ...json, 'idempotency-key': 'problem-codes-422' };
    expect((await raw('fire.handler', 'POST', `/api/tasks/${fireTask}/claim`, { body: '{}', headers })).status).toBe(200);
    const res = await raw('fire.handler', 'POST', `/api/tasks/${fireTask}/claim`, { body: JSON.stringify({ expectedVersion: 1 }), headers });
    expect([res.status, res.body['code']]).toEqual([422, 'TB-IDEMPOTENCY-MISMATCH']);
    expect(documented).toContain('TB-IDEMPOTENCY-MISMATCH');
  });

  it('too many requests (429)', async () => {
    let res = await raw('supervisor', 'GET', '/api/cases/export');
    for (let i = 0; res.status === 200 && i < 10; i += 1) res = await raw('supervisor', 'GET', '/api/cases/export');
    expect([res.status, res.body['code']]).toEqual([429, 'TB-RATE-LIMITED']);
    expect(documented).toContain('TB-RATE-LIMITED');
  });

  /** The API on `sql` instead of its database, asked for the fire handler's inbox. */
  async function inboxOn(sql: ReturnType<typeof connect>) {
    const app = createApp(apiDeps({ ...f, sql, clock: systemClock }, { auth: { jwtSecret: 'test-secret-of-at-least-thirty-two-characters' }, log: () => {} }));
    const res = await app.request('/api/tasks', { headers: { authorization: `Bearer ${await f.token('fire.handler')}` } });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type'), body: (await res.json()) as { code?: string } };
  }

  it('an unexpected failure (500): a database that does not exist', async () => {
    const url = new URL(f.db.url);
    url.pathname = '/no_such_database';
    const misconfigured = connect(url.toString(), { max: 1 });
    try {
      const res = await inboxOn(misconfigured);
      expect([res.status, res.body.code]).toEqual([500, 'TB-INTERNAL']);
    } finally {
      await misconfigured.end();
    }
    expect(documented).toContain('TB-INTERNAL');
  });

  it('the database unavailable (503, Retry-After): nothing listens where it should', async () => {
    const url = new URL(f.db.url);
    url.port = String(await getFreePort());
    const down = connect(url.toString(), { max: 1 });
    try {
      const res = await inboxOn(down);
      expect([res.status, res.body.code, res.retryAfter]).toEqual([503, 'TB-UNAVAILABLE', '5']);
      expect(res.contentType).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).not.toContain(url.port);
    } finally {
      await down.end();
    }
    expect(documented).toContain('TB-UNAVAILABLE');
  });

  it('the README documents every code of the engine, and the OpenAPI document says every problem has one', async () => {
    // Every file of the error tree (`engine/errors.ts` and the files it re-exports).
    const engineDir = new URL('../../engine/', import.meta.url);
    const errorFiles = readdirSync(engineDir).filter((f) => f.endsWith('errors.ts')).map((f) => readFileSync(new URL(f, engineDir), 'utf8'));
    const engineCodes = errorFiles.flatMap((text) => [...text.matchAll(/readonly code = '(TB-[A-Z0-9-]+)'/g)].map((m) => m[1]));
    expect(engineCodes.length).toBeGreaterThan(10);
    expect(engineCodes.filter((code) => !documented.has(code))).toEqual([]);
    const doc = await f.as(null).get('/api/openapi.json');
    expect(doc.body.components.schemas.Problem.required).toContain('code');
  });
});
