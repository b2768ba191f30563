import type { Sql } from '../db/connection.js';
import { OUTBOX_TOPICS } from '../db/outbox-contract.js';
import { timerId as toTimerId } from '../engine/ids.js';
import type { Engine } from '../engine/engine.js';
import { demoActor } from '../apps/demo-users.js';
import { applicantNameOf, PEOPLE, personOf } from './inbox-seed.js';
import { APPLICATION } from './tongban-flow.js';

/**
 * Loads many cases fast by cloning a few real ones. Each template is a construction permit the real engine
 * took to some state (real XState snapshot, tasks, pending timers); clones are made with one INSERT … SELECT
 * over generate_series per table and chunk, with ids derived from the clone number (md5 → uuid), so tasks
 * and timers can point at their clone's case without a round trip. Dates are shifted per clone so due
 * times spread out as they would in a live system.
 *
 * Simplifications (said in RESULTS.md): clones carry no audit events, opinions or materials (the measured
 * queries do not read them), and their audit head is the template's.
 */
export type TemplateName = 'acceptance' | 'jointReview' | 'decision' | 'approved' | 'refused';

const REVIEWS = ['planning', 'ecology', 'fire', 'civil-air-defence', 'water'] as const;

/** Takes real cases through the engine to each template state; returns their ids. */
export async function makeTemplates(engine: Engine, sql: Sql, fireEngine: Engine): Promise<Record<TemplateName, string>> {
  const open = async (id: string, key: string): Promise<string> => {
    const [row] = await sql<{ id: string }[]>`select id from tasks where case_id = ${id}::uuid and key = ${key} and status in ('open', 'claimed')`;
    if (!row) throw new Error(`template ${id}: no open ${key}`);
    return row.id;
  };
  const complete = async (id: string, key: string, user: string, outcome: 'approve' | 'reject' = 'approve') =>
    engine.execute({ type: 'task.complete', actor: demoActor(user), taskId: (await open(id, key)) as never, outcome, opinion: { text: '同意', visibility: 'internal' } });
  const start = async () => (await engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), ...APPLICATION })).caseId;
  const toReview = async () => {
    const id = await start();
    await complete(id, 'acceptance', 'window.clerk');
    return id;
  };
  const toDecision = async () => {
    const id = await toReview();
    for (const d of REVIEWS) await complete(id, `review.${d}`, `${d}.handler`);
    return id;
  };
  const approved = await toDecision();
  await complete(approved, 'decision', 'housing.lead');
  const [period] = await sql<{ id: string }[]>`select id from timers where case_id = ${approved}::uuid and kind = 'period' and status = 'pending'`;
  await fireEngine.execute({ type: 'timer.fire', timerId: toTimerId(period!.id) });
  const refused = await toReview();
  await complete(refused, 'review.fire', 'fire.handler', 'reject');
  // The joint refusal opens once every department has finished its review.
  for (const d of REVIEWS.filter((r) => r !== 'fire')) await complete(refused, `review.${d}`, `${d}.handler`);
  await complete(refused, 'refusal', 'housing.lead');
  return { acceptance: await start(), jointReview: await toReview(), decision: await toDecision(), approved, refused };
}

/**
 * Ids of clone `g` (SQL over an integer `g`): the clone number leads, so that primary-key inserts append to
 * the right edge of their B-trees. Random ids (as the engine makes) made a million-case load 5× slower
 * here: every insert touched a random leaf of an index much larger than the 128 MB of shared buffers.
 */
const idOf = (g: string, kind: string, of: string) =>
  `(lpad(to_hex(${g}), 8, '0') || '-' || substr(md5(${of}), 1, 4) || '-4000-${kind}-' || substr(md5(${of}), 5, 12))::uuid`;
export const cloneCaseId = (g: string) => idOf(g, '8000', `'case'`);
const cloneTaskId = (g: string, key: string) => idOf(g, '9000', key);
const cloneTimerId = (g: string, id: string) => idOf(g, 'a000', id);

export interface CloneOptions {
  readonly template: string;
  /** Clone numbers, 1 ≤ from ≤ to < 2^32. */
  readonly from: number;
  readonly to: number;
  /**
   * SQL for each clone's creation instant, over `g` (e.g. spread over the last 30 days); the clone's dates
   * shift with it and its deadlines carry no derivation (one counted on the template's start would not match
   * them). Omitted: every clone keeps the template's dates and the derivations of its deadlines, verbatim.
   */
  readonly createdAt?: string;
  /** Also write each pending timer's outbox row, so the relay schedules it (timers benchmark). */
  readonly outbox?: boolean;
  /**
   * Name each clone's applicant apart, spread claims, delegations and completions over the departments' people and
   * clone licences numbered apart (queries benchmark: the inbox's views and searches, `inbox-seed.ts`).
   */
  readonly people?: boolean;
}

