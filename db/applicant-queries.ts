import type { Actor } from '../engine/access/actor.js';
import type { ProgressFacts } from '../engine/access/applicant-progress.js';
import { fixTaskOpened, type CaseRating } from '../engine/case-rating.js';
import type { CaseStatus } from '../engine/case-record.js';
import { CaseNotFoundError, FixTaskNotFoundError, RatingNotAllowedError } from '../engine/errors.js';
import { departmentCode, userId, type DepartmentCode } from '../engine/ids.js';
import type { CountingRule } from '../engine/time/counting-rule.js';
import type { DeadlineDerivation } from '../engine/time/deadline.js';
import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import { withSecurityEvent } from './security-log.js';

/** The rate-limit action (`rate_limit_windows`) counting wrong query codes. */
const WRONG_CODE = 'applicant.wrong-code';

/**
 * The windows counting wrong query codes for a case number: the number's from one client address (`address`, as
 * `clientAddress` names it) and the number's from every address — the two lockouts of `api/routes/progress.ts`.
 */
export const wrongCodeWindows = (caseNumber: string, address: string) =>
  ({
    fromAddress: { principal: `case:${caseNumber}@${address}`, action: WRONG_CODE },
    number: { principal: `case:${caseNumber}`, action: WRONG_CODE },
  }) as const;

/** A case as the applicant's query code is checked against it, with what rating it needs. */
export interface CaseByNumber {
  readonly id: string;
  readonly number: string;
  readonly queryCodeHash: string | null;
  readonly status: CaseStatus;
  readonly leadDepartment: DepartmentCode;
  readonly calendarCode: string;
  readonly countingRule: CountingRule;
  readonly rated: boolean;
}

/** The case of this number (受理编号), or null. */
export async function findCaseByNumber(sql: Sql, caseNumber: string): Promise<CaseByNumber | null> {
  const [r] = await sql`select c.id, c.number, c.query_code_hash, c.status, c.lead_department, c.calendar_code, c.counting_rule,
      exists (select 1 from case_ratings r where r.case_id = c.id) as rated
    from cases c where c.number = ${caseNumber}`;
  if (!r) return null;
  return {
    id: r['id'] as string,
    number: r['number'] as string,
    queryCodeHash: (r['query_code_hash'] as string | null) ?? null,
    status: r['status'] as CaseStatus,
    leadDepartment: departmentCode(r['lead_department'] as string),
    calendarCode: r['calendar_code'] as string,
    countingRule: r['counting_rule'] as CountingRule,
    rated: r['rated'] === true,
  };
}

/** A rating as the applicant reads it back, with its fix task's answer when there is one. */
export interface RatingRow {
  readonly score: number;
  readonly comment: string;
  readonly ratedAt: Date;
  readonly fixDueAt: Date | null;
  readonly answer: string | null;
  readonly answeredAt: Date | null;
}

/** What the progress query tells of one case: the case row's public part, its service item, the facts and the rating. */
export interface CaseProgressRow {
  readonly number: string;
  readonly serviceItem: { readonly code: string; readonly name: string };
  readonly dueAt: Date;
  readonly dueDerivation: DeadlineDerivation | null;
  readonly facts: ProgressFacts;
  readonly rating: RatingRow | null;
}

