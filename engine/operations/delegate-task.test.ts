import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupation } from '../../workflows/road-occupation.js';
import type { Actor, Role } from '../access/actor.js';
import type { Colleague } from '../access/authorization-policy.js';
import type { TaskOutcome } from '../definitions/case-machine.js';
import {
  DelegationNotAllowedError,
  InvalidCommandError,
  PermissionDeniedError,
  TaskClaimedByOtherError,
  TaskDelegatedError,
  TaskNotActionableError,
  TaskNotFoundError,
} from '../errors.js';
import { departmentCode, userId } from '../ids.js';
import { availableMoves } from './available-moves.js';
import type { CaseCommand } from './decide-command.js';

const HOLDER = actor('fire', 'handler', 'fire.holder');
const DELEGATE = actor('fire', 'handler', 'fire.delegate');
const OTHER = actor('fire', 'handler', 'fire.other');
const FIRE_LEAD = actor('fire', 'lead');

/** A person as the API finds them in the users table. */
const person = (department: string, id: string, roles: Role[] = ['handler']): Colleague => ({ userId: userId(id), departmentCode: departmentCode(department), roles });
const COLLEAGUE = person('fire', 'fire.delegate');

/** A construction permit in joint review whose fire review its holder has claimed. */
function heldByHolder(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  world.claim('review.fire', HOLDER);
  return world;
}

const fireTask = (world: CaseWorld) => world.openTask('review.fire').id;
const delegation = (world: CaseWorld, by: Actor, to: Colleague = COLLEAGUE): CaseCommand => ({ type: 'task.delegate', actor: by, taskId: fireTask(world), to, note: '请起草审查意见 Please draft the opinion' });
const resolution = (world: CaseWorld, by: Actor, outcome: TaskOutcome = 'approve', text = '消防设计符合规范 The fire design complies'): CaseCommand => ({
  type: 'task.delegation.resolve',
  actor: by,
  taskId: fireTask(world),
  outcome,
  opinion: { text, visibility: 'internal' },
});
const recall = (world: CaseWorld, by: Actor): CaseCommand => ({ type: 'task.delegation.recall', actor: by, taskId: fireTask(world) });

/** The fire review delegated by its holder to the colleague. */
function delegated(): CaseWorld {
  const world = heldByHolder();
  world.execute(delegation(world, HOLDER));
  return world;
}

