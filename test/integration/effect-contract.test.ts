import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFECT_WRITERS } from '../../db/effects/effect-writers.js';
import { instant, optionalInstant } from '../../db/instants.js';
import { toCaseCopy, toSupervisionNotice, toTaskRecord, toTimerRecord } from '../../db/row-mapping.js';
import { serviceItems } from '../../db/schema/index.js';
import { openTimerIncident } from '../../db/timer-incidents.js';
import { importCalendarYear } from '../../db/calendar-import.js';
import { installCalendar } from '../../db/reference-data.js';
import { chineseDaysYears } from '../../engine/time/china-calendar.js';
import { beijing } from '../unit/support/calendar.js';
import { FICTIONAL_2027, TEST_CALENDAR_BASE } from '../unit/support/fictional-calendar-year.js';
import { demoActor } from '../../apps/demo-users.js';
import type { AuditEvent } from '../../engine/audit/audit-chain.js';
import type { CaseRef } from '../../engine/case-command.js';
import type { CaseCommit, CaseCreation, CaseUpdate, NewCase } from '../../engine/case-effect.js';
import type { CaseReads, CaseStore, Decision, LockedCase } from '../../engine/case-store.js';
import type { Substitution } from '../../engine/substitution.js';
import { taskState } from '../../engine/definitions/definition-parts.js';
import { CASE_OUTCOME_TAGS, type ProcessDefinition } from '../../engine/definitions/process-definition.js';
import type { TaskOutcome } from '../../engine/definitions/case-machine.js';
import { Engine } from '../../engine/engine.js';
import { TEST_LICENCE_SIGNER } from '../support/licence-signer.js';
import { caseId as asCaseId, departmentCode, taskId, timerId, userId, type UserId } from '../../engine/ids.js';
import type { TransferTarget } from '../../engine/operations/transfer-task.js';
import type { CompleteTask } from '../../engine/operations/complete-task.js';
import { applyEffects, emptyCaseRows, giveUpTimer, type CaseRows } from '../../engine/simulation/case-rows.js';
import { CONSTRUCTION_APPLICATION } from '../support/case-driver.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';

/**
 * The effect contract: for every kind of effect, PostgreSQL (the commit statement, built from `db/effects/`)
 * and the unit tests' in-memory world (`engine/simulation/case-rows.ts`, the sandbox case's rows) write the same rows. Commands run
 * through the real engine on PostgreSQL; every creation and commit it writes is recorded and applied to the
 * in-memory rows too, and after each command the two are compared row by row. The last test checks that the
 * commands used every kind there is, so a new kind needs a case here.
 */

/** The engine's store on PostgreSQL, keeping what it wrote. */
class RecordingStore implements CaseStore {
  readonly written: (CaseCreation | CaseCommit)[] = [];
  constructor(private readonly store: CaseStore) {}

  async create(creation: CaseCreation): Promise<void> {
    await this.store.create(creation);
    this.written.push(creation);
  }

  substitutionsAt(absentIds: readonly UserId[], at: Date): Promise<readonly Substitution[]> {
    return this.store.substitutionsAt(absentIds, at);
  }

  async update<T>(ref: CaseRef, decide: (locked: LockedCase | null, reads: CaseReads) => Decision<T> | Promise<Decision<T>>): Promise<T> {
    let commit: CaseCommit | null = null;
    const result = await this.store.update(ref, async (locked, reads) => {
      const decision = await decide(locked, reads);
      commit = decision.commit;
      return decision;
    });
    if (commit) this.written.push(commit);
    return result;
  }
}

/** One case as the in-memory world holds it. */
interface WorldCase {
  readonly rows: CaseRows;
  row: Pick<CaseUpdate, 'status' | 'stateLabel' | 'version' | 'auditSeq' | 'auditHead'> & Pick<NewCase, 'dueAt' | 'dueDerivation' | 'clocks'>;
  readonly audits: AuditEvent[];
}

/**
 * A task state left by `supplement.submitted` (cancelling its task, its deadline and its delay) for a second
 * one, both timing out into a refusal after ten days: cancellations by task and by send id, with and without
 * the case closing, which the shipped processes never do. Its case deadline can be given up (an incident) and
 * retried, or left failed while the case closes.
 */
