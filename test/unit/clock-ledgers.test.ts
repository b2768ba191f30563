import { describe, expect, it } from 'vitest';
import { CATALOGUE_DEFAULTS } from './support/catalogue-entry.js';
import { PAUSE_NOTICES } from '../../engine/case-clocks.js';
import type { CaseEffect } from '../../engine/case-effect.js';
import { onOutcome, taskState } from '../../engine/definitions/definition-parts.js';
import { definitionProblems } from '../../engine/definitions/definition-validation.js';
import { CASE_OUTCOME_TAGS, type ProcessDefinition } from '../../engine/definitions/process-definition.js';
import { EngineError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import type { CaseCommand } from '../../engine/operations/decide-command.js';
import { SINGLE_DEPARTMENT_EXTENSION, type ServiceItem } from '../../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../../engine/time/counting-rule.js';
import { deadline } from '../../engine/time/deadline.js';
import { DEFAULT_LADDER } from '../../engine/time/ladder.js';
import { clockStatus, STATUTORY_UNCOUNTED, type LegalClock } from '../../engine/time/legal-clock.js';
import { epochDay } from '../../engine/time/local-date.js';
import { constructionPermit, CONSTRUCTION_PERMIT_REVIEWS } from '../../workflows/construction-permit.js';
import { actor } from './support/actors.js';
import { beijing, chinaWorkingCalendar as cn } from './support/calendar.js';
import { CaseWorld } from './support/case-world.js';

/** Issue 11: every task on its own clock, clocks a definition names, extensions and special procedures. */

const clockOf = (world: CaseWorld, id: string): LegalClock => {
  const clock = world.case.clocks.find((c) => c.id === id);
  if (!clock) throw new Error(`no clock ${id}: ${world.case.clocks.map((c) => c.id).join(', ')}`);
  return clock;
};
const read = (world: CaseWorld, id: string) => clockStatus(clockOf(world, id), cn, world.clock.now());
const pendingOf = (world: CaseWorld, match: (t: { kind: string; taskId: string | null; sendId: string | null }) => boolean) => world.pendingTimers().filter(match);
/** What a command threw: code and status of an engine error, or 'accepted'. */
const refusal = (world: CaseWorld, command: CaseCommand) => {
  try {
    world.decide(command);
  } catch (error) {
    return error instanceof EngineError ? { code: error.code, status: error.status } : error;
  }
  return 'accepted';
};
const LEAD = actor('housing', 'lead');
const ofType = <T extends CaseEffect['type']>(effects: readonly CaseEffect[] | undefined, type: T) =>
  (effects ?? []).filter((e): e is Extract<CaseEffect, { type: T }> => e.type === type);

/** A single-department item whose check of 5 working days continues its clock after a supplement. */
const checkItem: ServiceItem = {
  ...CATALOGUE_DEFAULTS,
  code: 'check',
  name: 'Check',
  legalBasis: 'test',
  leadDepartment: 'housing',
  legalLimitDays: 20,
  committedLimitDays: 10,
  definitionKey: 'check',
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  extension: SINGLE_DEPARTMENT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
  // What the check's return to the applicant names (一次性告知).
  materials: [{ name: '申请表 Application form', form: 'either', originals: 1, copies: 0, licenceType: null }],
};
const checkDefinition = (options: { continueClock: boolean }): ProcessDefinition => ({
  key: 'check',
  version: 1,
  title: 'Check',
  machine: {
    id: 'check',
    context: { outcomes: {}, rejections: [] },
    initial: 'checking',
    states: {
      checking: taskState(
        { task: 'check', kind: 'review', title: 'Check', department: 'housing', workingDays: 5, ...(options.continueClock ? { continueClock: true } : {}) },
        { 'task.approved': onOutcome('check', 'done'), 'task.returned': onOutcome('check', 'supplement') },
      ),
      supplement: {
        entry: [{ type: 'pauseCaseClocks', params: { reason: 'supplement' } }, { type: 'pauseCaseClocks', params: { reason: 'public-notice' } }],
        exit: ['resumeCaseClocks'],
        on: { 'supplement.submitted': 'checking' },
      },
      done: { type: 'final', tags: [CASE_OUTCOME_TAGS.approved] },
    },
  },
});

describe('every task counts on its own clock', () => {
  it('opens on a clock of its working days, due when the task is, and stops with it', () => {
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
    const acceptance = world.openTask('acceptance');
    expect(read(world, 'task:acceptance')).toMatchObject({ state: 'running', budget: 1, due: { due: acceptance.dueAt } });
    expect(pendingOf(world, (t) => t.taskId === acceptance.id).map((t) => t.kind)).toEqual(['task.deadline', 'clock.rung']);

    world.clock.set(beijing('2026-11-02T15:00'));
    world.complete('acceptance', 'approve');
    expect(read(world, 'task:acceptance')).toMatchObject({ state: 'stopped', consumed: 0 });
    for (const review of CONSTRUCTION_PERMIT_REVIEWS) {
      const task = world.openTask(`review.${review.department}`);
      expect(read(world, `task:review.${review.department}`)).toMatchObject({ state: 'running', budget: review.workingDays, due: { due: task.dueAt } });
      expect(pendingOf(world, (t) => t.taskId === task.id && t.kind === 'task.deadline').map((t) => t.dueAt)).toEqual([task.dueAt]);
    }
  });

  it('a task reopened with continueClock after a supplement goes on with the budget it had left', () => {
    // Received Mon 21 Sep 2026; returned on Wed 23 Sep (22 and 23 counted: 2 of 5); supplemented Fri 9 Oct.
    const start = beijing('2026-09-21T10:00');
    const world = CaseWorld.start(checkDefinition({ continueClock: true }), { now: start, serviceItem: checkItem });
    world.clock.set(beijing('2026-09-23T11:00'));
    world.complete('check', 'return', { by: actor('housing', 'handler') });
    expect(read(world, 'task:check')).toMatchObject({ state: 'paused', consumed: 2, remaining: 3, pauses: [{ reason: { kind: 'supplement', text: PAUSE_NOTICES.supplement } }] });

    world.clock.set(beijing('2026-10-09T10:00'));
    world.submitSupplement();
    const reopened = world.openTask('check');
    // The working days after the return up to the supplement (Mid-Autumn and National Day off) are not counted:
    // the count goes on from the first working day after the supplement with 3 days left.
    const status = read(world, 'task:check');
    expect(status).toMatchObject({ state: 'running', consumed: 2, remaining: 3 });
    const workingDaysPaused = cn.workingDaysBetween(cn.localDay(beijing('2026-09-23T11:00')), cn.localDay(beijing('2026-10-09T10:00')));
    expect(status.due?.due).toEqual(deadline(cn, start, 5 + workingDaysPaused, DEFAULT_COUNTING_RULE).due);
    expect(reopened.dueAt).toEqual(status.due?.due);
    expect(pendingOf(world, (t) => t.taskId === reopened.id && t.kind === 'task.deadline').map((t) => t.dueAt)).toEqual([reopened.dueAt]);
    // A fresh clock would have given the reopened task all five days again.
    expect(reopened.dueAt.getTime()).toBeLessThan(deadline(cn, beijing('2026-10-09T10:00'), 5, DEFAULT_COUNTING_RULE).due.getTime());
  });

  it('without continueClock the reopened task starts a new clock (as versions published before it did)', () => {
    const world = CaseWorld.start(checkDefinition({ continueClock: false }), { now: beijing('2026-09-21T10:00'), serviceItem: checkItem });
    world.clock.set(beijing('2026-09-23T11:00'));
    world.complete('check', 'return', { by: actor('housing', 'handler') });
    world.clock.set(beijing('2026-10-09T10:00'));
    world.submitSupplement();
    expect(read(world, 'task:check')).toMatchObject({ state: 'running', consumed: 0, remaining: 5, pauses: [] });
    expect(world.openTask('check').dueAt).toEqual(deadline(cn, beijing('2026-10-09T10:00'), 5, DEFAULT_COUNTING_RULE).due);
  });

  it('a pause for a procedure the item counts leaves its clocks running (the public notice of an item that counts it)', () => {
    const world = CaseWorld.start(checkDefinition({ continueClock: true }), { now: beijing('2026-11-02T10:00'), serviceItem: checkItem });
    world.clock.set(beijing('2026-11-03T10:00'));
    world.complete('check', 'return', { by: actor('housing', 'handler') });
    // Paused once, for the supplement only: the second pause (public-notice) is not the item's to take.
    expect(clockOf(world, 'legal').pauses.map((p) => p.reason.kind)).toEqual(['supplement']);
  });
});

describe('the construction permit (v4)', () => {
  it('leaves its public notice out of the case limits, and the licence stops every clock', () => {
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
    world.complete('acceptance', 'approve');
    for (const review of CONSTRUCTION_PERMIT_REVIEWS) world.complete(`review.${review.department}`, 'approve');
    world.clock.set(beijing('2026-11-04T10:00'));
    world.complete('decision', 'approve');
    expect(world.case.stateLabel).toBe('publicNotice');
    for (const id of ['legal', 'committed']) expect(read(world, id)).toMatchObject({ state: 'paused', pauses: [{ reason: { kind: 'public-notice' } }] });
    expect(pendingOf(world, (t) => t.kind === 'case.deadline' || t.kind === 'clock.deadline')).toEqual([]);

    world.send({ type: 'period.ended', period: 'publicNotice' });
    expect(world.case.status).toBe('approved');
    expect(world.case.clocks.every((c) => c.stoppedAt !== null)).toBe(true);
    expect(read(world, 'legal')).toMatchObject({ state: 'stopped', consumed: 2 });
  });
});

describe('clocks a definition starts by name', () => {
  const staged: ProcessDefinition = {
    key: 'staged',
    version: 1,
    title: 'Staged',
    machine: {
      id: 'staged',
      context: { outcomes: {}, rejections: [] },
      initial: 'stage',
      states: {
        stage: {
          entry: [{ type: 'startClock', params: { clock: 'stage', workingDays: 3 } }, { type: 'startClock', params: { clock: 'whole', limit: 'legal' } }],
          on: { 'clock.expired': 'late', 'supplement.submitted': { target: 'done', actions: [{ type: 'stopClock', params: { clock: 'stage' } }] } },
        },
        late: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
        done: { type: 'final', tags: [CASE_OUTCOME_TAGS.approved] },
      },
    },
  };

  it('counts them like the case clocks, and their expiry sends clock.expired into the case', () => {
    const start = beijing('2026-11-02T10:00');
    const world = CaseWorld.start(staged, { now: start, serviceItem: { ...checkItem, code: 'staged', definitionKey: 'staged' } });
    expect(read(world, 'stage')).toMatchObject({ state: 'running', budget: 3, due: { due: deadline(cn, start, 3, DEFAULT_COUNTING_RULE).due } });
    expect(read(world, 'whole')).toMatchObject({ budget: checkItem.legalLimitDays });
    const [timer, ...others] = pendingOf(world, (t) => t.sendId === 'clock:stage');
    expect(others).toEqual([]);
    expect(timer).toMatchObject({ kind: 'clock.deadline', event: { type: 'clock.expired', clock: 'stage' }, dueAt: deadline(cn, start, 3, DEFAULT_COUNTING_RULE).due });

    world.send({ type: 'clock.expired', clock: 'stage' });
    expect(world.case.stateLabel).toBe('late');
    // Its red rung, due with it, tells the lead department (a clock of a case climbs the item's ladder).
    expect(world.notifications.filter((n) => n.template === 'warning.reached').map((n) => n.data['rung'])).toContain('red');
  });

  it('stopping one cancels its timer', () => {
    const world = CaseWorld.start(staged, { now: beijing('2026-11-02T10:00'), serviceItem: { ...checkItem, code: 'staged', definitionKey: 'staged' } });
    world.submitSupplement();
    expect([...world.timers.values()].filter((t) => t.sendId === 'clock:stage').map((t) => t.status)).toEqual(['cancelled']);
  });

  it('are refused at publish when they take an engine clock name, or both or neither of workingDays and limit', () => {
    const withEntry = (params: unknown) => ({ ...staged.machine, states: { ...staged.machine.states, stage: { entry: [{ type: 'startClock', params }] } } });
    for (const params of [{ clock: 'legal', workingDays: 3 }, { clock: 'task:x', workingDays: 3 }, { clock: 'a', workingDays: 3, limit: 'legal' }, { clock: 'a' }, { clock: 'a', limit: 'statutory' }]) {
      expect(definitionProblems(withEntry(params)).length, JSON.stringify(params)).toBeGreaterThan(0);
    }
    expect(definitionProblems(withEntry({ clock: 'a', limit: 'committed' }))).toEqual([]);
    expect(definitionProblems(withEntry({ clock: 'a', workingDays: 3 }))).toEqual([]);
  });
});

describe('延期: extending a clock (art. 42)', () => {
  const inReview = () => {
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
    world.complete('acceptance', 'approve');
    world.clock.set(beijing('2026-11-05T10:00'));
    return world;
  };
  const extend = (world: CaseWorld, clock: string, workingDays: number, by = LEAD): CaseCommand => ({
    type: 'clock.extend',
    actor: by,
    caseId: caseId(world.case.id),
    clock,
    workingDays,
    reason: '现场核查未完成 Site inspection pending',
    legalBasis: '《行政许可法》第四十二条第二款',
  });

  it('moves the legal clock and its timer by the working days granted, and tells the applicant', () => {
    const world = inReview();
    const before = read(world, 'legal');
    world.execute(extend(world, 'legal', 15));
    const after = read(world, 'legal');
    expect(after).toMatchObject({ extensionWorkingDays: 15, remaining: before.remaining + 15, extensions: [{ workingDays: 15, approver: LEAD.userId }] });
    expect(cn.workingDaysBetween(epochDay(before.due!.derivation.dueDate), epochDay(after.due!.derivation.dueDate))).toBe(15);
    expect(pendingOf(world, (t) => t.sendId === 'clock:legal').map((t) => t.dueAt)).toEqual([after.due?.due]);
    expect(world.notifications.at(-1)).toMatchObject({ audience: { applicant: true }, template: 'clock.extended', data: { clock: 'legal', workingDays: 15 } });
    expect(world.audit.at(-1)).toMatchObject({ type: 'clock.extended', actorId: LEAD.userId });
  });

  it('extending the committed clock moves the case deadline', () => {
    const world = inReview();
    world.execute(extend(world, 'committed', 5));
    const due = read(world, 'committed').due;
    expect(world.case.dueAt).toEqual(due?.due);
    expect(pendingOf(world, (t) => t.kind === 'case.deadline').map((t) => t.dueAt)).toEqual([due?.due]);
  });

  it('extending a task clock moves the task and its deadline timer', () => {
    const world = inReview();
    world.execute(extend(world, 'task:review.fire', 2));
    const fire = world.openTask('review.fire');
    expect(fire.dueAt).toEqual(read(world, 'task:review.fire').due?.due);
    expect(pendingOf(world, (t) => t.taskId === fire.id && t.kind === 'task.deadline').map((t) => t.dueAt)).toEqual([fire.dueAt]);
  });

  it('refuses beyond the maximum, a second time, an unknown clock, another department and a handler: nothing changes', () => {
    const world = inReview();
    const version = world.case.version;
    expect(refusal(world, extend(world, 'legal', 16))).toEqual({ code: 'TB-CLOCK-EXTENSION-REFUSED', status: 409 });
    expect(refusal(world, extend(world, 'statutory', 1))).toEqual({ code: 'TB-CLOCK-404', status: 404 });
    expect(refusal(world, extend(world, 'legal', 1, actor('fire', 'lead')))).toEqual({ code: 'TB-FORBIDDEN', status: 403 });
    // A department outside the case is answered as if the case did not exist: ids cannot be probed.
    expect(refusal(world, extend(world, 'legal', 1, actor('tax', 'lead')))).toEqual({ code: 'TB-CASE-404', status: 404 });
    expect(refusal(world, extend(world, 'legal', 1, actor('housing', 'handler')))).toMatchObject({ status: 403 });
    world.execute(extend(world, 'legal', 10));
    expect(refusal(world, extend(world, 'legal', 5))).toEqual({ code: 'TB-CLOCK-EXTENSION-REFUSED', status: 409 });
    expect(world.case.version).toBe(version + 1);
    expect(clockOf(world, 'legal').extensions).toHaveLength(1);
  });
});

describe('special procedures (art. 45)', () => {
  const notice = '委托专家评审消防设计，约需 10 个工作日 Expert review of the fire design, about 10 working days';
  const inReview = () => {
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
    world.complete('acceptance', 'approve');
    return world;
  };
  const start = (world: CaseWorld, kind: 'expert-review' | 'public-notice' | 'hearing', by = actor('fire', 'handler')): CaseCommand => ({
    type: 'special-procedure.start',
    actor: by,
    caseId: caseId(world.case.id),
    kind,
    notice,
  });
  const end = (world: CaseWorld, kind: 'expert-review' | 'hearing', by = actor('fire', 'handler')): CaseCommand => ({ type: 'special-procedure.end', actor: by, caseId: caseId(world.case.id), kind });

  it('pauses the case clocks and the open tasks’ clocks, and moves every due date by the working days it took when it ends', () => {
    const world = inReview();
    const before = world.openTasks().map((t) => [t.key, t.dueAt] as const);
    world.clock.set(beijing('2026-11-04T10:00'));
    world.execute(start(world, 'expert-review'));
    const paused = world.case.clocks.filter((c) => clockStatus(c, cn, world.clock.now()).state === 'paused').map((c) => c.id);
    expect(paused.sort()).toEqual(['committed', 'legal', ...CONSTRUCTION_PERMIT_REVIEWS.map((r) => `task:review.${r.department}`)].sort());
    expect(pendingOf(world, (t) => t.kind === 'task.deadline' || t.kind === 'case.deadline' || t.kind === 'clock.deadline' || t.kind === 'clock.rung')).toEqual([]);
    expect(world.notifications.at(-1)).toMatchObject({ audience: { applicant: true }, template: 'special-procedure.started', data: { kind: 'expert-review', notice } });
    expect(clockOf(world, 'legal').pauses[0]?.reason).toEqual({ kind: 'expert-review', text: notice });

    // Ended Monday 9 November: 5, 6 and 9 November are not counted.
    world.clock.set(beijing('2026-11-09T16:00'));
    world.execute(end(world, 'expert-review'));
    expect(world.case.clocks.every((c) => clockStatus(c, cn, world.clock.now()).state !== 'paused')).toBe(true);
    for (const [key, dueAt] of before) {
      const task = world.openTask(key);
      expect(cn.workingDaysBetween(cn.localDay(dueAt), cn.localDay(task.dueAt)), key).toBe(3);
      expect(pendingOf(world, (t) => t.taskId === task.id && t.kind === 'task.deadline').map((t) => t.dueAt)).toEqual([task.dueAt]);
    }
    expect(world.audit.slice(-2).map((a) => a.type)).toEqual(['special-procedure.started', 'special-procedure.ended']);
  });

  it('refuses what the law counts, a second start, an end not under way and a department outside the case', () => {
    const world = inReview();
    const version = world.case.version;
    const onItemCountingIt = CaseWorld.start(checkDefinition({ continueClock: true }), { serviceItem: checkItem });
    expect(refusal(onItemCountingIt, start(onItemCountingIt, 'public-notice', actor('housing', 'handler')))).toEqual({ code: 'TB-CLOCK-PAUSE-REFUSED', status: 409 });
    expect(refusal(world, end(world, 'expert-review'))).toEqual({ code: 'TB-CLOCK-STATE', status: 409 });
    expect(refusal(world, start(world, 'hearing', actor('tax', 'handler')))).toEqual({ code: 'TB-CASE-404', status: 404 });
    expect(refusal(world, start(world, 'hearing', actor('window', 'handler')))).toEqual({ code: 'TB-FORBIDDEN', status: 403 });
    expect(world.case.version).toBe(version);
    world.execute(start(world, 'hearing'));
    expect(refusal(world, start(world, 'expert-review'))).toEqual({ code: 'TB-CLOCK-STATE', status: 409 });
    expect(refusal(world, end(world, 'expert-review'))).toEqual({ code: 'TB-CLOCK-STATE', status: 409 });
    expect(ofType(world.lastCommit?.effects, 'case.clocks')).toHaveLength(1);
  });
});