/** Everything the applicant's progress is told from, read in one round trip per table (five, concurrently). */
export async function readCaseProgress(sql: Sql, caseId: string): Promise<CaseProgressRow> {
  const [[c], taskRows, opinionRows, requestRows, [rating]] = await Promise.all([
    sql`select c.number, c.service_item_code, coalesce(s.name, c.service_item_code) as service_item_name, c.status, c.created_at, c.completed_at,
        c.due_at, c.due_derivation
      from cases c left join service_items s on s.code = c.service_item_code where c.id = ${caseId}`,
    sql`select t.title, t.department_code, coalesce(d.name, t.department_code) as department_name, t.status, t.opened_at, t.due_at, t.completed_at
      from tasks t left join departments d on d.code = t.department_code where t.case_id = ${caseId} order by t.opened_at, t.key`,
    // Only public opinions leave the database for the applicant: an internal one is never read here.
    sql`select o.department_code, coalesce(d.name, o.department_code) as department_name, o.outcome, o.text, o.visibility, o.created_at
      from opinions o left join departments d on d.code = o.department_code
      where o.case_id = ${caseId} and o.visibility = 'public' order by o.created_at`,
    sql`select materials, requested_at, answered_at from supplement_requests where case_id = ${caseId} order by requested_at`,
    sql`select score, comment, rated_at, fix_due_at, answer, answered_at from case_ratings where case_id = ${caseId}`,
  ]);
  if (!c) throw new CaseNotFoundError(caseId);
  const named = (r: Record<string, unknown>) => ({ code: r['department_code'] as string, name: r['department_name'] as string });
  return {
    number: c['number'] as string,
    serviceItem: { code: c['service_item_code'] as string, name: c['service_item_name'] as string },
    dueAt: instant(c['due_at']),
    dueDerivation: (c['due_derivation'] as DeadlineDerivation | null) ?? null,
    facts: {
      status: c['status'] as CaseStatus,
      createdAt: instant(c['created_at']),
      completedAt: optionalInstant(c['completed_at']),
      tasks: taskRows.map((t) => ({
        title: t['title'] as string,
        department: named(t),
        status: t['status'] as ProgressFacts['tasks'][number]['status'],
        openedAt: instant(t['opened_at']),
        dueAt: instant(t['due_at']),
        completedAt: optionalInstant(t['completed_at']),
      })),
      opinions: opinionRows.map((o) => ({
        department: named(o),
        outcome: o['outcome'] as ProgressFacts['opinions'][number]['outcome'],
        text: o['text'] as string,
        visibility: o['visibility'] as ProgressFacts['opinions'][number]['visibility'],
        createdAt: instant(o['created_at']),
      })),
      supplementRequests: requestRows.map((r) => ({
        materials: r['materials'] as ProgressFacts['supplementRequests'][number]['materials'],
        requestedAt: instant(r['requested_at']),
        answeredAt: optionalInstant(r['answered_at']),
      })),
    },
    rating: rating ? ratingRow(rating) : null,
  };
}

const ratingRow = (r: Record<string, unknown>): RatingRow => ({
  score: Number(r['score']),
  comment: r['comment'] as string,
  ratedAt: instant(r['rated_at']),
  fixDueAt: optionalInstant(r['fix_due_at']),
  answer: (r['answer'] as string | null) ?? null,
  answeredAt: optionalInstant(r['answered_at']),
});

/** Who rates: the applicant, known by the case number and its query code only. */
const APPLICANT = { userId: userId('applicant'), departmentCode: null };

/**
 * Keeps the applicant's rating (好差评), with the notice its fix task opens with (`fixTaskOpened`: a bad rating's), and
 * writes `case.rated` to the security log in the same transaction. A rating that lost the race to another for the same
 * case (`case_ratings` keys on the case) is refused as the rules refuse a second one: nothing is written.
 */
export async function recordRating(sql: Sql, ratedCase: { readonly id: string; readonly number: string }, rating: CaseRating): Promise<void> {
  await withSecurityEvent(
    sql,
    async (tx) => {
      const inserted = await tx`insert into case_ratings (case_id, score, comment, rated_at, fix_department, fix_due_at, fix_due_derivation)
        values (${ratedCase.id}, ${rating.score}, ${rating.comment}, ${rating.ratedAt.toISOString()}, ${rating.fix?.department ?? null},
          ${rating.fix?.dueAt.toISOString() ?? null}, ${rating.fix ? JSON.stringify(rating.fix.derivation) : null}::jsonb)
        on conflict (case_id) do nothing returning case_id`;
      if (inserted.length === 0) throw new RatingNotAllowedError(ratedCase.number, 'already-rated');
      const notice = fixTaskOpened(ratedCase.id, rating);
      // The department reads it from the table at once; the relay's poll marks it delivered (no webhook event is made of it).
      if (notice) {
        await tx`insert into notifications (id, case_id, department_code, audience, template, data, created_at)
          values (${notice.id}, ${notice.caseId}, ${notice.audience.departmentCode}, 'department', ${notice.template}, ${JSON.stringify(notice.data)}::jsonb, ${rating.ratedAt.toISOString()})`;
      }
    },
    () => ({
      type: 'case.rated',
      actor: APPLICANT,
      at: rating.ratedAt,
      data: { caseId: ratedCase.id, caseNumber: ratedCase.number, score: rating.score, ...(rating.fix ? { fixDepartment: rating.fix.department, fixDueAt: rating.fix.dueAt.toISOString() } : {}) },
    }),
  );
}

/** A fix task (整改) as its department lists it: the case, the rating, when it is due and how that was counted. */
export interface FixTaskRow {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly serviceItem: { readonly code: string; readonly name: string };
  readonly department: string;
  /** The case's working calendar, on which its fix task's days are counted. */
  readonly calendarCode: string;
  readonly score: number;
  readonly comment: string;
  readonly ratedAt: Date;
  readonly dueAt: Date;
  readonly dueDerivation: DeadlineDerivation | null;
  readonly answer: string | null;
  readonly answeredBy: string | null;
  readonly answeredAt: Date | null;
}

