import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { DeadlineDerivation } from '../../engine/time/deadline.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * 好差评: the applicant's rating of a case that has ended, one per case. A bad one (`score` ≤ 2) gives the lead
 * department a fix task (整改) due in 15 working days; its answer is what the applicant reads back.
 */
export const caseRatings = pgTable(
  'case_ratings',
  {
    caseId: uuid('case_id').primaryKey(),
    /** 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
    score: integer('score').notNull(),
    comment: text('comment').notNull(),
    ratedAt: instant('rated_at').notNull(),
    /** The fix task's department and due instant (counted on the case's calendar); null for a good rating. */
    fixDepartment: text('fix_department'),
    fixDueAt: instant('fix_due_at'),
    fixDueDerivation: jsonb('fix_due_derivation').$type<DeadlineDerivation>(),
    answer: text('answer'),
    answeredBy: text('answered_by'),
    answeredAt: instant('answered_at'),
  },
  (t) => [index('case_ratings_open_fix_idx').on(t.fixDepartment, t.fixDueAt).where(sql`${t.fixDepartment} is not null and ${t.answeredAt} is null`)],
);