const WITHDRAWABLE: ProcessDefinition = {
  key: 'effect-contract',
  version: 1,
  title: 'Effect contract',
  machine: {
    id: 'effect-contract',
    context: { outcomes: {}, rejections: [] },
    initial: 'review',
    states: {
      review: {
        ...taskState({ task: 'review', kind: 'review', title: 'Review', department: 'fire', workingDays: 1 }, { 'supplement.submitted': 'recheck' }),
        after: { 864000000: 'timedOut' },
      },
      recheck: { ...taskState({ task: 'recheck', kind: 'review', title: 'Recheck', department: 'fire', workingDays: 1 }, {}), after: { 864000000: 'timedOut' } },
      timedOut: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
    },
  },
};

let f: EngineFixture;
let store: RecordingStore;
let engine: Engine;
const world = new Map<string, WorldCase>();
/** How many of the store's writes the world has applied. */
let applied = 0;

beforeAll(async () => {
  f = await createEngineFixture();
  store = new RecordingStore(f.store);
  engine = new Engine({ store, catalog: f.catalog, clock: f.clock, licenceSigner: TEST_LICENCE_SIGNER });
  await f.catalog.publish(WITHDRAWABLE);
  await drizzle(f.sql)
    .insert(serviceItems)
    .values({ code: 'effect-contract', name: 'Effect contract', legalBasis: 'test', leadDepartment: 'fire', legalLimitDays: 5, committedLimitDays: 5, definitionKey: 'effect-contract', definitionVersion: WITHDRAWABLE.version, calendarCode: 'cn' });
});
afterAll(() => f.close());

/** Applies what the store wrote since last time to the in-memory world. */
function catchUp(): void {
  for (const write of store.written.slice(applied)) {
    if ('case' in write) {
      const rows = emptyCaseRows();
      applyEffects(rows, write.effects);
      world.set(write.case.id, { rows, row: { ...write.case, ...(rows.caseClocks ? { clocks: rows.caseClocks } : {}) }, audits: [write.audit] });
    } else {
      const c = worldCase(write.caseId);
      applyEffects(c.rows, write.effects);
      c.row = { ...c.row, ...write.next, ...c.rows.caseDue, ...(c.rows.caseClocks ? { clocks: c.rows.caseClocks } : {}) };
      c.audits.push(...write.audits);
    }
  }
  applied = store.written.length;
}

function worldCase(id: string): WorldCase {
  const c = world.get(id);
  if (!c) throw new Error(`the world has no case ${id}`);
  return c;
}

