import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { MONDAY_MORNING } from '../../test/unit/support/calendar.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { IN_PERSON, IN_PERSON_ITEM, substitution } from '../../test/unit/support/substitutions.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupation } from '../../workflows/road-occupation.js';
import type { Actor } from '../access/actor.js';
import { ForbiddenError, PermissionDeniedError, TakeOverNotAllowedError, TaskDelegatedError, TaskNotFoundError } from '../errors.js';
import { userId } from '../ids.js';
import type { Substitution } from '../substitution.js';
import type { TakeOverTask } from './take-over-task.js';

const AWAY = actor('fire', 'handler', 'fire.away');
const SUBSTITUTE = actor('fire', 'handler', 'fire.substitute');
const HOUR = 3_600_000;
/** The window in which the substitute stands in for the absent handler: from this morning, two days. */
const WINDOW = substitution('fire.away', 'fire.substitute', MONDAY_MORNING, { roles: ['handler'] });

/** A construction permit in joint review whose fire review is claimed by the handler now away. */
function heldByAbsent(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  world.claim('review.fire', AWAY);
  return world;
}

const takeOver = (world: CaseWorld, by: Actor = SUBSTITUTE, window: Substitution | null = WINDOW, key = 'review.fire'): TakeOverTask => ({
  type: 'task.take-over',
  actor: by,
  taskId: world.openTask(key).id,
  substitution: window,
});

describe('taking over a task of the person one stands in for (接办)', () => {
  it('inside the window: the task is the substitute’s, held for the absent person, due instant and timers kept; audited with both and the window', () => {
    const world = heldByAbsent();
    const before = world.openTask('review.fire');
    const timers = world.pendingTimers();
    const { commit } = world.decide(takeOver(world));
    expect(commit?.effects).toEqual([{ type: 'task.take-over', taskId: before.id, assigneeId: 'fire.substitute', substitutedFor: 'fire.away' }]);
    expect(commit?.audits).toEqual([
      expect.objectContaining({
        type: 'task.taken-over',
        actorId: 'fire.substitute',
        data: { taskId: before.id, task: 'review.fire', substitutedFor: 'fire.away', substitute: 'fire.substitute', substitutionId: WINDOW.id },
      }),
    ]);
    if (commit) world.apply(commit);
    expect(world.openTask('review.fire')).toEqual({ ...before, assigneeId: 'fire.substitute', substitutedFor: 'fire.away' });
    expect(world.pendingTimers()).toEqual(timers);
    expect(() => world.complete('review.fire', 'approve', { by: AWAY })).toThrow(expect.objectContaining({ code: 'TB-TASK-CLAIMED' }));
    world.complete('review.fire', 'approve', { by: SUBSTITUTE });
    expect(world.audit.at(-1)).toMatchObject({ type: 'task.approved', actorId: 'fire.substitute', data: { substitutedFor: 'fire.away' } });
  });

  it('a substitute who releases or transfers the task holds it for nobody any more', () => {
    const world = heldByAbsent();
    world.execute(takeOver(world));
    world.execute({ type: 'task.release', actor: SUBSTITUTE, taskId: world.openTask('review.fire').id });
    expect(world.openTask('review.fire')).toMatchObject({ status: 'open', assigneeId: null, substitutedFor: null });
  });

  it.each([
    ['before the window begins', { ...WINDOW, startsAt: new Date(MONDAY_MORNING.getTime() + HOUR) }],
    ['after the window ended', { ...WINDOW, startsAt: new Date(MONDAY_MORNING.getTime() - 3 * HOUR), endsAt: new Date(MONDAY_MORNING.getTime() - HOUR) }],
    ['in a cancelled window', { ...WINDOW, cancelledAt: MONDAY_MORNING }],
    ['a task held by someone else than the absent person', { ...WINDOW, absentId: userId('fire.someone') }],
  ])('%s: refused (409), nothing written', (_, window) => {
    const world = heldByAbsent();
    expectRefused(world, () => world.execute(takeOver(world, SUBSTITUTE, window)), TakeOverNotAllowedError);
  });

  it.each([
    ['standing in for nobody', SUBSTITUTE, null, ForbiddenError],
    ['with someone else’s window', actor('fire', 'handler', 'fire.colleague'), WINDOW, ForbiddenError],
    ['of another department', actor('water', 'handler', 'fire.substitute'), WINDOW, TaskNotFoundError],
    ['whose roles do not handle reviews', actor('fire', 'intake_clerk', 'fire.substitute'), WINDOW, ForbiddenError],
    ['a supervisor', actor('supervision', 'supervisor', 'fire.substitute'), WINDOW, PermissionDeniedError],
  ])('a substitute %s: refused, nothing written', (_, by, window, error) => {
    const world = heldByAbsent();
    expectRefused(world, () => world.execute(takeOver(world, by, window)), error);
  });

  it('an unclaimed task, a task delegated pending (委派) or a completed one: refused, nothing written', () => {
    const open = CaseWorld.start(constructionPermit);
    open.complete('acceptance', 'approve');
    expectRefused(open, () => open.execute(takeOver(open)), TakeOverNotAllowedError);

    const delegated = heldByAbsent();
    const task = delegated.openTask('review.fire');
    delegated.tasks.set(task.id, { ...task, assigneeId: userId('fire.delegate'), delegatedBy: userId('fire.away'), delegation: 'pending' });
    expectRefused(delegated, () => delegated.execute(takeOver(delegated)), TaskDelegatedError);

    const done = heldByAbsent();
    const command = takeOver(done);
    done.complete('review.fire', 'approve', { by: AWAY });
    expectRefused(done, () => done.execute(command), TakeOverNotAllowedError);
  });

  it('a signer’s seat, to a substitute who signs the same step in their own right (one person, one seat): refused, nothing written', () => {
    const world = CaseWorld.start(roadOccupation);
    for (const key of ['acceptance', 'review.traffic-police', 'review.municipal-roads']) world.complete(key, 'approve');
    const [deputyA, deputyB] = ROAD_OCCUPATION_DEPUTIES;
    const window = substitution(deputyA, deputyB, MONDAY_MORNING);
    expectRefused(world, () => world.execute(takeOver(world, actor('urban-management', 'lead', deputyB), window, `signOff.${deputyA}`)), TakeOverNotAllowedError);
    // Someone who signs no seat of the step takes it over.
    world.execute(takeOver(world, actor('urban-management', 'lead'), substitution(deputyA, 'urban-management.lead', MONDAY_MORNING), `signOff.${deputyA}`));
    expect(world.openTask(`signOff.${deputyA}`)).toMatchObject({ assigneeId: 'urban-management.lead', signerId: deputyA, substitutedFor: deputyA });
  });

  it('a power the definition keeps for its holder in person (`substitutable: false`): refused, nothing written', () => {
    const world = CaseWorld.start(IN_PERSON, { serviceItem: IN_PERSON_ITEM });
    const lead = actor('urban-management', 'lead');
    world.claim('decision', lead);
    const window = substitution('urban-management.lead', 'urban-management.deputy-a', MONDAY_MORNING);
    expectRefused(world, () => world.execute(takeOver(world, actor('urban-management', 'lead', 'urban-management.deputy-a'), window, 'decision')), TakeOverNotAllowedError);
  });
});
