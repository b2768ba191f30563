import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { startInJointReview, openTask } = caseDriver(() => f);

async function withKey(key: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await f.app.request(path, {
    method,
    headers: { authorization: `ApiKey ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('API keys for department systems', () => {
  it('only administrators manage keys; the secret is shown once and stored hashed', async () => {
    const asLead = await f.as('fire.lead').post('/api/api-keys', { name: 'x', departmentCode: 'fire', operations: ['task.read'] });
    expect(asLead.status).toBe(403);
    const created = await f.as('admin').post('/api/api-keys', { name: '消防审批系统', departmentCode: 'fire', operations: ['task.read', 'task.complete'] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^tbk\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const [row] = await f.sql`select secret_hash from api_keys where id = ${created.body.id}`;
    expect(row?.['secret_hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.body.key.split('.')[2]);
    const listed = await f.as('admin').get('/api/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
  });

  it('a retried creation (same Idempotency-Key) creates no second key and never stores the secret', async () => {
    const send = async () => {
      const res = await f.app.request('/api/api-keys', {
        method: 'POST',
        headers: { authorization: `Bearer ${await f.token('admin')}`, 'content-type': 'application/json', 'idempotency-key': 'create-key-0001' },
        body: JSON.stringify({ name: '公积金系统', departmentCode: 'housing-fund', operations: ['task.read'] }),
      });
      return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as any };
    };
    const first = await send();
    const retry = await send();
    expect(first.body.key).toMatch(/^tbk\./);
    expect(retry).toMatchObject({ status: 201, replayed: 'true', body: { id: first.body.id } });
    expect(retry.body.key).toBeUndefined();
    const [stored] = await f.sql`select response::text as text from idempotency_keys where key = 'create-key-0001'`;
    expect(stored?.['text']).not.toContain(first.body.key.split('.')[2]);
    expect((await f.sql`select count(*)::int as n from api_keys where department_code = 'housing-fund'`)[0]?.['n']).toBe(1);
  });

  it('refuses operations a department system may never have, and unknown departments', async () => {
    const signing = await f.as('admin').post('/api/api-keys', { name: 'x', departmentCode: 'fire', operations: ['api-key.manage'] });
    expect(signing.status).toBe(400);
    const nowhere = await f.as('admin').post('/api/api-keys', { name: 'x', departmentCode: 'atlantis', operations: ['task.read'] });
    expect(nowhere.status).toBe(422);
    expect((await f.sql`select count(*)::int as n from api_keys where department_code = 'atlantis'`)[0]?.['n']).toBe(0);
  });

  it("a key acts for its department, within its scopes, and stops working when revoked", async () => {
    const created = await f.as('admin').post('/api/api-keys', { name: '消防审批系统', departmentCode: 'fire', operations: ['task.read', 'task.complete'] });
    const key: string = created.body.key;
    const caseId = await startInJointReview();

    const inbox = await withKey(key, 'GET', '/api/tasks?view=todo');
    expect(inbox.status).toBe(200);
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
    expect(task.key).toBe('review.fire');
    // Not scoped for claiming, and never for starting cases or reading other departments' tasks.
    expect((await withKey(key, 'POST', `/api/tasks/${task.id}/claim`, {})).status).toBe(403);
    expect((await withKey(key, 'POST', '/api/cases', CONSTRUCTION_APPLICATION)).body.code).toBe('TB-PERMISSION');
    const water = await openTask('water.handler', 'review.water', caseId);
    expect((await withKey(key, 'POST', `/api/tasks/${water}/complete`, { outcome: 'approve', opinion: { text: 'ok' } })).status).toBe(404);

    const done = await withKey(key, 'POST', `/api/tasks/${task.id}/complete`, { outcome: 'approve', opinion: { text: '系统自动审查通过' } });
    expect(done.status).toBe(200);
    const [event] = await f.sql`select actor_id, acting_for from audit_events where case_id = ${caseId} and data->>'taskId' = ${task.id}`;
    expect(event).toEqual({ actor_id: `apikey:${created.body.id}`, acting_for: 'fire' });

    const revoked = await f.as('admin').post(`/api/api-keys/${created.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    // Another API process (no cached credential) refuses the revoked key at once; this one within 30 s.
    const res = await f.freshApp().request('/api/tasks', { headers: { authorization: `ApiKey ${key}` } });
    expect(res.status).toBe(401);
  });

  it('refuses malformed and forged keys', async () => {
    const created = await f.as('admin').post('/api/api-keys', { name: 'k', departmentCode: 'tax', operations: ['task.read'] });
    const forged = `${created.body.key.slice(0, -4)}AAAA`;
    for (const key of ['nonsense', 'tbk.not-a-uuid.secret', forged]) {
      expect((await withKey(key, 'GET', '/api/tasks')).status).toBe(401);
    }
  });
});

describe('the security log', () => {
  it('records key creation and revocation in the same transaction, on a verifiable chain', async () => {
    const before = await f.as('admin').get('/api/security-log?pageSize=100');
    const created = await f.as('admin').post('/api/api-keys', { name: '税务系统', departmentCode: 'tax', operations: ['task.read'] });
    await f.as('admin').post(`/api/api-keys/${created.body.id}/revoke`);
    await f.as('admin').post(`/api/api-keys/${created.body.id}/revoke`);
    const after = await f.as('supervisor').get('/api/security-log?pageSize=100');
    const added = after.body.items.slice(0, after.body.items.length - before.body.items.length);
    expect(added.map((e: { type: string; actorId: string; data: { keyId: string } }) => [e.type, e.actorId, e.data.keyId])).toEqual([
      ['api-key.revoked', 'admin', created.body.id],
      ['api-key.created', 'admin', created.body.id],
    ]);
    expect((await f.as('supervisor').get('/api/security-log/verification')).body).toMatchObject({ ok: true, headSeq: after.body.items[0].seq });
    expect((await f.as('fire.lead').get('/api/security-log')).status).toBe(403);
  });

  it('is append-only, and an edit made behind the trigger is detected', async () => {
    await f.as('admin').post('/api/api-keys', { name: 'k2', departmentCode: 'tax', operations: ['task.read'] });
    await expect(f.sql`update security_events set data = '{}'::jsonb where seq = 1`).rejects.toThrow(/append-only/);
    await f.sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update security_events set data = jsonb_set(data, '{department}', '"forged"') where seq = 1`;
    });
    expect((await f.as('admin').get('/api/security-log/verification')).body).toMatchObject({ ok: false, brokenAtSeq: 1, reason: 'hash' });
  });
});