describe('委派: the holder delegates a task', () => {
  it('the delegate holds it, pending, delegated by the holder; same task, due instant and timers; the department told; audited with both', () => {
    const world = heldByHolder();
    const before = world.openTask('review.fire');
    const timers = world.pendingTimers();
    const { commit, result } = world.decide(delegation(world, HOLDER));
    expect(result).toMatchObject({ version: world.case.version + 1, changed: true, state: 'jointReview' });
    expect(commit?.effects).toEqual([
      { type: 'task.delegation', taskId: before.id, assigneeId: 'fire.delegate', delegatedBy: 'fire.holder', delegation: 'pending', proposal: null },
      {
        type: 'notification.send',
        notification: expect.objectContaining({ audience: { departmentCode: 'fire' }, template: 'task.delegated', data: { taskId: before.id, title: before.title, to: 'fire.delegate', by: 'fire.holder' } }),
      },
    ]);
    expect(commit?.audits).toEqual([
      expect.objectContaining({
        type: 'task.delegated',
        actorId: 'fire.holder',
        data: { taskId: before.id, task: 'review.fire', from: 'fire.holder', to: 'fire.delegate', note: '请起草审查意见 Please draft the opinion' },
      }),
    ]);
    if (commit) world.apply(commit);
    expect(world.openTask('review.fire')).toEqual({ ...before, assigneeId: 'fire.delegate', delegatedBy: 'fire.holder', delegation: 'pending' });
    expect(world.pendingTimers()).toEqual(timers);
  });

  it.each([
    ['a colleague who does not hold it', OTHER, COLLEAGUE, TaskClaimedByOtherError],
    ['the department’s lead, who does not hold it', FIRE_LEAD, COLLEAGUE, TaskClaimedByOtherError],
    ['another department’s handler', actor('water', 'handler'), person('water', 'water.other'), TaskNotFoundError],
    ['a supervisor', actor('supervision', 'supervisor'), COLLEAGUE, PermissionDeniedError],
    ['a department system, holding it', actor('fire', 'department_system', 'fire.holder'), COLLEAGUE, PermissionDeniedError],
    ['the holder, to themselves', HOLDER, person('fire', 'fire.holder'), InvalidCommandError],
    ['the holder, to a person of another department', HOLDER, person('water', 'water.handler'), InvalidCommandError],
    ['the holder, to a person whose roles do not handle reviews', HOLDER, person('fire', 'fire.clerk', ['intake_clerk']), InvalidCommandError],
  ])('%s: refused, nothing written', (_, by, to, error) => {
    const world = heldByHolder();
    expectRefused(world, () => world.execute(delegation(world, by, to)), error);
  });

  it('an unclaimed task is claimed first; a delegated one is not delegated again, by the holder or the delegate', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    expectRefused(world, () => world.execute(delegation(world, HOLDER)), DelegationNotAllowedError);
    world.claim('review.fire', HOLDER);
    world.execute(delegation(world, HOLDER));
    expectRefused(world, () => world.execute(delegation(world, HOLDER, person('fire', 'fire.other'))), TaskDelegatedError);
    expectRefused(world, () => world.execute(delegation(world, DELEGATE, person('fire', 'fire.other'))), TaskDelegatedError);
  });

  it('a completed task and a closed case are refused', () => {
    const world = heldByHolder();
    const done = fireTask(world);
    world.complete('review.fire', 'approve', { by: HOLDER });
    expectRefused(world, () => world.execute({ type: 'task.delegate', actor: HOLDER, taskId: done, to: COLLEAGUE, note: 'n' }), TaskNotActionableError);
    const withdrawn = heldByHolder();
    const task = fireTask(withdrawn);
    withdrawn.execute({ type: 'case.withdraw', actor: actor('window', 'intake_clerk', 'window.clerk'), caseId: withdrawn.case.id, reason: '申请人撤回 The applicant withdrew' });
    expectRefused(withdrawn, () => withdrawn.execute({ type: 'task.delegate', actor: HOLDER, taskId: task, to: COLLEAGUE, note: 'n' }), TaskNotActionableError);
  });

  it('a named signer delegates: the delegate drafts, returns it, and the signer signs', () => {
    const world = CaseWorld.start(roadOccupation);
    for (const key of ['acceptance', 'review.traffic-police', 'review.municipal-roads']) world.complete(key, 'approve');
    const [deputy] = ROAD_OCCUPATION_DEPUTIES;
    const signer = actor('urban-management', 'lead', deputy);
    const key = `signOff.${deputy}`;
    const taskId = world.openTask(key).id;
    world.execute({ type: 'task.delegate', actor: signer, taskId, to: person('urban-management', 'urban-management.lead', ['lead']), note: '请拟签批意见' });
    expectRefused(world, () => world.execute({ type: 'countersign.signer.add', actor: actor('urban-management', 'lead'), taskId, department: 'urban-management', position: 'alongside', reason: 'r' }), TaskDelegatedError);
    world.execute({ type: 'task.delegation.resolve', actor: actor('urban-management', 'lead'), taskId, outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } });
    expect(world.openTask(key)).toMatchObject({ assigneeId: deputy, signerId: deputy, delegation: 'resolved' });
    world.complete(key, 'approve', { by: signer });
    expect(world.case.status).toBe('approved');
    expect(world.audit.find((e) => e.type === 'task.approved' && e.data['task'] === key)?.data).toMatchObject({ draftedBy: 'urban-management.lead' });
  });
});

