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

/**
 * The poison process cured: the same one-minute delay, which ends the case instead of opening its task again. Its
 * timer is relayed at commit (due within the relay's reach) and fires the first time, for tests of delivery.
 */
export const ONE_MINUTE_DELAY: ProcessDefinition = {
  key: 'one-minute-delay',
  version: 1,
  title: 'One-minute delay',
  machine: {
    id: 'one-minute-delay',
    context: { outcomes: {}, rejections: [] },
    initial: 'waiting',
    states: {
      waiting: { entry: [{ type: 'openTask', params: review }], after: { 60000: 'lapsed' } },
      lapsed: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
    },
  },
};

/** Publishes a test process with a service item of its key. */
export async function installTestProcess(f: EngineFixture, definition: ProcessDefinition): Promise<void> {
  await f.catalog.publish(definition);
  await drizzle(f.sql)
    .insert(serviceItems)
    .values({ code: definition.key, name: definition.title, legalBasis: 'test', leadDepartment: 'housing', legalLimitDays: 5, committedLimitDays: 5, definitionKey: definition.key, definitionVersion: definition.version, calendarCode: 'cn' });
}

/** Publishes the poison process with its service item. */
export function installPoisonTimer(f: EngineFixture): Promise<void> {
  return installTestProcess(f, POISON_TIMER);
}

/** Starts a poison case; returns it with its failing timer (the one-minute delay). */
export function startPoisonCase(f: EngineFixture): Promise<{ caseId: string; timerId: string; dueAt: Date }> {
  return startDelayCase(f, POISON_TIMER);
}

/** Starts a case of a test process installed by {@link installTestProcess}; returns it with its one-minute delay's timer. */
export async function startDelayCase(f: EngineFixture, definition: ProcessDefinition): Promise<{ caseId: string; timerId: string; dueAt: Date }> {
  const { caseId } = await f.engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: definition.key });
  const [timer] = await f.sql<{ id: string; dueAt: string }[]>`
    select id, due_at::text as "dueAt" from timers where case_id = ${caseId} and kind = 'machine.delay'`;
  if (!timer) throw new Error(`case ${caseId} of ${definition.key} has no delay timer`);
  return { caseId, timerId: timer.id, dueAt: new Date(timer.dueAt) };
}
