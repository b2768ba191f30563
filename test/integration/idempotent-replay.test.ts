import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
let caseId: string;
beforeAll(async () => {
  f = await createApiFixture();
  caseId = await caseDriver(() => f).start();
});
afterAll(() => f.close());

const reason = { reason: '督办核查：申请人投诉办理超时，需核实身份' };
const { applicant } = CONSTRUCTION_APPLICATION;

async function post(app: ApiFixture['app'], user: string, path: string, body: unknown, key: string) {
  const res = await app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${await f.token(user)}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as any };
}

const reads = async (user: string) =>
  (await f.sql`select count(*)::int as n from audit_events where case_id = ${caseId} and type = 'personal-data.read' and actor_id = ${user}`)[0]?.['n'];

async function addUser(id: string, roles: string[]): Promise<void> {
  await f.sql`insert into users (id, name, department_code, roles) values (${id}, ${id}, 'supervision', ${roles})`;
}

describe('what a replay keeps: personal data stays in the case', () => {
  it('a personal-data read keeps only a reference to its audit event; its replay reads afresh and is audited again', async () => {
    const first = await post(f.app, 'supervisor', `/api/cases/${caseId}/personal-data-reads`, reason, 'pd-read-0001');
    expect(first).toMatchObject({ status: 200, replayed: null, body: applicant });

    const [kept] = await f.sql`select response, response::text as text from idempotency_keys where principal = 'supervisor' and key = 'pd-read-0001'`;
    for (const value of Object.values(applicant)) expect(kept?.['text']).not.toContain(value);
    const [event] = await f.sql`select seq, type, actor_id from audit_events where case_id = ${caseId} order by seq desc limit 1`;
    expect(kept?.['response']).toEqual({ auditEvent: { caseId, seq: event?.['seq'] } });
    expect(event).toMatchObject({ type: 'personal-data.read', actor_id: 'supervisor' });

    const replay = await post(f.app, 'supervisor', `/api/cases/${caseId}/personal-data-reads`, reason, 'pd-read-0001');
    expect(replay).toMatchObject({ status: 200, replayed: 'true', body: applicant });
    expect(await reads('supervisor')).toBe(2);
    // The kept record still names the first read.
    const [still] = await f.sql`select response from idempotency_keys where principal = 'supervisor' and key = 'pd-read-0001'`;
    expect(still?.['response']).toEqual(kept?.['response']);
  });

  it('the same key with another reason is refused with 422 and reads nothing', async () => {
    await post(f.app, 'supervisor', `/api/cases/${caseId}/personal-data-reads`, reason, 'pd-read-0002');
    const before = await reads('supervisor');
    const other = await post(f.app, 'supervisor', `/api/cases/${caseId}/personal-data-reads`, { reason: '另一个理由：核实联系方式是否有效' }, 'pd-read-0002');
    expect(other).toMatchObject({ status: 422, body: { code: 'TB-IDEMPOTENCY-MISMATCH' } });
    expect(await reads('supervisor')).toBe(before);
  });
});

describe('a replay passes the route checks first', () => {
  it('replays of one personal-data read are each audited and count against the rate limit', async () => {
    await addUser('supervisor.replays', ['supervisor']);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      statuses.push((await post(f.app, 'supervisor.replays', `/api/cases/${caseId}/personal-data-reads`, reason, 'pd-read-many')).status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses[30]).toBe(429);
    expect(await reads('supervisor.replays')).toBe(30);
  });

  it('a caller whose role was taken away is refused with 403, not answered from the kept answer', async () => {
    await f.sql`insert into users (id, name, department_code, roles) values ('window.replays', 'Clerk', 'window', ${['intake_clerk']})`;
    const first = await post(f.app, 'window.replays', '/api/cases', CONSTRUCTION_APPLICATION, 'start-then-revoke');
    expect(first.status).toBe(201);
    await f.sql`update users set roles = ${['handler']} where id = 'window.replays'`;
    // Another API process: it has not cached the caller's old roles.
    const replay = await post(f.freshApp(), 'window.replays', '/api/cases', CONSTRUCTION_APPLICATION, 'start-then-revoke');
    expect(replay).toMatchObject({ status: 403, replayed: null, body: { code: 'TB-PERMISSION' } });
  });

  it('a supervisor who lost the role cannot replay a personal-data read', async () => {
    await addUser('supervisor.revoked', ['supervisor']);
    expect((await post(f.app, 'supervisor.revoked', `/api/cases/${caseId}/personal-data-reads`, reason, 'pd-read-revoked')).status).toBe(200);
    await f.sql`update users set roles = ${['admin']} where id = 'supervisor.revoked'`;
    const replay = await post(f.freshApp(), 'supervisor.revoked', `/api/cases/${caseId}/personal-data-reads`, reason, 'pd-read-revoked');
    expect(replay.status).toBe(403);
    expect(JSON.stringify(replay.body)).not.toContain(applicant.idNumber);
    expect(await reads('supervisor.revoked')).toBe(1);
  });
});
