import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { MONDAY_MORNING, chinaWorkingCalendar } from '../test/unit/support/calendar.js';
import { TEST_ANSWERS, compiledDefinition } from '../test/unit/support/case-world.js';
import { timeoutDefinition } from '../test/unit/support/timeout-definition.js';
import type { ModelSnapshot } from '../test/unit/support/model-state.js';
import { caseEvents, pathOf, workflowModel } from '../test/unit/support/workflow-model.js';
import { shippedDefinitions } from '../workflows/index.js';
import { constructionPermit } from '../workflows/construction-permit.js';
import type { CaseEvent } from './definitions/case-machine.js';
import { restoreSnapshot, startMachine, stateLabel, stepMachine } from './case-snapshot.js';
import { planEffects } from './effect-planner.js';
import { caseId, departmentCode } from './ids.js';
import { CASE_OUTCOME_TAGS, compileDefinition } from './definitions/process-definition.js';
import { DEFAULT_COUNTING_RULE } from './time/counting-rule.js';

/** Actions as data: what the effect planner reads of them. */
const asData = (actions: readonly { type: string; params?: unknown }[]) => actions.map((a) => ({ type: a.type, params: a.params }));

/** What PostgreSQL's jsonb column gives back. */
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/**
 * One state per top-level state and, inside a parallel review, per multiset of region states, for each set of
 * members the lead took out of a review: the regions of a shipped review are built alike, so which department
 * is in which state does not change how a snapshot is stored. The model's graph tells states apart by this
 * shape (dozens of states instead of thousands).
 */
function shapeOf({ value, context }: ModelSnapshot): string {
  const removed = Object.values(context.memberChanges ?? {}).flatMap((byDepartment) => Object.entries(byDepartment).filter(([, c]) => !c.joins).map(([d]) => d));
  const changes = removed.sort().join(',');
  if (typeof value === 'string') return `${changes} ${value}`;
  const regions = Object.entries(value).map(([top, inner]) => `${top}:${Object.values(inner as Record<string, unknown>).map((r) => JSON.stringify(r)).sort().join(',')}`);
  return `${changes} ${regions.join('+')}`;
}

