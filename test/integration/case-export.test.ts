import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  const { start } = caseDriver(() => f);
  await start();
  await start({ ...CONSTRUCTION_APPLICATION, applicant: { name: '=HYPERLINK("http://evil")', idNumber: '110101199003071234' } });
});
afterAll(() => f.close());

async function exportAs(user: string, query = '') {
  const res = await f.app.request(`/api/cases/export${query}`, { headers: { authorization: `Bearer ${await f.token(user)}` } });
  return { status: res.status, type: res.headers.get('content-type'), truncated: res.headers.get('x-export-truncated'), text: await res.text() };
}

describe('exporting cases', () => {
  it('gives supervisors a CSV with masked ID numbers, neutralised formulas, and a security log record', async () => {
    const res = await exportAs('supervisor', '?status=running');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/csv');
    expect(res.truncated).toBe('false');
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('id,serviceItemCode,status,state,leadDepartment,applicantName,applicantIdNumber,createdAt,dueAt,completedAt,overdue');
    expect(lines).toHaveLength(3);
    expect(res.text).not.toContain('110101199003071234');
    expect(res.text).toContain('1101**********1234');
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const [event] = await f.sql`select type, actor_id, data from security_events order by seq desc limit 1`;
    expect(event).toMatchObject({ type: 'cases.exported', actor_id: 'supervisor', data: { rows: 2, truncated: false, filter: { status: 'running' } } });
  });

  it('masks a short ID number exactly as the case view masks it for a supervisor', async () => {
    const caseIds = [];
    for (const idNumber of ['1234567890', '1234567']) {
      caseIds.push(await caseDriver(() => f).start({ ...CONSTRUCTION_APPLICATION, applicant: { name: `applicant ${idNumber.length}`, idNumber } }));
    }
    const csv = (await exportAs('supervisor')).text.split('\r\n');
    for (const caseId of caseIds) {
      const viewed = (await f.as('supervisor').get(`/api/cases/${caseId}`)).body.applicant.idNumber;
      const exported = csv.find((line) => line.startsWith(caseId))?.split(',')[6];
      expect(exported).toBe(viewed);
    }
    expect(csv.join('\n')).not.toMatch(/1234567/);
  });

  it('is for supervisors only, validates its filter, and is rate limited', async () => {
    expect((await exportAs('housing.lead')).status).toBe(403);
    expect((await exportAs('supervisor', '?status=sleeping')).status).toBe(400);
    await f.sql`insert into users (id, name, department_code, roles) values ('auditor', 'Auditor', 'supervision', ${['supervisor']})`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await exportAs('auditor')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const [count] = await f.sql`select count(*)::int as n from security_events where actor_id = 'auditor'`;
    expect(count?.['n']).toBe(5);
  });
});
