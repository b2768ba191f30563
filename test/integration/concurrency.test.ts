import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgCaseStore } from '../../db/pg-case-store.js';
import { caseId as toCaseId } from '../../engine/ids.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { startInJointReview, start, openTask } = caseDriver(() => f);

async function auditOf(caseId: string) {
  return f.sql`select seq, type, data from audit_events where case_id = ${caseId} order by seq`;
}

describe('two commands on the same case', () => {
  it('two handlers completing the same task at the same moment: one 200, one 409, one audit event', async () => {
    const caseId = await startInJointReview();
    const id = await openTask('fire.handler', 'review.fire', caseId);
    const before = await auditOf(caseId);

    const answers = await Promise.all([
      f.as('fire.handler').post(`/api/tasks/${id}/complete`, { outcome: 'approve', opinion: { text: '同意' } }),
      f.as('fire.lead').post(`/api/tasks/${id}/complete`, { outcome: 'reject', opinion: { text: '不同意' } }),
    ]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const conflict = answers.find((a) => a.status === 409);
    expect(conflict?.contentType).toContain('application/problem+json');
    expect(conflict?.body.code).toBe('TB-TASK-STATE');
    const after = await auditOf(caseId);
    expect(after.length - before.length).toBe(1);
    const [task] = await f.sql`select status, outcome from tasks where id = ${id}`;
    const winner = answers.findIndex((a) => a.status === 200);
    expect(task?.['outcome']).toBe(winner === 0 ? 'approve' : 'reject');
    expect(await f.sql`select count(*)::int as n from opinions where task_id = ${id}`).toEqual([{ n: 1 }]);
  });

  it('commands on one case serialize: five parallel completions leave one consistent audit chain', async () => {
    const caseId = await startInJointReview();
    const departments = ['planning', 'ecology', 'fire', 'civil-air-defence', 'water'];
    const ids = await Promise.all(departments.map((d) => openTask(`${d}.handler`, `review.${d}`, caseId)));
    const results = await Promise.all(
      departments.map((d, i) => f.as(`${d}.handler`).post(`/api/tasks/${ids[i]}/complete`, { outcome: 'approve', opinion: { text: '同意' } })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const events = await auditOf(caseId);
    expect(events.map((e) => e['seq'])).toEqual(events.map((_, i) => i + 1));
    const [row] = await f.sql`select state_label, version from cases where id = ${caseId}`;
    expect(row?.['state_label']).toBe('jointDecision');
    expect(row?.['version']).toBe(events.length);
  });

  it('a stale expectedVersion is refused with 409 and changes nothing', async () => {
    const caseId = await start();
    const id = await openTask('window.clerk', 'acceptance', caseId);
    const stale = await f.as('window.clerk').post(`/api/tasks/${id}/complete`, { outcome: 'approve', opinion: { text: 'ok' }, expectedVersion: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('TB-CASE-VERSION');
    const [row] = await f.sql`select version from cases where id = ${caseId}`;
    expect(row?.['version']).toBe(1);
    expect(await auditOf(caseId)).toHaveLength(1);
  });

  it('a command that waited for the lock reads the tasks the holder committed, not those of when it began waiting', async () => {
    const caseId = await startInJointReview();
    const holder = await f.sql.reserve();
    try {
      // The holder writes a task and the case row, as a commit statement does, and keeps the lock a while.
      await holder`begin`;
      await holder`select id from cases where id = ${caseId} for update`;
      await holder`update tasks set status = 'claimed', assignee_id = 'fire.handler' where case_id = ${caseId} and key = 'review.fire'`;
      await holder`update cases set updated_at = updated_at where id = ${caseId}`;
      const seen = new PgCaseStore(f.sql).update({ caseId: toCaseId(caseId) }, (locked) => ({
        commit: null,
        result: locked?.openTasks.find((t) => t.key === 'review.fire')?.assigneeId,
      }));
      await expect.poll(async () => (await f.sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'with locked as%'`)[0]?.['n']).toBe(1);
      await holder`commit`;
      expect(await seen).toBe('fire.handler');
    } finally {
      holder.release();
    }
  });
});