/** Clones template cases `from..to` (inclusive) with their tasks and pending timers; one statement per table. */
export async function cloneCases(sql: Sql, o: CloneOptions): Promise<void> {
  const shift = (col: string) => `(b.base + (${col} - c.created_at))`;
  const range = `generate_series(${o.from}::int, ${o.to}::int) as g, lateral (select ${o.createdAt ?? 'c.created_at'} as base) as b`;
  const derivation = (alias: string) => (o.createdAt === undefined ? `${alias}.due_derivation` : 'null::jsonb');
  await sql.begin(async (tx) => {
    // Foreign-key triggers off for the load: the clones are consistent by construction. So are the supervision
    // counters' (migration 0019): a loader counts them again once, with `supervision_recount()`. The case numbers'
    // trigger (migration 0022) is off too: each clone is numbered here as it would have numbered it.
    await tx.unsafe('set local session_replication_role = replica');
    await tx.unsafe(`
      insert into cases (id, number, service_item_code, service_item_version, definition_key, definition_version, lead_department, intake_department, applicant,
        status, state_label, snapshot, version, audit_seq, audit_head, calendar_code, counting_rule, due_at, due_derivation, created_at, updated_at, completed_at)
      select ${cloneCaseId('g')}, case_number_text(b.base, nextval('case_numbers')), c.service_item_code, c.service_item_version, c.definition_key, c.definition_version, c.lead_department, c.intake_department,
        ${o.people ? `jsonb_set(c.applicant, '{name}', to_jsonb(${applicantNameOf('g')}))` : 'c.applicant'}, c.status, c.state_label, c.snapshot, c.version, c.audit_seq, c.audit_head, c.calendar_code, c.counting_rule,
        ${shift('c.due_at')}, ${derivation('c')}, b.base, ${shift('c.updated_at')}, case when c.completed_at is null then null else ${shift('c.completed_at')} end
      from cases c, ${range} where c.id = '${o.template}'`);
    // With people: every other clone's open task claimed by one of its department's people (by g's digits below 40),
    // one in ten of each one's (by the digits above) delegated to them by the next one; a completed task completed by
    // one of them in turn.
    const claimed = `t.status = 'open' and g % 2 = 0`;
    const [status, assignee, delegatedBy, delegation, completedBy] = o.people
      ? [
          `case when ${claimed} then 'claimed' else t.status end`,
          `case when ${claimed} then ${personOf('t.department_code', `(g / 2) % ${PEOPLE}`)} else t.assignee_id end`,
          `case when ${claimed} and (g / 40) % 10 = 1 then ${personOf('t.department_code', `(g / 2 + 1) % ${PEOPLE}`)} end`,
          `case when ${claimed} and (g / 40) % 10 = 1 then 'pending' end`,
          `case when t.completed_by is null then null else ${personOf('t.department_code', `g % ${PEOPLE}`)} end`,
        ]
      : ['t.status', 't.assignee_id', 'null', 'null', 't.completed_by'];
    await tx.unsafe(`
      insert into tasks (id, case_id, key, kind, title, department_code, service_item_code, status, assignee_id, outcome, warning_level,
        opened_at, due_at, due_derivation, completed_at, completed_by, delegated_by, delegation)
      select ${cloneTaskId('g', 't.key')}, ${cloneCaseId('g')}, t.key, t.kind, t.title, t.department_code, t.service_item_code, ${status}, ${assignee},
        t.outcome, t.warning_level, ${shift('t.opened_at')}, ${shift('t.due_at')}, ${derivation('t')},
        case when t.completed_at is null then null else ${shift('t.completed_at')} end, ${completedBy}, ${delegatedBy}, ${delegation}
      from tasks t join cases c on c.id = t.case_id, ${range} where c.id = '${o.template}'`);
    if (o.people) {
      await tx.unsafe(`
        with issued as (
          insert into licences (id, case_id, number, licence_type, title, holder, issued_at)
          select ${idOf('g', 'b000', 'l.number')}, ${cloneCaseId('g')}, l.number || '-' || g, l.licence_type, l.title, l.holder, ${shift('l.issued_at')}
          from licences l join cases c on c.id = l.case_id, ${range} where c.id = '${o.template}'
          returning number, case_id
        )
        insert into licence_numbers (number, case_id) select number, case_id from issued`);
    }
    await tx.unsafe(`
      insert into timers (id, case_id, kind, task_id, event, send_id, due_at, due_derivation, status)
      select ${cloneTimerId('g', 'tm.id::text')}, ${cloneCaseId('g')}, tm.kind,
        case when tm.task_id is null then null else ${cloneTaskId('g', 't.key')} end, tm.event, tm.send_id, ${shift('tm.due_at')}, ${derivation('tm')}, 'pending'
      from timers tm join cases c on c.id = tm.case_id left join tasks t on t.id = tm.task_id, ${range}
      where c.id = '${o.template}' and tm.status = 'pending'`);
    if (o.outbox) {
      await tx.unsafe(`
        insert into outbox (case_id, topic, payload)
        select ${cloneCaseId('g')}, '${OUTBOX_TOPICS.timer}', jsonb_build_object('timerId', ${cloneTimerId('g', 'tm.id::text')}, 'dueAt', ${shift('tm.due_at')})
        from timers tm join cases c on c.id = tm.case_id, ${range}
        where c.id = '${o.template}' and tm.status = 'pending'`);
    }
  });
}

/**
 * Runs `load` with the secondary indexes of the bulk-loaded tables dropped (`cloneCases` also turns
 * foreign-key triggers off), then recreates the indexes from their saved definitions and
 * analyzes: the standard way to bulk-load, minutes faster than maintaining 11 indexes row by row.
 */
export async function withIndexesDeferred(sql: Sql, tables: readonly string[], load: (sql: Sql) => Promise<void>): Promise<number> {
  const defs = await sql<{ name: string; def: string }[]>`
    select i.indexname as name, i.indexdef as def from pg_indexes i
    where i.schemaname = 'public' and i.tablename = any(${tables as string[]})
      and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`;
  for (const d of defs) await sql.unsafe(`drop index ${d.name}`);
  const started = performance.now();
  try {
    await load(sql);
  } finally {
    for (const d of defs) await sql.unsafe(d.def);
  }
  await sql.unsafe(`vacuum (analyze) ${tables.join(', ')}`);
  return performance.now() - started;
}