const byId = <T extends { readonly id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/** Rows with their timestamp columns read as dates, sorted by id. */
const withInstants = (rows: readonly Record<string, unknown>[], ...columns: string[]) =>
  byId(rows.map((r) => ({ ...r, id: String(r['id']), ...Object.fromEntries(columns.map((c) => [c, instant(r[c])])) })));

/** What PostgreSQL holds for the case, in the world's shapes. */
async function writtenInPostgres(id: string) {
  const [tasks, timers, opinions, materials, licences, notifications, incidents, notices, copies, comments, requests, audits, [row]] = await Promise.all([
    f.sql`select * from tasks where case_id = ${id}`,
    f.sql`select * from timers where case_id = ${id}`,
    f.sql`select id, case_id as "caseId", task_id as "taskId", department_code as "departmentCode", author_id as "authorId", outcome, text,
      visibility, created_at as at from opinions where case_id = ${id}`,
    f.sql`select id, case_id as "caseId", name, version, sha256, size_bytes::int as "sizeBytes", submitted_by as "submittedBy", submitted_at as at
      from materials where case_id = ${id}`,
    f.sql`select id, case_id as "caseId", number, licence_type as "licenceType", title, holder, holder_id_type as "holderIdType",
      holder_id_number as "holderIdNumber", issuing_department as "issuingDepartment", issued_at as "issuedAt", valid_from as "validFrom",
      valid_until as "validUntil", algorithm, key_id as "keyId", signature from licences where case_id = ${id}`,
    f.sql`select id, case_id as "caseId", template, data,
      case audience when 'applicant' then '{"applicant": true}'::jsonb when 'supervisors' then '{"supervisors": true}'::jsonb else jsonb_build_object('departmentCode', department_code) end as audience
      from notifications where case_id = ${id}`,
    f.sql`select id, timer_id as "timerId", resolved_at as "resolvedAt", resolved_by as "resolvedBy", resolution from timer_incidents
      where case_id = ${id}`,
    f.sql`select * from supervision_notices where case_id = ${id}`,
    f.sql`select * from case_copies where case_id = ${id}`,
    f.sql`select id, case_id as "caseId", author_id as "authorId", department_code as "departmentCode", text, visibility, created_at as at
      from case_comments where case_id = ${id}`,
    f.sql`select id, task_id as "taskId", materials, requested_at as "requestedAt", answered_at as "answeredAt" from supplement_requests where case_id = ${id}`,
    f.sql`select seq, type, hash from audit_events where case_id = ${id} order by seq`,
    f.sql`select status, state_label as "stateLabel", version, audit_seq as "auditSeq", audit_head as "auditHead", due_at as "dueAt",
      due_derivation as "dueDerivation", clocks, warning_level as "warningLevel" from cases where id = ${id}`,
  ]);
  return {
    tasks: byId(tasks.map((t) => ({ ...toTaskRecord(t), warning: t['warning_level'] }))),
    timers: byId(timers.map(toTimerRecord)),
    opinions: withInstants(opinions, 'at'),
    materials: withInstants(materials, 'at'),
    licences: withInstants(licences.map((l) => ({ ...l, validUntil: optionalInstant(l['validUntil']) })), 'issuedAt', 'validFrom'),
    notifications: withInstants(notifications),
    incidents: byId(incidents.map((i) => ({ ...i, id: String(i['id']), resolvedAt: optionalInstant(i['resolvedAt']) }))),
    notices: byId(notices.map(toSupervisionNotice)),
    copies: byId(copies.map(toCaseCopy)),
    comments: withInstants(comments, 'at'),
    supplementRequests: byId(requests.map((r) => ({ ...r, id: String(r['id']), requestedAt: instant(r['requestedAt']), answeredAt: optionalInstant(r['answeredAt']) }))),
    audits: [...audits],
    case: { ...row, dueAt: instant(row?.['dueAt']) },
  };
}

/** The same, as the in-memory world wrote it. */
function writtenInMemory(id: string) {
  const { rows, row, audits } = worldCase(id);
  return {
    tasks: byId([...rows.tasks.values()].map((t) => ({ ...t, warning: rows.warnings.get(t.id) ?? 'green' }))),
    timers: byId([...rows.timers.values()]),
    opinions: byId(rows.opinions),
    materials: byId(rows.materials),
    licences: byId(rows.licences),
    notifications: byId(rows.notifications),
    incidents: byId([...rows.incidents.values()]),
    notices: byId([...rows.notices.values()]),
    copies: byId([...rows.copies.values()]),
    comments: byId(rows.comments),
    supplementRequests: byId(rows.supplementRequests),
    audits: audits.map((a) => ({ seq: a.seq, type: a.type, hash: a.hash })),
    case: {
      status: row.status,
      stateLabel: row.stateLabel,
      version: row.version,
      auditSeq: row.auditSeq,
      auditHead: row.auditHead,
      dueAt: row.dueAt,
      dueDerivation: row.dueDerivation,
      clocks: row.clocks,
      warningLevel: rows.caseColour,
    },
  };
}

async function expectSameRows(id: string): Promise<void> {
  catchUp();
  expect(await writtenInPostgres(id)).toEqual(writtenInMemory(id));
}

/** Runs a command on the engine, then compares the case's rows. */
async function step(id: string, command: Parameters<Engine['execute']>[0]): Promise<void> {
  await engine.execute(command);
  await expectSameRows(id);
}

function liveTask(id: string, key: string) {
  catchUp();
  const task = [...worldCase(id).rows.tasks.values()].find((t) => t.key === key && (t.status === 'open' || t.status === 'claimed'));
  if (!task) throw new Error(`case ${id} has no open task ${key}`);
  return task;
}

const complete = (id: string, key: string, user: string, outcome: TaskOutcome = 'approve', extra: Partial<CompleteTask> = {}) =>
  step(id, { type: 'task.complete', actor: demoActor(user), taskId: liveTask(id, key).id, outcome, opinion: { text: `${key}: ${outcome}`, visibility: 'internal' }, ...extra });

async function start(serviceItemCode: string): Promise<string> {
  const { caseId } = await engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode });
  await expectSameRows(caseId);
  return caseId;
}

