import { describe, expect, it } from 'vitest';
import { CATALOGUE_DEFAULTS } from '../../test/unit/support/catalogue-entry.js';
import { WINDOW_CLERK, actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { timeoutDefinition } from '../../test/unit/support/timeout-definition.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';
import type { Actor } from '../access/actor.js';
import { verifyAuditChain } from '../audit/audit-chain.js';
import type { ClaimTask } from './claim-task.js';
import type { CompleteTask } from './complete-task.js';
import type { CaseCommand } from './decide-command.js';
import { decideCommand } from './decide-command.js';
import type { CaseEffect } from '../case-effect.js';
import type { TaskRecord } from '../case-record.js';
import { DEFAULT_COUNTING_RULE } from '../time/counting-rule.js';
import { deadline } from '../time/deadline.js';
import { SINGLE_DEPARTMENT_EXTENSION } from '../service-item.js';
import { DEFAULT_LADDER } from '../time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../time/legal-clock.js';
import {
  CaseClosedError,
  CaseVersionConflictError,
  CommandNotAcceptedError,
  ForbiddenError,
  InvalidCommandError,
  PermissionDeniedError,
  TaskClaimedByOtherError,
  TaskNotActionableError,
  TaskNotFoundError,
  TimerNotDueError,
} from '../errors.js';

/** A construction permit accepted at the window: five department reviews open in parallel. */
function inJointReview(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  return world;
}

/** A construction permit in the joint refusal: fire rejected, every other department approved. */
function inJointRefusal(): CaseWorld {
  const world = inJointReview();
  world.complete('review.fire', 'reject');
  for (const d of ['planning', 'ecology', 'civil-air-defence', 'water']) world.complete(`review.${d}`, 'approve');
  return world;
}

/** The latest task with this key, whatever its status. */
function taskOf(world: CaseWorld, key: string): TaskRecord {
  const task = [...world.tasks.values()].filter((t) => t.key === key).at(-1);
  if (!task) throw new Error(`no task ${key}`);
  return task;
}

const claimOf = (world: CaseWorld, key: string, by: Actor): ClaimTask => ({ type: 'task.claim', actor: by, taskId: taskOf(world, key).id });
const completionOf = (world: CaseWorld, key: string, by: Actor, outcome: 'approve' | 'reject' | 'return' = 'approve', text = '同意'): CompleteTask => ({
  type: 'task.complete',
  actor: by,
  taskId: taskOf(world, key).id,
  outcome,
  opinion: { text, visibility: 'internal' },
});

const ofType = <T extends CaseEffect['type']>(effects: readonly CaseEffect[] | undefined, type: T) =>
  (effects ?? []).filter((e): e is Extract<CaseEffect, { type: T }> => e.type === type);

/** Refusals change nothing: the same case, tasks and audit trail after the command as before. */
function expectRefused(world: CaseWorld, command: CaseCommand, error: new (...args: never[]) => Error): void {
  const before = { case: world.case, open: world.openTasks(), audit: world.audit.length };
  expect(() => world.execute(command)).toThrow(error);
  expect({ case: world.case, open: world.openTasks(), audit: world.audit.length }).toEqual(before);
}

describe('claiming a task', () => {
  it('a handler of the task’s department claims it: one task.claim effect, version + 1, audit event chained to the head', () => {
    const world = inJointReview();
    const task = world.openTask('review.fire');
    const before = world.case;
    const { commit, result } = world.decide(claimOf(world, 'review.fire', actor('fire', 'handler')));
    expect(world.case).toBe(before); // deciding writes nothing
    expect(result).toEqual({ caseId: before.id, version: before.version + 1, status: 'running', state: 'jointReview', changed: true });
    expect(commit?.expectedVersion).toBe(before.version);
    expect(commit?.effects).toEqual([{ type: 'task.claim', taskId: task.id, assigneeId: 'fire.handler' }]);
    expect(commit?.audits[0]).toMatchObject({
      caseId: before.id,
      seq: before.auditSeq + 1,
      prevHash: before.auditHead,
      type: 'task.claimed',
      actorId: 'fire.handler',
      actingFor: 'fire',
      data: { taskId: task.id, task: 'review.fire' },
    });
    expect(commit?.next).toMatchObject({ version: before.version + 1, auditSeq: before.auditSeq + 1, auditHead: commit?.audits[0]?.hash, stateLabel: 'jointReview', snapshot: before.snapshot });
    if (!commit) throw new Error('no commit');
    expect(verifyAuditChain([...world.audit, ...commit.audits], { seq: commit.next.auditSeq, hash: commit.next.auditHead })).toEqual({ ok: true, length: 3 });
  });

  it('the department’s lead may claim a review too', () => {
    const world = inJointReview();
    expect(world.execute(claimOf(world, 'review.fire', actor('fire', 'lead'))).changed).toBe(true);
    expect(taskOf(world, 'review.fire')).toMatchObject({ status: 'claimed', assigneeId: 'fire.lead' });
  });

  it('claiming again by the same person changes nothing and writes nothing', () => {
    const world = inJointReview();
    world.execute(claimOf(world, 'review.fire', actor('fire', 'handler')));
    const again = world.decide(claimOf(world, 'review.fire', actor('fire', 'handler')));
    expect(again).toEqual({ commit: null, result: { caseId: world.case.id, version: world.case.version, status: 'running', state: 'jointReview', changed: false } });
  });

  it('a task of another department is not found (not forbidden), whatever its state, so task ids cannot be probed', () => {
    const world = inJointReview();
    for (const key of ['review.fire', 'acceptance']) {
      const command = claimOf(world, key, actor('water', 'handler'));
      expectRefused(world, command, TaskNotFoundError);
      expect(() => world.decide(command)).toThrow(expect.objectContaining({ taskId: taskOf(world, key).id, status: 404 }));
      expectRefused(world, completionOf(world, key, actor('water', 'lead')), TaskNotFoundError);
    }
  });

  // Since the permission matrix (engine/permission-matrix.ts) roles without task commands at all are refused by it,
  // with its own 403 error; a role that has task commands but not for this kind of task gets ForbiddenError.
  it.each([
    ['a process designer', actor('fire', 'designer'), PermissionDeniedError],
    ['a supervisor', actor('fire', 'supervisor'), PermissionDeniedError],
    ['an administrator', actor('fire', 'admin'), PermissionDeniedError],
    ['an intake clerk', actor('fire', 'intake_clerk'), ForbiddenError],
  ])('%s of the department may neither claim nor complete its review (403)', (_, who, error) => {
    const world = inJointReview();
    expectRefused(world, claimOf(world, 'review.fire', who), error);
    expectRefused(world, completionOf(world, 'review.fire', who), error);
    expect(() => world.decide(claimOf(world, 'review.fire', who))).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('the supervision office reads every case but acts on none: its supervisor is refused, not told the task is missing', () => {
    const world = inJointReview();
    expectRefused(world, claimOf(world, 'review.fire', actor('supervision', 'supervisor')), PermissionDeniedError);
    expectRefused(world, completionOf(world, 'review.fire', actor('supervision', 'supervisor')), PermissionDeniedError);
  });

  it('a handler may not take a decision task: only the lead signs it', () => {
    const world = inJointRefusal();
    expectRefused(world, claimOf(world, 'refusal', actor('housing', 'handler')), ForbiddenError);
    expectRefused(world, completionOf(world, 'refusal', actor('housing', 'handler')), ForbiddenError);
    expect(world.execute(completionOf(world, 'refusal', actor('housing', 'lead'))).status).toBe('refused');
  });

  it('a completed or a cancelled task can no longer be acted on', () => {
    const world = inJointReview();
    expectRefused(world, claimOf(world, 'acceptance', WINDOW_CLERK), TaskNotActionableError);
    expect(() => world.decide(completionOf(world, 'acceptance', WINDOW_CLERK))).toThrow(expect.objectContaining({ taskStatus: 'completed' }));
    // No shipped process leaves a task's state before the task completes; as a state left early would.
    const water = world.openTask('review.water');
    world.tasks.set(water.id, { ...water, status: 'cancelled', completedAt: world.clock.now() });
    expectRefused(world, completionOf(world, 'review.water', actor('water', 'handler')), TaskNotActionableError);
    expect(() => world.decide(claimOf(world, 'review.water', actor('water', 'handler')))).toThrow(expect.objectContaining({ taskStatus: 'cancelled' }));
  });

  it('a task claimed by someone else can be neither claimed nor completed by another, not even the lead', () => {
    const world = inJointReview();
    world.execute(claimOf(world, 'review.fire', actor('fire', 'handler', 'fire.a')));
    for (const other of [actor('fire', 'handler', 'fire.b'), actor('fire', 'lead')]) {
      expectRefused(world, claimOf(world, 'review.fire', other), TaskClaimedByOtherError);
      expectRefused(world, completionOf(world, 'review.fire', other), TaskClaimedByOtherError);
    }
    expect(() => world.decide(claimOf(world, 'review.fire', actor('fire', 'lead')))).toThrow(expect.objectContaining({ assignee: 'fire.a' }));
    expect(world.execute(completionOf(world, 'review.fire', actor('fire', 'handler', 'fire.a'))).changed).toBe(true);
  });

  it('a stale expectedVersion is a version conflict for every kind of command; the current one passes', () => {
    const world = inJointReview();
    const stale = world.case.version - 1;
    const fire = actor('fire', 'handler');
    const commands: CaseCommand[] = [
      { ...claimOf(world, 'review.fire', fire), expectedVersion: stale },
      { ...completionOf(world, 'review.fire', fire), expectedVersion: stale },
      { type: 'supplement.submit', actor: WINDOW_CLERK, caseId: world.case.id, materials: [], expectedVersion: stale },
    ];
    for (const command of commands) {
      expectRefused(world, command, CaseVersionConflictError);
      expect(() => world.decide(command)).toThrow(expect.objectContaining({ expected: stale, actual: world.case.version, status: 409 }));
    }
    expect(world.execute({ ...claimOf(world, 'review.fire', fire), expectedVersion: world.case.version }).changed).toBe(true);
  });
});

describe('completing a task', () => {
  it('a rejection ends only its own review: the others stay open, and the last one to finish opens the joint refusal with every reason', () => {
    const world = inJointReview();
    world.complete('review.water', 'return');
    const others = ['review.planning', 'review.ecology', 'review.civil-air-defence', 'correction.water'].map((k) => world.openTask(k));
    const fire = world.openTask('review.fire');
    const reasons = '消防设计不符合 GB 50016 第 5.5 条 Fire exits insufficient';
    const { commit, result } = world.decide(completionOf(world, 'review.fire', actor('fire', 'handler'), 'reject', reasons));
    expect(result).toMatchObject({ state: 'jointReview', status: 'running', changed: true });
    const effects = commit?.effects;
    expect(effects).toEqual([
      { type: 'task.complete', taskId: fire.id, outcome: 'reject', completedBy: 'fire.handler', at: world.clock.now(), workingDays: 0, opened: [] },
      { type: 'timer.cancel', match: { taskId: fire.id } },
      { type: 'opinion.record', opinion: expect.objectContaining({ taskId: fire.id, departmentCode: 'fire', outcome: 'reject', text: reasons }) },
      { type: 'case.clocks', clocks: expect.any(Array) },
    ]);
    // The review's clock stops with it; the others count on.
    const clocks = ofType(effects, 'case.clocks')[0]?.clocks ?? [];
    expect(clocks.filter((c) => c.stoppedAt !== null).map((c) => c.id)).toEqual(['task:acceptance', 'task:review.fire']);
    expect(commit?.audits[0]).toMatchObject({ type: 'task.rejected', data: { taskId: fire.id, task: 'review.fire', outcome: 'reject', state: 'jointReview' } });
    if (commit) world.apply(commit);
    expect(world.openTasks().map((t) => t.id).sort()).toEqual(others.map((t) => t.id).sort());

    world.complete('correction.water', 'approve');
    world.complete('review.water', 'reject', { text: '排水接驳方案不符合规划 Drainage plan refused' });
    for (const d of ['planning', 'ecology']) world.complete(`review.${d}`, 'approve');
    const last = world.decide(completionOf(world, 'review.civil-air-defence', actor('civil-air-defence', 'handler')));
    expect(last.result).toMatchObject({ state: 'jointRefusal', status: 'running' });
    const [opened] = ofType(last.commit?.effects, 'task.open');
    expect(ofType(last.commit?.effects, 'task.open')).toHaveLength(1);
    expect(opened?.task).toMatchObject({ key: 'refusal', kind: 'decision', departmentCode: 'housing', dueAt: deadline(world.calendar, world.clock.now(), 2, world.case.countingRule).due });
    expect(ofType(last.commit?.effects, 'task.cancel')).toEqual([]);
    expect(ofType(last.commit?.effects, 'licence.issue')).toEqual([]);
    if (last.commit) world.apply(last.commit);
    expect(world.context.rejections).toEqual([
      { task: 'review.fire', department: 'fire', reason: reasons },
      { task: 'review.water', department: 'water', reason: '排水接驳方案不符合规划 Drainage plan refused' },
    ]);
  });

  it('a return opens a correction for the lead department and leaves the other reviews alone', () => {
    const world = inJointReview();
    const { commit } = world.decide(completionOf(world, 'review.fire', actor('fire', 'handler'), 'return', '补充消防设计说明'));
    expect(ofType(commit?.effects, 'task.cancel')).toEqual([]);
    expect(ofType(commit?.effects, 'task.open').map((e) => [e.task.key, e.task.kind, e.task.departmentCode])).toEqual([['correction.fire', 'correction', 'housing']]);
    expect(commit?.next.stateLabel).toBe('jointReview');
  });

  it('reaching a final state closes the case: case.close comes once, last, with the outcome', () => {
    const food = CaseWorld.start(foodBusinessLicence);
    for (const key of ['acceptance', 'documentReview', 'inspection']) {
      food.complete(key, 'approve');
      expect(ofType(food.lastCommit?.effects, 'case.close')).toEqual([]);
    }
    const { commit, result } = food.decide(completionOf(food, 'signOff', actor('market', 'lead')));
    expect(result).toMatchObject({ status: 'approved', state: 'issued' });
    expect(commit?.effects.at(-1)).toEqual({ type: 'case.close', status: 'approved', at: food.clock.now() });
    expect(ofType(commit?.effects, 'case.close')).toHaveLength(1);
    expect(ofType(commit?.effects, 'licence.issue')).toHaveLength(1);
    expect(commit?.audits[0]?.data).toMatchObject({ state: 'issued', status: 'approved' });

    const refused = CaseWorld.start(constructionPermit);
    const decision = refused.decide(completionOf(refused, 'acceptance', WINDOW_CLERK, 'reject', '不属于本机关职权范围'));
    expect(decision.commit?.effects.at(-1)).toEqual({ type: 'case.close', status: 'refused', at: refused.clock.now() });
    expect(ofType(decision.commit?.effects, 'licence.issue')).toEqual([]);
  });

  it('a closed case takes no more commands', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'reject');
    expectRefused(world, { type: 'supplement.submit', actor: WINDOW_CLERK, caseId: world.case.id, materials: [] }, CaseClosedError);
  });

  it('an event the process does not take in its state is refused and nothing is written', () => {
    const world = inJointReview();
    expectRefused(world, { type: 'supplement.submit', actor: WINDOW_CLERK, caseId: world.case.id, materials: [] }, CommandNotAcceptedError);
  });

  it('only the intake window or the lead department passes on a supplement', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'return');
    const supplement = (by: Actor): CaseCommand => ({ type: 'supplement.submit', actor: by, caseId: world.case.id, materials: [] });
    expectRefused(world, supplement(actor('fire', 'handler')), ForbiddenError);
    expectRefused(world, supplement(actor('window', 'supervisor')), PermissionDeniedError);
    expect(world.execute(supplement(actor('housing', 'handler')))).toMatchObject({ state: 'acceptance', changed: true });
  });

  it.each(['reject', 'return'] as const)('a %s must give reasons (不予许可/补正 must say why)', (outcome) => {
    const world = inJointReview();
    expectRefused(world, completionOf(world, 'review.fire', actor('fire', 'handler'), outcome, '   '), InvalidCommandError);
  });
});

