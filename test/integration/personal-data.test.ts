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

describe('privileged reads of personal data', () => {
  it('a supervisor reads it in full only by asking; the read is in the audit chain first; the version stays', async () => {
    const masked = await f.as('supervisor').get(`/api/cases/${caseId}`);
    expect(masked.body.applicant.idNumber).not.toBe(CONSTRUCTION_APPLICATION.applicant.idNumber);
    const res = await f.as('supervisor').post(`/api/cases/${caseId}/personal-data-reads`, reason);
    expect(res.status).toBe(200);
    expect(res.body.idNumber).toBe(CONSTRUCTION_APPLICATION.applicant.idNumber);
    const events = await f.sql`select type, actor_id, acting_for, data from audit_events where case_id = ${caseId} order by seq`;
    expect(events.at(-1)).toEqual({ type: 'personal-data.read', actor_id: 'supervisor', acting_for: 'supervision', data: reason });
    const [row] = await f.sql`select version, audit_seq from cases where id = ${caseId}`;
    expect(row).toEqual({ version: 1, audit_seq: 2 });
    const verdict = await f.as('supervisor').get(`/api/cases/${caseId}/audit/verification`);
    expect(verdict.body.ok).toBe(true);
  });

  it('others may not; a missing reason is refused; nothing is written', async () => {
    const before = (await f.sql`select count(*)::int as n from audit_events`)[0]?.['n'];
    expect((await f.as('fire.handler').post(`/api/cases/${caseId}/personal-data-reads`, reason)).status).toBe(403);
    expect((await f.as('supervisor').post(`/api/cases/${caseId}/personal-data-reads`, { reason: 'x' })).status).toBe(400);
    expect((await f.as('supervisor').post('/api/cases/00000000-0000-4000-8000-000000000000/personal-data-reads', reason)).status).toBe(404);
    expect((await f.sql`select count(*)::int as n from audit_events`)[0]?.['n']).toBe(before);
  });

  it('is rate limited per caller: the 31st read in an hour is 429 with Retry-After', async () => {
    await f.sql`insert into users (id, name, department_code, roles) values ('supervisor2', 'Second supervisor', 'supervision', ${['supervisor']})`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) statuses.push((await f.as('supervisor2').post(`/api/cases/${caseId}/personal-data-reads`, reason)).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    const limited = await f.app.request(`/api/cases/${caseId}/personal-data-reads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await f.token('supervisor2')}`, 'content-type': 'application/json' },
      body: JSON.stringify(reason),
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another caller still has their allowance.
    expect((await f.as('supervisor').post(`/api/cases/${caseId}/personal-data-reads`, reason)).status).toBe(200);
  });
});