const supplement = (id: string) =>
  step(id, { type: 'supplement.submit', actor: demoActor('window.clerk'), caseId: asCaseId(id), materials: [{ name: '补正材料 Supplement', sha256: 'c'.repeat(64), sizeBytes: 4096 }] });

/** Gives a pending timer up as the timer worker does, outside any commit, in PostgreSQL and in the world; returns its incident. */
async function giveUp(id: string, timer: string): Promise<string> {
  const incidentId = await openTimerIncident(f.sql, { timerId: timer, error: 'test', attempts: 3, firstFailedAt: f.clock.now(), lastFailedAt: f.clock.now() });
  if (!incidentId) throw new Error(`timer ${timer} was not pending`);
  giveUpTimer(worldCase(id).rows, timer, incidentId);
  await expectSameRows(id);
  return incidentId;
}

/** Fires the case's pending timer of this kind (and so every one due with it), at its due instant. */
async function fireAt(id: string, kind: string): Promise<void> {
  const due = [...worldCase(id).rows.timers.values()].filter((t) => t.kind === kind && t.status === 'pending').sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime());
  const [latest] = due;
  if (!latest) throw new Error(`case ${id} has no pending ${kind} timer`);
  if (f.clock.now() < latest.dueAt) f.clock.set(latest.dueAt);
  await step(id, { type: 'timer.fire', timerId: latest.id });
}