describe('case snapshots stored as JSON', () => {
  it.each(shippedDefinitions.map((d) => [d.key, d] as const))(
    '%s: in every reachable state (up to which region is which), a restored snapshot takes every event exactly like the live one',
    (_, definition) => {
      const compiled = compiledDefinition(definition);
      const machine = compiled.stateMachine;
      const eventsIn = caseEvents(definition);
      const states = workflowModel(definition, { vertex: shapeOf })
        .getShortestPaths({ allowDuplicatePaths: true })
        .map((p) => p.state as ModelSnapshot);
      expect(states.length).toBeGreaterThan(5);
      let accepted = 0;
      for (const live of states) {
        const json = stored(machine.getPersistedSnapshot(live as never));
        for (const event of [...eventsIn(live), { type: 'deadline.elapsed', task: 'none' } as const]) {
          const [next, actions] = transition(machine, live as never, event);
          const step = stepMachine(compiled, json, event);
          expect(step.accepted).toBe(next !== live || actions.length > 0);
          expect(step.stateLabel).toBe(stateLabel(next.value));
          expect(asData(step.actions)).toEqual(asData(actions));
          expect(stored(step.snapshot)).toEqual(stored(machine.getPersistedSnapshot(next)));
          if (step.accepted) accepted += 1;
        }
      }
      expect(accepted).toBeGreaterThan(states.length);
    },
    // A walk of every reachable state: ~1.5 s alone, several times that on a machine busy with other suites.
    20_000,
  );

  it('a case carried through a long history only as JSON ends exactly where the live machine does', () => {
    const compiled = compiledDefinition(constructionPermit);
    const moves = [
      'acceptance:return>applicant',
      'supplement',
      'acceptance:approve',
      'review.fire:return>correction',
      'review.water:approve',
      'correction.fire:approve',
      'review.planning:approve',
      'review.fire:approve',
      'review.ecology:return>correction',
      'correction.ecology:approve',
      'review.ecology:approve',
      'review.civil-air-defence:approve',
      'decision:approve',
      'period:publicNotice',
    ];
    const path = pathOf(constructionPermit, moves);
    let [live] = initialTransition(compiled.stateMachine, { answers: TEST_ANSWERS });
    let json = startMachine(compiled, { answers: TEST_ANSWERS }).snapshot;
    for (const { event } of path.steps.slice(1)) {
      const [next, actions] = transition(compiled.stateMachine, live, event as CaseEvent);
      const step = stepMachine(compiled, stored(json), event as CaseEvent);
      expect({ label: step.stateLabel, actions: asData(step.actions) }).toEqual({ label: stateLabel(next.value), actions: asData(actions) });
      [live, json] = [next, step.snapshot];
    }
    const restored = restoreSnapshot(compiled, stored(json));
    expect(restored.value).toEqual(live.value);
    expect(restored.context).toEqual(live.context);
    expect(restored.status).toBe('done');
    expect(restored.hasTag(CASE_OUTCOME_TAGS.approved)).toBe(true);
    expect(Object.keys(restored.context.outcomes)).toHaveLength(9);
  });

  it('starts running in the initial state with the actions of its entry', () => {
    const step = startMachine(compiledDefinition(constructionPermit));
    expect(step).toMatchObject({ accepted: true, stateLabel: 'acceptance', status: 'running' });
    expect(asData(step.actions)).toEqual([
      { type: 'openTask', params: { task: 'acceptance', kind: 'intake', title: '受理审查 Acceptance check', department: 'intake', workingDays: 1, continueClock: true } },
    ]);
  });

  it('reports an ignored event as not accepted, with the same snapshot and no actions', () => {
    const compiled = compiledDefinition(constructionPermit);
    const start = stored(startMachine(compiled).snapshot);
    for (const event of [
      { type: 'supplement.submitted' },
      { type: 'task.approved', task: 'review.fire', department: 'fire' },
      { type: 'period.ended', period: 'publicNotice' },
    ] as const) {
      const step = stepMachine(compiled, start, event);
      expect({ accepted: step.accepted, actions: step.actions, snapshot: stored(step.snapshot) }).toEqual({ accepted: false, actions: [], snapshot: start });
    }
  });

  it('labels a state by its top-level state, joining parallel ones', () => {
    expect(stateLabel('acceptance')).toBe('acceptance');
    expect(stateLabel({ jointReview: { fire: 'reviewing', water: 'approved' } })).toBe('jointReview');
    expect(stateLabel({ a: 'x', b: { c: 'y' } })).toBe('a+b');
  });

  it('turns an `after` delay into a durable timer; restored, the machine takes the delayed event and cancels it on leaving', () => {
    const compiled = compileDefinition(timeoutDefinition('retry'));
    const ctx = {
      caseId: caseId('c0ffee00-0000-4000-8000-000000000001'),
      leadDepartment: departmentCode('housing'),
      intakeDepartment: departmentCode('window'),
      applicant: { name: 'A', idNumber: '1' },
      now: MONDAY_MORNING,
      calendar: chinaWorkingCalendar,
      countingRule: DEFAULT_COUNTING_RULE,
      openTasks: [],
      rejections: [],
      clocks: [],
      completed: null,
    };
    const start = startMachine(compiled);
    const [schedule] = planEffects(start.actions, ctx);
    if (schedule?.type !== 'timer.schedule') throw new Error(`expected a timer, got ${schedule?.type}`);
    expect(schedule.timer).toMatchObject({ kind: 'machine.delay', taskId: null, dueAt: new Date(MONDAY_MORNING.getTime() + 60000) });
    const sendId = schedule.timer.sendId;
    expect(sendId).toEqual(expect.any(String));

    // The timer worker fires the stored event into the stored snapshot.
    const fired = stepMachine(compiled, stored(start.snapshot), stored(schedule.timer.event) as CaseEvent);
    expect(fired).toMatchObject({ accepted: true, stateLabel: 'timedOut', status: 'refused' });
    // Answered first: leaving the state cancels the durable timer by its send id.
    const answered = stepMachine(compiled, stored(start.snapshot), { type: 'supplement.submitted' });
    expect(answered.status).toBe('approved');
    expect(planEffects(answered.actions, ctx)).toEqual([{ type: 'timer.cancel', match: { sendId } }]);
  });
});