describe('while a delegation is pending, nobody else acts on the task', () => {
  it.each([
    ['the delegate completes it', (w: CaseWorld): CaseCommand => ({ type: 'task.complete', actor: DELEGATE, taskId: fireTask(w), outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } })],
    ['the holder completes it', (w: CaseWorld): CaseCommand => ({ type: 'task.complete', actor: HOLDER, taskId: fireTask(w), outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } })],
    ['the delegate transfers it', (w: CaseWorld): CaseCommand => ({ type: 'task.transfer', actor: DELEGATE, taskId: fireTask(w), to: person('fire', 'fire.other'), reason: 'r' })],
    ['the lead transfers it', (w: CaseWorld): CaseCommand => ({ type: 'task.transfer', actor: FIRE_LEAD, taskId: fireTask(w), to: person('fire', 'fire.other'), reason: 'r' })],
    ['the lead department’s lead sends it to another department', (w: CaseWorld): CaseCommand => ({ type: 'task.transfer', actor: actor('housing', 'lead'), taskId: fireTask(w), to: { departmentCode: departmentCode('ecology') }, reason: 'r' })],
    ['the delegate releases it', (w: CaseWorld): CaseCommand => ({ type: 'task.release', actor: DELEGATE, taskId: fireTask(w) })],
    ['the lead releases it', (w: CaseWorld): CaseCommand => ({ type: 'task.release', actor: FIRE_LEAD, taskId: fireTask(w) })],
    ['the delegate claims it again', (w: CaseWorld): CaseCommand => ({ type: 'task.claim', actor: DELEGATE, taskId: fireTask(w) })],
  ])('%s: refused (delegated to the delegate, who may be asked to return it), nothing written', (_, command) => {
    const world = delegated();
    expectRefused(world, () => world.execute(command(world)), TaskDelegatedError);
    expect(() => world.execute(command(world))).toThrow(/delegated to fire\.delegate: fire\.holder may take it back/);
  });
});

describe('退回确认: the delegate returns the task with a proposal', () => {
  it('back to the holder, claimed by them, resolved with the proposal; the department told; audited with both, without the outcome', () => {
    const world = delegated();
    const before = world.openTask('review.fire');
    const { commit } = world.decide(resolution(world, DELEGATE, 'return', '缺少消防设计图纸 The fire drawings are missing'));
    expect(commit?.audits).toEqual([
      expect.objectContaining({ type: 'task.delegation-resolved', actorId: 'fire.delegate', data: { taskId: before.id, task: 'review.fire', delegate: 'fire.delegate', holder: 'fire.holder' } }),
    ]);
    expect(commit?.effects[1]).toMatchObject({ type: 'notification.send', notification: { template: 'task.delegation-resolved', data: { to: 'fire.holder', by: 'fire.delegate' } } });
    if (commit) world.apply(commit);
    expect(world.openTask('review.fire')).toEqual({
      ...before,
      assigneeId: 'fire.holder',
      delegation: 'resolved',
      delegationProposal: { outcome: 'return', opinion: { text: '缺少消防设计图纸 The fire drawings are missing', visibility: 'internal' }, by: 'fire.delegate', at: world.clock.now().toISOString() },
    });
  });

  it('the holder confirms by completing — as proposed or otherwise — and the completion names the drafter', () => {
    const world = delegated();
    world.execute(resolution(world, DELEGATE, 'approve'));
    expectRefused(world, () => world.execute(resolution(world, DELEGATE)), DelegationNotAllowedError);
    world.complete('review.fire', 'reject', { by: HOLDER, text: '不符合规范 Does not comply' });
    expect(world.audit.at(-1)).toMatchObject({ type: 'task.rejected', actorId: 'fire.holder', data: { outcome: 'reject', draftedBy: 'fire.delegate' } });
    expect(world.opinions.at(-1)).toMatchObject({ authorId: 'fire.holder', outcome: 'reject' });
  });

  it('a returned task may be delegated again: pending, its earlier proposal gone', () => {
    const world = delegated();
    world.execute(resolution(world, DELEGATE));
    world.execute(delegation(world, HOLDER, person('fire', 'fire.other')));
    expect(world.openTask('review.fire')).toMatchObject({ assigneeId: 'fire.other', delegatedBy: 'fire.holder', delegation: 'pending', delegationProposal: null });
  });

  it('a returned task that leaves its holder (released, or transferred to another department) ends its delegation, proposal and all', () => {
    const released = delegated();
    released.execute(resolution(released, DELEGATE));
    released.execute({ type: 'task.release', actor: HOLDER, taskId: fireTask(released) });
    expect(released.openTask('review.fire')).toMatchObject({ status: 'open', assigneeId: null, delegatedBy: null, delegation: null, delegationProposal: null });
    const moved = delegated();
    moved.execute(resolution(moved, DELEGATE));
    moved.execute({ type: 'task.transfer', actor: actor('housing', 'lead'), taskId: fireTask(moved), to: { departmentCode: departmentCode('ecology') }, reason: '转办' });
    expect(moved.openTask('review.fire')).toMatchObject({ departmentCode: 'ecology', delegatedBy: null, delegation: null, delegationProposal: null });
  });

  it.each([
    ['the holder', HOLDER, 'approve', 'ok', DelegationNotAllowedError],
    ['another colleague', OTHER, 'approve', 'ok', DelegationNotAllowedError],
    ['another department', actor('water', 'handler'), 'approve', 'ok', TaskNotFoundError],
    ['a department system', actor('fire', 'department_system', 'fire.delegate'), 'approve', 'ok', PermissionDeniedError],
    ['the delegate, a refusal without reasons', DELEGATE, 'reject', ' ', InvalidCommandError],
  ] as const)('%s: refused, nothing written', (_, by, outcome, text, error) => {
    const world = delegated();
    expectRefused(world, () => world.execute(resolution(world, by, outcome, text)), error);
  });

  it('a task not delegated cannot be returned', () => {
    const world = heldByHolder();
    expectRefused(world, () => world.execute(resolution(world, HOLDER)), DelegationNotAllowedError);
  });
});