/**
 * Fix tasks by due time: `open` the ones still to answer (the partial index `case_ratings_open_fix_idx`), `answered`
 * the answered ones, latest first. A supervisor reads every department's; anyone else their own department's.
 */
export async function listFixTasks(sql: Sql, reader: Actor, state: 'open' | 'answered', limit = 100): Promise<FixTaskRow[]> {
  const everyDepartment = reader.roles.includes('supervisor');
  const rows = await sql`select r.case_id, c.number, c.service_item_code, coalesce(s.name, c.service_item_code) as service_item_name, r.fix_department,
      c.calendar_code, r.score, r.comment, r.rated_at, r.fix_due_at, r.fix_due_derivation, r.answer, r.answered_by, r.answered_at
    from case_ratings r join cases c on c.id = r.case_id left join service_items s on s.code = c.service_item_code
    where r.fix_department is not null ${everyDepartment ? sql`` : sql`and r.fix_department = ${reader.departmentCode}`}
      and ${state === 'open' ? sql`r.answered_at is null` : sql`r.answered_at is not null`}
    order by ${state === 'open' ? sql`r.fix_due_at` : sql`r.answered_at desc`}, r.case_id limit ${limit}`;
  return rows.map((r) => ({
    caseId: r['case_id'] as string,
    caseNumber: r['number'] as string,
    serviceItem: { code: r['service_item_code'] as string, name: r['service_item_name'] as string },
    department: r['fix_department'] as string,
    calendarCode: r['calendar_code'] as string,
    score: Number(r['score']),
    comment: r['comment'] as string,
    ratedAt: instant(r['rated_at']),
    dueAt: instant(r['fix_due_at']),
    dueDerivation: (r['fix_due_derivation'] as DeadlineDerivation | null) ?? null,
    answer: (r['answer'] as string | null) ?? null,
    answeredBy: (r['answered_by'] as string | null) ?? null,
    answeredAt: optionalInstant(r['answered_at']),
  }));
}

/**
 * The lead department's answer to its fix task, once, written with `rating.fix-answered` in the security log. A case
 * without an open fix task of the answerer's department (none, another's, answered already) changes nothing.
 */
export async function answerFixTask(sql: Sql, actor: Actor, caseId: string, answer: string, at: Date): Promise<void> {
  await withSecurityEvent(
    sql,
    async (tx) => {
      const updated = await tx`update case_ratings set answer = ${answer}, answered_by = ${actor.userId}, answered_at = ${at.toISOString()}
        where case_id = ${caseId} and fix_department = ${actor.departmentCode} and answered_at is null returning case_id`;
      if (updated.length === 0) throw new FixTaskNotFoundError(caseId);
    },
    () => ({ type: 'rating.fix-answered', actor, at, data: { caseId } }),
  );
}

/**
 * A new query code's hash on the case, the old code dead at once and the number's lockouts lifted; only the case's intake window (its department) may,
 * written with `case.query-code-issued` in the security log (never the code). Another department's case, or none: 404.
 */
export async function replaceQueryCode(sql: Sql, actor: Actor, caseId: string, queryCodeHash: string, at: Date): Promise<{ caseNumber: string }> {
  return withSecurityEvent(
    sql,
    async (tx) => {
      const [row] = await tx`update cases set query_code_hash = ${queryCodeHash}
        where id = ${caseId} and intake_department = ${actor.departmentCode} returning number`;
      if (!row) throw new CaseNotFoundError(caseId);
      const caseNumber = row['number'] as string;
      // The new code lifts the lockouts the old one's wrong guesses caused, the number's and every address's: the
      // applicant can look at once.
      const { number } = wrongCodeWindows(caseNumber, '');
      await tx`delete from rate_limit_windows
        where action = ${number.action} and (principal = ${number.principal} or starts_with(principal, ${`${number.principal}@`}))`;
      return { caseNumber };
    },
    (issued) => ({ type: 'case.query-code-issued', actor, at, data: { caseId, caseNumber: issued.caseNumber } }),
  );
}

/** The first `limit` cases by intake, their numbers, service items and statuses: the demo's, which `npm start` prints. */
export async function earliestCases(sql: Sql, limit: number): Promise<{ number: string; serviceItemCode: string; status: string }[]> {
  const rows = await sql`select number, service_item_code, status from cases order by created_at, number limit ${limit}`;
  return rows.map((r) => ({ number: r['number'] as string, serviceItemCode: r['service_item_code'] as string, status: r['status'] as string }));
}
