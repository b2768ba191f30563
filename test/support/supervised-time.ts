import { drizzle } from 'drizzle-orm/postgres-js';
import { serviceItems } from '../../db/schema/index.js';
import { onOutcome, taskState } from '../../engine/definitions/definition-parts.js';
import { CASE_OUTCOME_TAGS } from '../../engine/definitions/process-definition.js';
import { timerId } from '../../engine/ids.js';
import type { EngineFixture } from './engine-fixture.js';

/**
 * What the supervision tests share to make cases late by the real mechanism: a one-step service item whose case
 * and step are due after 1 working day, and the firing of due timers as the manual clock moves.
 */

/** The one-step item's code: a fire review of 1 working day, approval ends the case (approved); lead department housing. */
export const QUICK_PERMIT = 'quick-permit';

/** Publishes {@link QUICK_PERMIT}'s definition and catalogue entry. */
export async function publishQuickPermit(f: EngineFixture): Promise<void> {
  await f.catalog.publish({
    key: QUICK_PERMIT,
    version: 1,
    title: 'Quick permit',
    machine: {
      id: QUICK_PERMIT,
      context: { outcomes: {}, rejections: [] },
      initial: 'review',
      states: {
        review: taskState({ task: 'review.fire', kind: 'review', title: '消防审查', department: 'fire', workingDays: 1 }, { 'task.approved': onOutcome('review.fire', 'approved') }),
        approved: { type: 'final', tags: [CASE_OUTCOME_TAGS.approved] },
      },
    },
  });
  await drizzle(f.sql).insert(serviceItems).values({
    code: QUICK_PERMIT,
    name: 'Quick permit',
    legalBasis: 'test',
    leadDepartment: 'housing',
    legalLimitDays: 1,
    committedLimitDays: 1,
    definitionKey: QUICK_PERMIT,
    definitionVersion: 1,
    calendarCode: 'cn',
  });
}

/** Fires the case's pending timers due by now (rungs, deadlines), earliest first, as the timer worker would. */
export async function fireDueTimers(f: EngineFixture, caseId: string): Promise<void> {
  const due = await f.sql`select id from timers where case_id = ${caseId} and status = 'pending' and due_at <= ${f.clock.now().toISOString()} order by due_at, id`;
  for (const t of due) await f.engine.execute({ type: 'timer.fire', timerId: timerId(String(t['id'])) });
}