describe('收回: the holder takes the task back', () => {
  it('claimed by the holder again, not delegated; the department told; audited with both', () => {
    const world = heldByHolder();
    const before = world.openTask('review.fire');
    world.execute(delegation(world, HOLDER));
    world.execute(recall(world, HOLDER));
    expect(world.openTask('review.fire')).toEqual(before);
    expect(world.audit.at(-1)).toMatchObject({ type: 'task.delegation-recalled', actorId: 'fire.holder', data: { taskId: before.id, delegate: 'fire.delegate', holder: 'fire.holder' } });
    expect(world.notifications.at(-1)).toMatchObject({ template: 'task.delegation-recalled', data: { from: 'fire.delegate', by: 'fire.holder' } });
    world.complete('review.fire', 'approve', { by: HOLDER });
    expect(world.audit.at(-1)?.data).not.toHaveProperty('draftedBy');
  });

  it.each([
    ['the delegate', DELEGATE, DelegationNotAllowedError],
    ['the lead', FIRE_LEAD, DelegationNotAllowedError],
    ['another department', actor('water', 'lead'), TaskNotFoundError],
  ])('%s: refused, nothing written', (_, by, error) => {
    const world = delegated();
    expectRefused(world, () => world.execute(recall(world, by)), error);
  });

  it('not while nothing is pending (never delegated, or returned already), nor on a closed case', () => {
    const world = heldByHolder();
    expectRefused(world, () => world.execute(recall(world, HOLDER)), DelegationNotAllowedError);
    world.execute(delegation(world, HOLDER));
    world.execute(resolution(world, DELEGATE));
    expectRefused(world, () => world.execute(recall(world, HOLDER)), DelegationNotAllowedError);
    const closed = delegated();
    const task = fireTask(closed);
    closed.execute({ type: 'case.withdraw', actor: actor('window', 'intake_clerk', 'window.clerk'), caseId: closed.case.id, reason: '申请人撤回 The applicant withdrew' });
    expectRefused(closed, () => closed.execute({ type: 'task.delegation.recall', actor: HOLDER, taskId: task }), TaskNotActionableError);
  });
});

describe('the moves offered (available-moves.ts)', () => {
  const movesOf = (world: CaseWorld, by: Actor) =>
    availableMoves(by, { case: world.case, openTasks: world.openTasks() }, { definition: world.definition, calendar: world.calendar, now: world.clock.now() })
      .filter((m) => 'taskId' in m && m.task === 'review.fire')
      .map((m) => ('outcomes' in m ? `${m.type} ${m.outcomes.join(',')}` : m.type));

  it('the holder delegates; the delegate returns it with any outcome the review takes; the holder takes it back; the returned task is the holder’s to complete', () => {
    const world = heldByHolder();
    expect(movesOf(world, HOLDER)).toEqual(['task.release', 'task.complete approve,reject,return', 'task.transfer', 'task.delegate']);
    world.execute(delegation(world, HOLDER));
    expect(movesOf(world, DELEGATE)).toEqual(['task.delegation.resolve approve,reject,return']);
    expect(movesOf(world, HOLDER)).toEqual(['task.delegation.recall']);
    expect(movesOf(world, FIRE_LEAD)).toEqual([]);
    world.execute(resolution(world, DELEGATE));
    expect(movesOf(world, HOLDER)).toEqual(['task.release', 'task.complete approve,reject,return', 'task.transfer', 'task.delegate']);
    expect(movesOf(world, DELEGATE)).toEqual([]);
  });
});
