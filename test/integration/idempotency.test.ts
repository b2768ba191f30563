import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, openTask } = caseDriver(() => f);

const countCases = async () => (await f.sql`select count(*)::int as n from cases`)[0]?.['n'];

async function post(user: string, path: string, body: unknown, key: string) {
  const res = await f.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${await f.token(user)}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as any };
}

describe('Idempotency-Key on POST', () => {
  it('a retried start is answered from the first one and starts nothing more', async () => {
    const before = await countCases();
    const first = await post('window.clerk', '/api/cases', CONSTRUCTION_APPLICATION, 'start-0001');
    const retry = await post('window.clerk', '/api/cases', CONSTRUCTION_APPLICATION, 'start-0001');
    expect(first.status).toBe(201);
    // The applicant's query code is answered once: the kept answer is the start's, without it (docs/applicants.md).
    const { queryCode, ...started } = first.body;
    expect(queryCode).toEqual(expect.any(String));
    expect(retry).toMatchObject({ status: 201, replayed: 'true', body: started });
    expect(retry.body.queryCode).toBeUndefined();
    expect(await countCases()).toBe(before + 1);
  });

  it('the same key with another body is refused with 422 and writes nothing', async () => {
    await post('window.clerk', '/api/cases', CONSTRUCTION_APPLICATION, 'start-0002');
    const before = await countCases();
    const other = await post('window.clerk', '/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'business-opening' }, 'start-0002');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('TB-IDEMPOTENCY-MISMATCH');
    expect(await countCases()).toBe(before);
  });

  it('keys belong to their caller: another user may use the same key', async () => {
    await f.sql`insert into users (id, name, department_code, roles) values ('window.clerk2', 'Second clerk', 'window', ${['intake_clerk']})`;
    const a = await post('window.clerk', '/api/cases', CONSTRUCTION_APPLICATION, 'shared-key-1');
    const b = await post('window.clerk2', '/api/cases', CONSTRUCTION_APPLICATION, 'shared-key-1');
    expect(b.status).toBe(201);
    expect(b.body.caseId).not.toBe(a.body.caseId);
  });

  it('concurrent twins start exactly one case and both get its answer', async () => {
    const before = await countCases();
    const twins = await Promise.all([0, 1, 2].map(() => post('window.clerk', '/api/cases', CONSTRUCTION_APPLICATION, 'start-twins')));
    expect(twins.map((t) => t.status)).toEqual([201, 201, 201]);
    expect(new Set(twins.map((t) => t.body.caseId)).size).toBe(1);
    expect(await countCases()).toBe(before + 1);
  });

  it('a retried completion replays 200 instead of a 409, with one audit event', async () => {
    const caseId = await start();
    const id = await openTask('window.clerk', 'acceptance', caseId);
    const body = { outcome: 'approve', opinion: { text: '予以受理' } };
    const first = await post('window.clerk', `/api/tasks/${id}/complete`, body, 'complete-0001');
    const retry = await post('window.clerk', `/api/tasks/${id}/complete`, body, 'complete-0001');
    expect(first.status).toBe(200);
    expect(retry).toMatchObject({ status: 200, replayed: 'true', body: first.body });
    const events = await f.sql`select type from audit_events where case_id = ${caseId}`;
    expect(events.map((e) => e['type'])).toEqual(['case.started', 'task.approved']);
    const without = await f.as('window.clerk').post(`/api/tasks/${id}/complete`, body);
    expect(without.status).toBe(409);
  });

  it('a retried withdrawal (撤回) replays 200 instead of a 409: withdrawn once, reopened once', async () => {
    const caseId = await start();
    const id = await openTask('window.clerk', 'acceptance', caseId);
    expect((await post('window.clerk', `/api/tasks/${id}/complete`, { outcome: 'approve', opinion: { text: '予以受理' } }, 'accept-0002')).status).toBe(200);
    const body = { reason: '受理有误 Accepted by mistake' };
    const first = await post('window.clerk', `/api/tasks/${id}/withdrawal`, body, 'withdraw-0001');
    const retry = await post('window.clerk', `/api/tasks/${id}/withdrawal`, body, 'withdraw-0001');
    expect([first.status, first.body.state]).toEqual([200, 'acceptance']);
    expect(retry).toMatchObject({ status: 200, replayed: 'true', body: first.body });
    const events = await f.sql`select type from audit_events where case_id = ${caseId} order by seq`;
    expect(events.map((e) => e['type'])).toEqual(['case.started', 'task.approved', 'task.withdrawn']);
    const acceptances = await f.sql`select status from tasks where case_id = ${caseId} and key = 'acceptance' order by status`;
    expect(acceptances.map((t) => t['status'])).toEqual(['open', 'withdrawn']);
    const without = await f.as('window.clerk').post(`/api/tasks/${id}/withdrawal`, body);
    expect([without.status, without.body.code]).toEqual([409, 'TB-WITHDRAWAL-NOT-ALLOWED']);
  });

  it('a malformed key is refused with 400', async () => {
    const res = await post('window.clerk', '/api/cases', CONSTRUCTION_APPLICATION, 'bad key!');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('header.Idempotency-Key');
  });
});
