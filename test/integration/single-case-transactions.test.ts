import { afterAll, beforeAll, expect, it } from 'vitest';
import { TABLE_DISTRIBUTION } from '../../db/schema/distribution.js';
import { timerId } from '../../engine/ids.js';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../workflows/construction-permit.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

/**
 * The scale-out path (issue 19): every command writes one case's rows, so that on a PostgreSQL sharded by case (Citus,
 * distribution column `case_id`) its transaction is single-shard. A trigger on every table (installed here only) logs
 * each row written with its transaction and, on a case-owned table, its case; two cases' commands are driven through
 * the construction permit's flow and the handler operations around it.
 *
 * The tables outside the cases that a command may also write are the known multi-shard exceptions, named here (their
 * reasons in `db/schema/distribution.ts`): a command writing another fails this test until it is added, knowingly.
 */
const KNOWN_MULTI_SHARD = ['idempotency_keys', 'licence_numbers', 'material_blobs', 'outbox', 'supervision_counts', 'supervision_weeks'];

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`create table case_write_log (txid bigint not null, table_name text not null, case_id uuid)`;
  // tg_argv[0]: the table's distribution column; none outside the cases.
  await f.sql`create function case_write_logged() returns trigger language plpgsql as $$
    begin
      insert into case_write_log values (txid_current(), tg_table_name,
        case when tg_nargs = 0 then null else (to_jsonb(case when tg_op = 'DELETE' then old else new end)->>tg_argv[0])::uuid end);
      return null;
    end $$`;
  for (const [table, entry] of Object.entries(TABLE_DISTRIBUTION)) {
    const column = entry.class === 'case-owned' ? `'${entry.column}'` : '';
    await f.sql.unsafe(`create trigger case_write_logged after insert or update or delete on ${table} for each row execute function case_write_logged(${column})`);
  }
});
afterAll(() => f.close());
const { start, complete, openTask, returnToApplicant } = caseDriver(() => f);

it('writes one case’s rows per transaction, through a whole construction permit and the operations around it', async () => {
  const caseId = await start();
  const other = await start();
  await returnToApplicant(caseId, '缺少施工合同');
  const supplied = await f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, {
    materials: [{ name: '施工合同 Construction contract', sha256: 'c'.repeat(64), sizeBytes: 4096 }],
  });
  expect(supplied.status, JSON.stringify(supplied.body)).toBe(200);
  await complete('window.clerk', 'acceptance', caseId);
  await complete('window.clerk', 'acceptance', other);

  const fireTask = await openTask('fire.handler', 'review.fire', caseId);
  expect((await f.as('fire.handler').post(`/api/tasks/${fireTask}/claim`)).status).toBe(200);
  expect((await f.as('fire.handler').post(`/api/cases/${caseId}/comments`, { text: '消防车道宽度待核实', visibility: 'internal' })).status).toBe(200);
  const copied = await f.as('fire.handler').post(`/api/cases/${caseId}/copies`, { recipients: [{ departmentCode: 'tax' }], note: '请阅' });
  expect(copied.status, JSON.stringify(copied.body)).toBe(200);
  const [copy] = await f.sql`select id from case_copies where case_id = ${caseId}`;
  expect((await f.as('tax.handler').post(`/api/copies/${String(copy?.['id'])}/read`, {})).status).toBe(200);

  const waterTask = await openTask('water.handler', 'review.water', caseId);
  const issued = await f.as('supervisor').post(`/api/cases/${caseId}/supervision-notices`, { message: '请加快办理', responseWorkingDays: 3, taskId: waterTask });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  const answered = await f.as('water.handler').post(`/api/supervision-notices/${String(issued.body.noticeId)}/responses`, { response: '已安排现场核查' });
  expect(answered.status, JSON.stringify(answered.body)).toBe(200);

  await complete('fire.handler', 'review.fire', caseId, 'approve', '同意', {});
  for (const review of CONSTRUCTION_PERMIT_REVIEWS.filter((r) => r.department !== 'fire')) {
    await complete(`${review.department}.handler`, `review.${review.department}`, caseId);
    await complete(`${review.department}.handler`, `review.${review.department}`, other);
  }
  await complete('fire.handler', 'review.fire', other);
  // Sent with an Idempotency-Key: the answer is kept in the command's transaction.
  const decisionTask = await openTask('housing.lead', 'decision', caseId);
  const decided = await f.as('housing.lead').post(`/api/tasks/${decisionTask}/complete`, { outcome: 'approve', opinion: { text: '联合审批通过' } }, { 'idempotency-key': 'decision-1' });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  const [timer] = await f.sql`select id from timers where case_id = ${caseId} and kind = 'period' and status = 'pending'`;
  f.clock.advance({ days: 8 });
  expect((await f.engine.execute({ type: 'timer.fire', timerId: timerId(String(timer?.['id'])) })).status).toBe('approved');

  const mixed = await f.sql`select txid, array_agg(distinct case_id::text) as cases from case_write_log where case_id is not null group by txid
    having count(distinct case_id) > 1`;
  expect(mixed).toEqual([]);
  const besides = await f.sql<{ table_name: string }[]>`select distinct o.table_name from case_write_log o where o.case_id is null
    and exists (select 1 from case_write_log c where c.txid = o.txid and c.case_id is not null) order by 1`;
  expect(besides.map((r) => r.table_name).filter((t) => !KNOWN_MULTI_SHARD.includes(t))).toEqual([]);
  // The drive reached the case's parts it means to check.
  const written = await f.sql<{ table_name: string }[]>`select distinct table_name from case_write_log where case_id is not null order by 1`;
  expect(written.map((r) => r.table_name)).toEqual(
    expect.arrayContaining(['audit_events', 'case_comments', 'case_copies', 'cases', 'licences', 'materials', 'notifications', 'opinions', 'supervision_notices', 'supplement_requests', 'tasks', 'timers']),
  );
});
