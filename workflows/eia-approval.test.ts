import { describe, expect, it } from 'vitest';
import { TaskClaimedByOtherError, TaskNotActionableError } from '../engine/errors.js';
import { deadline } from '../engine/time/deadline.js';
import { actor, workerFor } from '../test/unit/support/actors.js';
import { beijing } from '../test/unit/support/calendar.js';
import { CaseWorld } from '../test/unit/support/case-world.js';
import type { ModelSnapshot } from '../test/unit/support/model-state.js';
import { expectRefused } from '../test/unit/support/refusals.js';
import { expectInvariants } from '../test/unit/support/model-invariants.js';
import { endingsOf, movesOf, pathOf, workflowSuite } from '../test/unit/support/workflow-model.js';
import { EIA_EXPERTS, eiaApproval, eiaApprovalItem } from './eia-approval.js';

/**
 * Model-based tests of the environmental impact approval: five experts vote (票签, two thirds to pass) while the
 * case's clocks stand still (art. 45). The shortest path to every vertex — the panel is a vertex per count of
 * approvals and rejections, so every expert's deciding vote is walked — then the vote ending as soon as it cannot
 * change, the paused clocks over real working days, and the votes the engine refuses.
 */
const expectations = { licenceIssued: (s: ModelSnapshot) => s.matches('issued') };
const suite = workflowSuite(eiaApproval, expectations);
const { shortest } = suite;
const expertTask = (i: number) => `expertPanel.${EIA_EXPERTS[i - 1] ?? ''}`;
const toPanel = ['acceptance:approve', 'technicalReview:approve'];
const votes = (vote: 'approve' | 'reject', ...experts: number[]) => experts.map((i) => `${expertTask(i)}:${vote}`);
const keysOf = (world: CaseWorld, status: string) => [...world.tasks.values()].filter((t) => t.status === status).map((t) => t.key).sort();

describe('eia approval model', () => {
  it('reaches the approval, a refusal from the decision and from the panel, and non-acceptance; every expert rejects somewhere', () => {
    expect(endingsOf(shortest)).toEqual(new Set(['issued <- decision:approve', 'refused <- decision:reject', 'refused <- refusal:approve', 'notAccepted <- acceptance:reject']));
    const moves = new Set(shortest.flatMap(movesOf));
    for (let i = 1; i <= 5; i++) expect(moves).toContain(`${expertTask(i)}:reject`);
    expect(moves).toContain('technicalReview:return>acceptance');
    expect(moves).toContain('decision:return>technicalReview');
  });

  it('the invariant check fails on a countersign whose outcome or a vote changed after it was set', async () => {
    const moves = [...toPanel, ...votes('approve', 1, 2, 3, 4)];
    const world = await suite.replayMoves(moves);
    const { state } = pathOf(eiaApproval, moves);
    const panel = world.context.countersigns?.['expertPanel'];
    if (!panel) throw new Error('no expert panel in the context');
    const withPanel = (changed: typeof panel) => ({ ...world.context, countersigns: { expertPanel: changed } });
    expect(() => expectInvariants(world, state, expectations, world.context)).not.toThrow();
    expect(() => expectInvariants(world, state, expectations, withPanel({ ...panel, outcome: 'rejected' }))).toThrow();
    const revoted = panel.signers.map((s, i) => (i === 0 ? { ...s, vote: 'reject' as const } : s));
    expect(() => expectInvariants(world, state, expectations, withPanel({ ...panel, signers: revoted }))).toThrow();
  });
});

describe('eia approval: shortest paths', () => {
  suite.itReplaysEach(shortest);
});