describe('firing timers', () => {
  const deadlineOf = (world: CaseWorld, key: string) => {
    const task = taskOf(world, key);
    const timer = [...world.timers.values()].find((t) => t.kind === 'task.deadline' && t.taskId === task.id);
    if (!timer) throw new Error(`no deadline timer for ${key}`);
    return timer;
  };

  it('a timer delivered before it is due is retried later and nothing is written', () => {
    const world = inJointReview();
    const timer = deadlineOf(world, 'review.fire');
    world.clock.set(new Date(timer.dueAt.getTime() - 1));
    expectRefused(world, { type: 'timer.fire', timerId: timer.id }, TimerNotDueError);
    expect(() => world.decide({ type: 'timer.fire', timerId: timer.id })).toThrow(expect.objectContaining({ retryable: true, dueAt: timer.dueAt }));
  });

  it('overdue tasks turn red, their departments and the lead department are told, and the process does not move', () => {
    const world = inJointReview();
    const timer = deadlineOf(world, 'review.fire');
    const before = world.case;
    world.clock.set(timer.dueAt);
    const { commit, result } = world.decide({ type: 'timer.fire', timerId: timer.id });
    expect(result).toMatchObject({ version: before.version + 1, state: 'jointReview', changed: true });
    // The five review deadlines were opened by one command: they fall due, and fire, together — with each
    // review's rung timer, due at its yellow rung and reaching yellow and red at once.
    const reviews = world.pendingTimers().filter((t) => t.kind === 'task.deadline');
    const rungs = world.pendingTimers().filter((t) => t.kind === 'clock.rung' && t.taskId !== null);
    expect([reviews.length, rungs.length]).toEqual([5, 5]);
    const inOrder = [...reviews, ...rungs].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id));
    expect(ofType(commit?.effects, 'timer.fired').map((e) => e.timerId)).toEqual(inOrder.map((t) => t.id));
    expect(new Set(ofType(commit?.effects, 'task.warn').map((e) => `${e.taskId}:${e.level}`))).toEqual(new Set(reviews.map((t) => `${t.taskId}:red`)));
    const warnings = ofType(commit?.effects, 'notification.send').map((e) => e.notification);
    for (const review of reviews) {
      const told = warnings.filter((n) => n.data['taskId'] === review.taskId).map((n) => [n.template, n.data['rung'], 'departmentCode' in n.audience ? n.audience.departmentCode : 'other']);
      const department = world.tasks.get(review.taskId!)?.departmentCode;
      expect(told).toEqual([
        ['warning.reached', 'yellow', department],
        ['warning.reached', 'red', department],
        ['warning.reached', 'red', 'housing'],
      ]);
    }
    expect(commit?.next.snapshot).toBe(before.snapshot);
    // One audit event per timer, chained one after the other.
    expect(commit?.audits.map((a) => a.type).sort()).toEqual([...Array(5).fill('deadline.elapsed'), ...Array(5).fill('warning.reached')].sort());
    expect(commit?.audits.map((a) => a.seq)).toEqual(Array.from({ length: 10 }, (_, i) => before.auditSeq + i + 1));
    expect(commit?.audits[0]?.prevHash).toBe(before.auditHead);
    world.apply(commit!);
    // The case is red: one late step makes it so (环节超时); its own deadline and its legal clock's are not due yet.
    expect(world.caseColour).toBe('red');
    expect(world.pendingTimers().filter((t) => t.taskId === null).map((t) => t.kind).sort()).toEqual(['case.deadline', 'clock.deadline', 'clock.rung', 'clock.rung']);
    // Each review's next rung (3 working days overdue) is waiting.
    expect(world.pendingTimers().filter((t) => t.kind === 'clock.rung' && t.taskId !== null)).toHaveLength(5);
    expect(verifyAuditChain(world.audit, { seq: world.case.auditSeq, hash: world.case.auditHead })).toMatchObject({ ok: true });
  });

  it('timers due together fire in the order they fell due; once the case closes, the rest is cancelled with it', () => {
    const item = { ...CATALOGUE_DEFAULTS, code: 'timeout', name: 'Timeout', legalBasis: 'test', leadDepartment: 'housing', legalLimitDays: 1, committedLimitDays: 1, definitionKey: 'timeout', calendarCode: 'cn', countingRule: DEFAULT_COUNTING_RULE, extension: SINGLE_DEPARTMENT_EXTENSION, uncountedProcedures: STATUTORY_UNCOUNTED, ladder: DEFAULT_LADDER };
    const world = CaseWorld.start(timeoutDefinition('timeout'), { serviceItem: item });
    const delay = world.pendingTimers().find((t) => t.kind === 'machine.delay');
    const caseDeadline = world.pendingTimers().find((t) => t.kind === 'case.deadline');
    expect(delay!.dueAt.getTime()).toBeLessThan(caseDeadline!.dueAt.getTime());
    // Delivered late, the case deadline's job comes first; the earlier timer still fires first and closes the case.
    world.clock.set(caseDeadline!.dueAt);
    const { commit } = world.decide({ type: 'timer.fire', timerId: caseDeadline!.id });
    expect(ofType(commit?.effects, 'timer.fired').map((e) => e.timerId)).toEqual([delay!.id]);
    expect(ofType(commit?.effects, 'case.close')).toEqual([expect.objectContaining({ status: 'refused' })]);
    expect(commit?.audits.map((a) => a.type)).toEqual(['xstate.after.60000.timeout.waiting']);
    world.apply(commit!);
    expect(world.timers.get(caseDeadline!.id)?.status).toBe('cancelled');
  });

  it('a fired timer fired again changes nothing and writes nothing', () => {
    const world = inJointReview();
    const timer = deadlineOf(world, 'review.fire');
    expect(world.fire(timer).changed).toBe(true);
    expect(world.decide({ type: 'timer.fire', timerId: timer.id })).toEqual({
      commit: null,
      result: { caseId: world.case.id, version: world.case.version, status: 'running', state: 'jointReview', changed: false },
    });
  });

  it('a timer cancelled meanwhile, or one of a closed case, changes nothing', () => {
    const world = inJointReview();
    world.complete('review.fire', 'approve');
    const cancelled = deadlineOf(world, 'review.fire');
    expect(cancelled.status).toBe('cancelled');
    expect(world.fire(cancelled).changed).toBe(false);

    world.complete('review.water', 'reject');
    for (const d of ['planning', 'ecology', 'civil-air-defence']) world.complete(`review.${d}`, 'approve');
    world.complete('refusal', 'approve');
    expect(world.case.status).toBe('refused');
    const timer = deadlineOf(world, 'refusal');
    // Even if a timer row were still pending, a closed case takes no event from it.
    const locked = { ...world.lock({ timerId: timer.id }), timer: { ...timer, status: 'pending' as const } };
    const env = { definition: world.definition, calendar: world.calendar, now: timer.dueAt };
    expect(decideCommand(locked, { type: 'timer.fire', timerId: timer.id }, env)).toMatchObject({ commit: null, result: { status: 'refused', changed: false } });
  });
});
