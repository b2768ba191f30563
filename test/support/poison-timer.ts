import { drizzle } from 'drizzle-orm/postgres-js';
import { serviceItems } from '../../db/schema/index.js';
import { CASE_OUTCOME_TAGS, type ProcessDefinition } from '../../engine/definitions/process-definition.js';
import { demoActor } from '../../apps/demo-users.js';
import { CONSTRUCTION_APPLICATION } from './case-driver.js';
import type { EngineFixture } from './engine-fixture.js';

const review = { task: 'review', kind: 'review', title: 'Fire review', department: 'fire', workingDays: 5 } as const;

/**
 * A process whose timer fails every time it fires, from a definition bug publishing cannot see: `waiting`
 * opens the task `review` and does not cancel it on exit; a minute later its `after` delay moves the case to
 * `reopened`, which opens `review` again while the first is still open. The commit statement refuses a second
 * open task with one key (`tasks_open_key_idx`), so the timer's command fails, however often it is retried.
 */
export const POISON_TIMER: ProcessDefinition = {
  key: 'poison-timer',
  version: 1,
  title: 'Poison timer',
  machine: {
    id: 'poison-timer',
    context: { outcomes: {}, rejections: [] },
    initial: 'waiting',
    states: {
      waiting: {
        entry: [{ type: 'openTask', params: review }],
        after: { 60000: 'reopened' },
        on: { 'supplement.submitted': 'withdrawn' },
      },
      reopened: { entry: [{ type: 'openTask', params: review }], on: { 'supplement.submitted': 'withdrawn' } },
      withdrawn: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
    },
  },
};

/** Publishes the poison process with its service item. */
export async function installPoisonTimer(f: EngineFixture): Promise<void> {
  await f.catalog.publish(POISON_TIMER);
  await drizzle(f.sql)
    .insert(serviceItems)
    .values({ code: 'poison-timer', name: 'Poison timer', legalBasis: 'test', leadDepartment: 'housing', legalLimitDays: 5, committedLimitDays: 5, definitionKey: 'poison-timer', definitionVersion: POISON_TIMER.version, calendarCode: 'cn' });
}

/** Starts a poison case; returns it with its failing timer (the one-minute delay). */
export async function startPoisonCase(f: EngineFixture): Promise<{ caseId: string; timerId: string; dueAt: Date }> {
  const { caseId } = await f.engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'poison-timer' });
  const [timer] = await f.sql<{ id: string; dueAt: string }[]>`
    select id, due_at::text as "dueAt" from timers where case_id = ${caseId} and kind = 'machine.delay'`;
  if (!timer) throw new Error(`poison case ${caseId} has no delay timer`);
  return { caseId, timerId: timer.id, dueAt: new Date(timer.dueAt) };
}
