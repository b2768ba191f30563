import { and, asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import type { Applicant } from '../engine/case-record.js';
import type { LegalClock } from '../engine/time/legal-clock.js';
import type { WorkingCalendar } from '../engine/time/working-calendar.js';
import { loadWorkingCalendar } from './calendars.js';
import type { Sql } from './connection.js';
import { caseVisibleTo } from './case-visibility.js';
import { auditEvents, caseComments, cases, licences, materials, opinions, tasks } from './schema/index.js';

export type CaseRow = typeof cases.$inferSelect;

/** A case with everything a participant reads: tasks, opinions, comments, materials, licences and the timeline. */
export interface CaseView {
  readonly case: CaseRow;
  readonly tasks: (typeof tasks.$inferSelect)[];
  readonly opinions: (typeof opinions.$inferSelect)[];
  /** Comments (批注), oldest first. */
  readonly comments: (typeof caseComments.$inferSelect)[];
  readonly materials: (typeof materials.$inferSelect)[];
  readonly licences: (typeof licences.$inferSelect)[];
  readonly timeline: (typeof auditEvents.$inferSelect)[];
}

/** The case if the actor may read it, else null (the API answers 404 either way). */
export async function findVisibleCase(sql: Sql, actor: Actor, caseId: string): Promise<CaseView | null> {
  const db = drizzle(sql);
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), caseVisibleTo(actor)));
  if (!row) return null;
  const [taskRows, opinionRows, commentRows, materialRows, licenceRows, timeline] = await Promise.all([
    db.select().from(tasks).where(eq(tasks.caseId, caseId)).orderBy(asc(tasks.openedAt), asc(tasks.key)),
    db.select().from(opinions).where(eq(opinions.caseId, caseId)).orderBy(asc(opinions.createdAt)),
    db.select().from(caseComments).where(eq(caseComments.caseId, caseId)).orderBy(asc(caseComments.createdAt), asc(caseComments.id)),
    db.select().from(materials).where(eq(materials.caseId, caseId)).orderBy(asc(materials.submittedAt)),
    db.select().from(licences).where(eq(licences.caseId, caseId)),
    db.select().from(auditEvents).where(eq(auditEvents.caseId, caseId)).orderBy(asc(auditEvents.seq)),
  ]);
  return { case: row, tasks: taskRows, opinions: opinionRows, comments: commentRows, materials: materialRows, licences: licenceRows, timeline };
}

/**
 * The clocks of a case the actor may read (none kept: an empty list), with the calendar they count on; null
 * when there is no such case or the actor may not read it (the API answers 404 either way).
 */
export async function findVisibleCaseClocks(sql: Sql, actor: Actor, caseId: string): Promise<{ clocks: readonly LegalClock[]; calendar: WorkingCalendar } | null> {
  const [row] = await drizzle(sql)
    .select({ clocks: cases.clocks, calendarCode: cases.calendarCode })
    .from(cases)
    .where(and(eq(cases.id, caseId), caseVisibleTo(actor)));
  if (!row) return null;
  return { clocks: row.clocks ?? [], calendar: await loadWorkingCalendar(sql, row.calendarCode) };
}

/**
 * The applicant of a case, unmasked, whoever asks: only for a read the engine has just authorized and
 * audited (`personal-data.read`). Null when there is no such case.
 */
export async function findApplicant(sql: Sql, caseId: string): Promise<Applicant | null> {
  const [row] = await sql<{ applicant: Applicant }[]>`select applicant from cases where id = ${caseId}`;
  return row?.applicant ?? null;
}

/** Whether any case exists at all (the demo data is installed into an empty database only). */
export async function anyCaseExists(sql: Sql): Promise<boolean> {
  const [row] = await sql`select exists (select 1 from cases) as any`;
  return row?.['any'] === true;
}