describe('the expert panel’s vote (票签)', () => {
  it('passes on the fourth approval: the expert who has not voted never does, the task cancelled', async () => {
    const world = await suite.replayMoves([...toPanel, ...votes('approve', 1, 2, 3, 4)]);
    expect(world.openTasks().map((t) => t.key)).toEqual(['decision']);
    expect(keysOf(world, 'cancelled')).toEqual([expertTask(5)]);
    const panel = world.context.countersigns?.['expertPanel'];
    expect(panel?.outcome).toBe('approved');
    expect(panel?.signers.map((s) => s.vote)).toEqual(['approve', 'approve', 'approve', 'approve', null]);
  });

  it('fails on the second rejection: three of five can no longer reach two thirds', async () => {
    const world = await suite.replayMoves([...toPanel, ...votes('reject', 2, 4)]);
    expect(world.openTasks().map((t) => t.key)).toEqual(['refusal']);
    expect(keysOf(world, 'cancelled')).toEqual([expertTask(1), expertTask(3), expertTask(5)]);
    const refused = await suite.replayMoves([...toPanel, ...votes('reject', 2, 4), 'refusal:approve']);
    expect(refused.notifications.filter((n) => n.template === 'case.refused').map((n) => n.data)).toEqual([
      { reasons: [2, 4].map((i) => ({ department: 'expert-panel', reason: `${expertTask(i)}: reject — reasons given by the department` })) },
    ]);
  });

  it('waits while the outcome can still change: three approvals and one rejection leave the last expert to decide', async () => {
    const undecided = await suite.replayMoves([...toPanel, ...votes('approve', 1, 2, 3), ...votes('reject', 4)]);
    expect(undecided.openTasks().map((t) => t.key)).toEqual([expertTask(5)]);
    expect((await suite.replayMoves([...toPanel, ...votes('approve', 1, 2, 3), ...votes('reject', 4), ...votes('approve', 5)])).case.stateLabel).toBe('decision');
    expect((await suite.replayMoves([...toPanel, ...votes('approve', 1, 2, 3), ...votes('reject', 4, 5)])).case.stateLabel).toBe('refusal');
  });
});

describe('the case’s clocks while the experts sit (art. 45)', () => {
  it('stand still from the panel’s opening to its outcome, the case due later by the working days it sat; the experts’ own clocks run', () => {
    const start = beijing('2026-11-02T10:00');
    const world = CaseWorld.start(eiaApproval, { now: start });
    world.complete('acceptance', 'approve');
    world.complete('technicalReview', 'approve');
    expect(world.readClock('legal')?.state).toBe('paused');
    expect(world.readClock('committed')?.state).toBe('paused');
    expect(world.pendingTimers().filter((t) => t.kind === 'case.deadline')).toEqual([]);
    for (let i = 1; i <= 5; i++) expect(world.readClock(`task:${expertTask(i)}`)?.state).toBe('running');

    // Sat Monday to Thursday: Tuesday, Wednesday and Thursday are not counted.
    world.clock.set(beijing('2026-11-05T10:00'));
    for (let i = 1; i <= 4; i++) world.complete(expertTask(i), 'approve');
    expect(world.readClock('committed')).toMatchObject({ state: 'running', due: { derivation: expect.objectContaining({ pausedWorkingDays: 3 }) } });
    expect(world.case.dueAt).toEqual(deadline(world.calendar, start, eiaApprovalItem.committedLimitDays + 3, world.case.countingRule).due);
  });
});

describe('votes the engine refuses, leaving the case as it was', () => {
  it('a second vote by the same expert, and a vote by anyone but the expert named', () => {
    const world = CaseWorld.start(eiaApproval);
    world.complete('acceptance', 'approve');
    world.complete('technicalReview', 'approve');
    world.complete(expertTask(1), 'approve');
    const voted = world.completedTask(expertTask(1));
    const again = { type: 'task.complete', actor: workerFor(voted), taskId: voted.id, outcome: 'reject', opinion: { text: '改投反对', visibility: 'internal' } } as const;
    expectRefused(world, () => world.execute(again), TaskNotActionableError);
    expectRefused(world, () => world.complete(expertTask(2), 'approve', { by: actor('expert-panel', 'handler', EIA_EXPERTS[2]) }), TaskClaimedByOtherError);
  });
});