describe('every kind of effect is written alike in PostgreSQL and in the in-memory world', () => {
  it('a construction permit: returned at acceptance, claimed and released, overdue, corrected, refused jointly', async () => {
    const id = await start('construction-permit');
    await complete(id, 'acceptance', 'window.clerk', 'return', { supplementRequest: { materials: [{ name: '施工合同 Construction contract', reason: '合同未盖章 the contract is not sealed' }] } });
    await supplement(id); // answers the request
    await complete(id, 'acceptance', 'window.clerk');
    await step(id, { type: 'task.claim', actor: demoActor('fire.handler'), taskId: liveTask(id, 'review.fire').id });
    await step(id, { type: 'task.release', actor: demoActor('fire.lead'), taskId: liveTask(id, 'review.fire').id });
    await step(id, { type: 'task.claim', actor: demoActor('planning.handler'), taskId: liveTask(id, 'review.planning').id });
    // 转办: to a person of the department (claimed by them), to another department (unclaimed there), and back.
    const fireTo = (actor: string, to: TransferTarget) => step(id, { type: 'task.transfer', actor: demoActor(actor), taskId: liveTask(id, 'review.fire').id, to, reason: '转办' });
    await fireTo('fire.lead', { userId: userId('fire.handler'), departmentCode: departmentCode('fire'), roles: ['handler'] });
    await fireTo('housing.lead', { departmentCode: departmentCode('ecology') });
    await fireTo('housing.lead', { departmentCode: departmentCode('fire') });
    await fireAt(id, 'task.deadline'); // the five review deadlines together: each review warned red
    await complete(id, 'review.fire', 'fire.handler', 'reject');
    await complete(id, 'review.water', 'water.handler', 'return');
    await complete(id, 'correction.water', 'housing.handler');
    for (const department of ['water', 'planning', 'ecology', 'civil-air-defence']) await complete(id, `review.${department}`, `${department}.handler`);
    await complete(id, 'refusal', 'housing.lead'); // completes its task and closes the case in one command

    expect(worldCase(id).row.status).toBe('refused');
  });

  it('a food business licence: issued', async () => {
    const id = await start('food-business-licence');
    await complete(id, 'acceptance', 'window.clerk');
    await complete(id, 'documentReview', 'market.handler');
    await complete(id, 'inspection', 'market.handler');
    await complete(id, 'signOff', 'market.lead');

    expect(worldCase(id).rows.licences).toHaveLength(1);
  });

  it('a task state left for another, a failed timer retried, then a timeout that cancels a warned task with the case', async () => {
    const id = await start('effect-contract');
    await supplement(id); // cancels the review, its deadline and its delay; opens the recheck
    const caseDeadline = [...worldCase(id).rows.timers.values()].find((t) => t.kind === 'case.deadline');
    if (!caseDeadline) throw new Error('no case deadline');
    const incidentId = await giveUp(id, caseDeadline.id);
    await step(id, { type: 'incident.retry', actor: demoActor('admin'), incidentId, timerId: timerId(caseDeadline.id) });
    await fireAt(id, 'machine.delay'); // with it the recheck's deadline (warned) and the case's: the case closes

    expect(worldCase(id).row.status).toBe('refused');
  });

  it('a case closing while a timer is failed: the timer is cancelled and its incident resolved with the case', async () => {
    const id = await start('effect-contract');
    const caseDeadline = [...worldCase(id).rows.timers.values()].find((t) => t.kind === 'case.deadline');
    if (!caseDeadline) throw new Error('no case deadline');
    const incidentId = await giveUp(id, caseDeadline.id);
    await fireAt(id, 'machine.delay'); // the review's deadline fires with it, not the failed case deadline: the case closes

    expect(worldCase(id).row.status).toBe('refused');
    expect(worldCase(id).rows.incidents.get(incidentId)).toMatchObject({ resolvedBy: 'system', resolution: 'case-closed' });
    expect(worldCase(id).rows.timers.get(caseDeadline.id)?.status).toBe('cancelled');
  });

  it('deadlines counted again after a calendar import: a task, its timer, the case and its timer rescheduled', async () => {
    await installCalendar(f.sql, { ...TEST_CALENDAR_BASE, name: 'Test calendar (tests only)' }, chineseDaysYears(2025, 2026));
    await drizzle(f.sql)
      .insert(serviceItems)
      .values({ code: 'effect-contract-recount', name: 'Recount', legalBasis: 'test', leadDepartment: 'market', legalLimitDays: 20, committedLimitDays: 20, definitionKey: 'food-business-licence', definitionVersion: foodBusinessLicence.version, calendarCode: TEST_CALENDAR_BASE.code });
    f.clock.set(beijing('2026-12-31T09:00')); // the acceptance deadline falls on the estimated 4 January 2027
    const id = await start('effect-contract-recount');
    await importCalendarYear(f.sql, { calendarCode: TEST_CALENDAR_BASE.code, ...FICTIONAL_2027 }, demoActor('admin'), f.clock.now());
    f.clock.advance({ minutes: 1 }); // past the catalogue's cache

    await step(id, { type: 'deadlines.recompute', caseId: asCaseId(id) });

    expect(worldCase(id).rows.caseDue?.dueDerivation.provisional).toBe(false);
  });

  it('supervision notices (督办): one on a task answered then closed, one on the case closed, their clocks and rung timers stopped', async () => {
    const id = await start('construction-permit');
    await complete(id, 'acceptance', 'window.clerk');
    const issue = async (task?: string) => {
      const result = await engine.execute({ type: 'supervision-notice.issue', actor: demoActor('supervisor'), caseId: asCaseId(id), ...(task ? { taskId: taskId(task) } : {}), message: '请说明办理进度', responseWorkingDays: 2 });
      await expectSameRows(id);
      return result.noticeId!;
    };
    const answered = await issue(liveTask(id, 'review.fire').id);
    await step(id, { type: 'supervision-notice.respond', actor: demoActor('fire.handler'), noticeId: answered, response: '已安排核查' });
    const closed = await issue();
    await step(id, { type: 'supervision-notice.close', actor: demoActor('supervisor'), noticeId: closed });
    expect([...worldCase(id).rows.notices.values()].map((n) => [n.departmentCode, n.status]).sort()).toEqual([
      ['fire', 'answered'],
      ['housing', 'closed'],
    ]);
    await step(id, { type: 'supervision-notice.close', actor: demoActor('supervisor'), noticeId: answered });
    expect([...worldCase(id).rows.notices.values()].map((n) => [n.departmentCode, n.status, n.response]).sort()).toEqual([
      ['fire', 'closed', '已安排核查'],
      ['housing', 'closed', null],
    ]);
  });

  it('withdrawals: a review taken back (撤回) and reopened, then the case withdrawn (撤件) with its open tasks and timers', async () => {
    const id = await start('construction-permit');
    await complete(id, 'acceptance', 'window.clerk');
    await complete(id, 'review.fire', 'fire.handler');
    const fire = [...worldCase(id).rows.tasks.values()].find((t) => t.key === 'review.fire' && t.status === 'completed');
    if (!fire) throw new Error('the fire review was not completed');
    await step(id, { type: 'task.withdraw', actor: demoActor('fire.handler'), taskId: fire.id, reason: '意见有误' });
    expect(liveTask(id, 'review.fire').id).not.toBe(fire.id);
    await step(id, { type: 'case.withdraw', actor: demoActor('window.clerk'), caseId: asCaseId(id), reason: '申请人撤回申请' });

    expect(worldCase(id).row.status).toBe('withdrawn');
  });

  it('a suspension (中止) during the public notice: the period that ended meanwhile is relayed at the resumption (恢复) and fires; another case terminated (终止)', async () => {
    const id = await start('construction-permit');
    await complete(id, 'acceptance', 'window.clerk');
    for (const department of ['planning', 'ecology', 'fire', 'civil-air-defence', 'water']) await complete(id, `review.${department}`, `${department}.handler`);
    await complete(id, 'decision', 'housing.lead');
    const ground = { reason: '诉讼未决', legalBasis: '《某省行政审批条例》第二十条' };
    await step(id, { type: 'case.suspend', actor: demoActor('housing.lead'), caseId: asCaseId(id), ...ground });
    await fireAt(id, 'period'); // a suspended case fires nothing: the period stays pending
    expect([...worldCase(id).rows.timers.values()].filter((t) => t.kind === 'period' && t.status === 'pending')).toHaveLength(1);
    await step(id, { type: 'case.resume', actor: demoActor('supervisor'), caseId: asCaseId(id), reason: '诉讼已审结' });
    await fireAt(id, 'period');
    expect(worldCase(id).row.status).toBe('approved');

    const other = await start('construction-permit');
    await complete(other, 'acceptance', 'window.clerk');
    await step(other, { type: 'case.suspend', actor: demoActor('supervisor'), caseId: asCaseId(other), ...ground });
    await step(other, { type: 'case.terminate', actor: demoActor('housing.lead'), caseId: asCaseId(other), ...ground });
    expect(worldCase(other).row.status).toBe('terminated');
  });

  it('an or-sign (或签): the first deputy director signs, the other’s task is cancelled', async () => {
    const id = await start('road-occupation');
    await complete(id, 'acceptance', 'window.clerk');
    await complete(id, 'review.traffic-police', 'traffic-police.handler');
    await complete(id, 'review.municipal-roads', 'municipal-roads.handler');
    await complete(id, 'signOff.urban-management.deputy-b', 'urban-management.deputy-b');

    expect([...worldCase(id).rows.tasks.values()].find((t) => t.key === 'signOff.urban-management.deputy-a')?.status).toBe('cancelled');
    expect(worldCase(id).rows.licences).toHaveLength(1);
  });

  it('a substitution (代理): a signer’s task opens for their substitute; a task taken over (接办), then released', async () => {
    const now = f.clock.now();
    const from = new Date(now.getTime() - 3_600_000).toISOString();
    const until = new Date(now.getTime() + 86_400_000).toISOString();
    await f.sql`insert into substitutions (id, user_id, substitute_id, starts_at, ends_at, reason, created_at)
      values (${randomUUID()}, 'urban-management.deputy-a', 'urban-management.lead', ${from}, ${until}, '出差', ${now.toISOString()})`;
    const road = await start('road-occupation');
    await complete(road, 'acceptance', 'window.clerk');
    await complete(road, 'review.traffic-police', 'traffic-police.handler');
    await complete(road, 'review.municipal-roads', 'municipal-roads.handler');
    expect(liveTask(road, 'signOff.urban-management.deputy-a')).toMatchObject({ assigneeId: 'urban-management.lead', substitutedFor: 'urban-management.deputy-a' });

    const id = await start('construction-permit');
    await complete(id, 'acceptance', 'window.clerk');
    const fire = liveTask(id, 'review.fire').id;
    await step(id, { type: 'task.claim', actor: demoActor('fire.handler'), taskId: fire });
    const substitute = demoActor('fire.lead');
    const window = { id: randomUUID(), absentId: userId('fire.handler'), substitute, startsAt: new Date(from), endsAt: new Date(until), cancelledAt: null };
    await step(id, { type: 'task.take-over', actor: substitute, taskId: fire, substitution: window });
    await step(id, { type: 'task.release', actor: substitute, taskId: fire });
    await complete(id, 'review.fire', 'fire.handler');
  });

  it('a delegation (委派): delegated, taken back, delegated again, returned with a proposal, released (ending it), completed', async () => {
    const id = await start('construction-permit');
    await complete(id, 'acceptance', 'window.clerk');
    const fire = liveTask(id, 'review.fire').id;
    const holder = demoActor('fire.handler');
    const delegate = { type: 'task.delegate', actor: holder, taskId: fire, to: { userId: userId('fire.lead'), departmentCode: departmentCode('fire'), roles: ['lead'] }, note: '请起草意见' } as const;
    await step(id, { type: 'task.claim', actor: holder, taskId: fire });
    await step(id, delegate);
    await step(id, { type: 'task.delegation.recall', actor: holder, taskId: fire });
    await step(id, delegate);
    await step(id, { type: 'task.delegation.resolve', actor: demoActor('fire.lead'), taskId: fire, outcome: 'return', opinion: { text: '缺少图纸', visibility: 'internal' } });
    expect(liveTask(id, 'review.fire')).toMatchObject({ assigneeId: 'fire.handler', delegation: 'resolved', delegationProposal: { outcome: 'return', by: 'fire.lead' } });
    await step(id, { type: 'task.release', actor: holder, taskId: fire });
    await step(id, { type: 'task.claim', actor: holder, taskId: fire });
    await complete(id, 'review.fire', 'fire.handler');
  });

  it('copies (抄送) sent, skipped while unread, read once; a comment (批注)', async () => {
    const id = await start('construction-permit');
    await complete(id, 'acceptance', 'window.clerk');
    const copy = { type: 'case.copy', actor: demoActor('fire.handler'), caseId: asCaseId(id), note: '请知悉' } as const;
    await step(id, { ...copy, recipients: [{ departmentCode: departmentCode('tax') }, { userId: userId('market.handler'), departmentCode: departmentCode('market'), roles: ['handler'] }] });
    const toTax = [...worldCase(id).rows.copies.values()].find((c) => c.recipientDepartment === 'tax');
    if (!toTax) throw new Error('no copy to tax');
    await step(id, { type: 'copy.read', actor: demoActor('tax.handler'), copyId: toTax.id });
    await step(id, { ...copy, recipients: [{ departmentCode: departmentCode('tax') }, { userId: userId('market.handler'), departmentCode: departmentCode('market'), roles: ['handler'] }] });
    expect([...worldCase(id).rows.copies.values()].map((c) => [c.recipientDepartment ?? c.recipientUser, c.readBy]).sort()).toEqual([
      ['market.handler', null],
      ['tax', null],
      ['tax', 'tax.handler'],
    ]);
    await step(id, { type: 'case.comment', actor: demoActor('fire.handler'), caseId: asCaseId(id), text: '请关注消防车道', visibility: 'internal' });
    expect(worldCase(id).rows.comments).toHaveLength(1);
  });

  it('the commands above used every kind of effect there is', () => {
    const used = new Set(store.written.flatMap((w) => w.effects.map((e) => e.type)));
    expect([...used].sort()).toEqual(Object.keys(EFFECT_WRITERS).sort());
  });
});
