import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT, type CaseEvent } from './case-machine.js';
import { onOutcome, taskState } from './definition-parts.js';
import { notAcceptedState, refusedState, issuedState } from './final-states.js';
import { jointReview, memberChanges, withdrawalInto, withdrawalsAfter, type DisputeRung, type JointReviewDeclaration, type ReviewReturn } from './joint-review.js';
import { compileDefinition, type ProcessDefinition } from './process-definition.js';

/**
 * The joint-review block compiles to plain JSON in the engine's vocabulary: every combination of its options
 * must pass `compileDefinition` (the vocabulary lint and XState's own checks), the last rung of a dispute
 * ladder decides, and the withdrawal helpers have the guards the engine relies on.
 */

const KEEP: ReviewReturn = { to: 'correction', title: 'Correction', siblings: 'keep', department: LEAD_DEPARTMENT, workingDays: 1, clock: 'continue' };
const cancel = (approvals: 'stand' | 'redo', clock: 'continue' | 'restart'): ReviewReturn => ({ to: 'acceptance', title: 'Window', siblings: 'cancel', target: 'acceptance', approvals, clock });
const RUNGS: Record<DisputeRung['rung'], DisputeRung> = {
  handling: { rung: 'handling', title: 'Reconsider', workingDays: 2 },
  lead: { rung: 'lead', title: 'Coordinate', workingDays: 2 },
  meeting: { rung: 'meeting', title: 'Meeting', workingDays: 3 },
};

const declaration = (options: Partial<JointReviewDeclaration> = {}): JointReviewDeclaration => ({
  name: 'review',
  machineId: 'joint',
  members: [
    { department: 'a', title: 'A', workingDays: 3 },
    { department: 'b', title: 'B', workingDays: 3 },
    { department: 'c', title: 'C', workingDays: 3, required: false, whenAnswer: 'needsC' },
  ],
  onRejection: 'finish',
  returns: [KEEP],
  approved: 'decision',
  refused: 'refused',
  ...options,
});

/** A definition around the review: acceptance (where members change), the review, a decision and the endings. */
function definitionOf(d: JointReviewDeclaration): ProcessDefinition {
  return {
    key: 'joint',
    version: 1,
    title: 'Joint',
    machine: {
      id: 'joint',
      context: { outcomes: {}, rejections: [] },
      initial: 'acceptance',
      states: {
        acceptance: taskState(
          { task: 'acceptance', kind: 'intake', title: 'Acceptance', department: INTAKE_DEPARTMENT, workingDays: 1 },
          { 'task.approved': onOutcome('acceptance', 'review'), 'task.rejected': onOutcome('acceptance', 'notAccepted'), ...memberChanges(d) },
        ),
        ...jointReview({ ...d, on: withdrawalInto(d, 'acceptance', 'acceptance') }),
        decision: taskState(
          { task: 'decision', kind: 'decision', title: 'Decision', department: LEAD_DEPARTMENT, workingDays: 2 },
          { 'task.approved': onOutcome('decision', 'issued'), ...withdrawalsAfter(d) },
        ),
        issued: issuedState({ licenceType: 'jt', title: 'Joint permit' }),
        refused: refusedState(),
        notAccepted: notAcceptedState(),
      },
    },
  };
}

describe('what the block compiles to', () => {
  const returnSets: readonly (readonly ReviewReturn[])[] = [[], [KEEP], [cancel('stand', 'continue')], [cancel('redo', 'restart'), { ...KEEP, clock: 'restart' }]];
  const ladders: readonly (readonly DisputeRung[] | undefined)[] = [undefined, [RUNGS.handling], [RUNGS.lead, RUNGS.meeting], [RUNGS.handling, RUNGS.lead, RUNGS.meeting]];
  const combinations = (['end', 'finish', 'none'] as const).flatMap((onRejection) =>
    returnSets.flatMap((returns) => ladders.map((dispute) => declaration({ onRejection, returns, ...(dispute ? { dispute } : {}) }))),
  );

  it.each(combinations.map((d) => [`${d.onRejection}, returns ${d.returns.map((r) => `${r.to}/${r.clock}`).join('+') || 'none'}, ladder ${d.dispute?.map((r) => r.rung).join('>') ?? 'none'}`, d] as const))(
    'passes compileDefinition: %s',
    (_, d) => {
      expect(() => compileDefinition(definitionOf(d))).not.toThrow();
    },
  );

  it('only a review that lets every member finish, without a dispute ladder, may be closed by the lead', () => {
    const closable = (d: JointReviewDeclaration) => 'review.closed' in (jointReview(d)['review']?.on ?? {});
    expect(closable(declaration({ onRejection: 'finish' }))).toBe(true);
    expect(closable(declaration({ onRejection: 'end' }))).toBe(false);
    expect(closable(declaration({ onRejection: 'finish', dispute: [RUNGS.lead] }))).toBe(false);
  });

  it('a dispute ladder needs a rung', () => {
    expect(() => jointReview(declaration({ dispute: [] }))).toThrow(TypeError);
  });
});

describe('the dispute ladder', () => {
  const split: CaseEvent[] = [
    { type: 'task.approved', task: 'acceptance', department: 'window' },
    { type: 'task.approved', task: 'review.a', department: 'a' },
    { type: 'task.rejected', task: 'review.b', department: 'b', reason: 'no' },
  ];
  const run = (d: JointReviewDeclaration, events: readonly CaseEvent[]) => {
    const machine = compileDefinition(definitionOf(d)).stateMachine;
    return events.reduce((s, e) => transition(machine, s, e)[0], initialTransition(machine, { answers: {} })[0]);
  };

  it('its last rung decides: a rejection there refuses, an approval settles for the approved state', () => {
    const onlyLead = declaration({ dispute: [RUNGS.lead] });
    expect(run(onlyLead, split).value).toEqual({ reviewDispute: 'lead' });
    expect(run(onlyLead, [...split, { type: 'task.rejected', task: 'review.lead', department: 'lead', reason: 'no' }]).value).toBe('refused');
    expect(run(onlyLead, [...split, { type: 'task.approved', task: 'review.lead', department: 'lead' }]).value).toBe('decision');
    const onlyHandling = declaration({ dispute: [RUNGS.handling] });
    expect(run(onlyHandling, [...split, { type: 'task.rejected', task: 'reviewReconsideration.b', department: 'b', reason: 'still no' }]).value).toBe('refused');
  });

  it('a rung below the last passes a rejection up; a split review without a ladder is refused', () => {
    const ladder = declaration({ dispute: [RUNGS.handling, RUNGS.lead, RUNGS.meeting] });
    expect(run(ladder, [...split, { type: 'task.rejected', task: 'reviewReconsideration.b', department: 'b', reason: 'still no' }]).value).toEqual({ reviewDispute: 'lead' });
    expect(run(declaration(), split).value).toBe('refused');
  });

  it('takes a member’s withdrawal on its first rung only', () => {
    const ladder = declaration({ dispute: [RUNGS.handling, RUNGS.lead] });
    const states = jointReview(ladder)['reviewDispute']?.states ?? {};
    expect(Object.keys(states['handling']?.on ?? {})).toContain('task.withdrawn');
    expect(Object.keys(states['lead']?.on ?? {})).not.toContain('task.withdrawn');
    const withdrawn = { type: 'task.withdrawn', task: 'review.a', department: 'a' } as const;
    expect(run(ladder, [...split, withdrawn]).value).toMatchObject({ review: { a: 'reviewing', b: 'rejected', c: 'skipped' } });
    const climbed = [...split, { type: 'task.rejected', task: 'reviewReconsideration.b', department: 'b', reason: 'still no' } as const];
    expect(run(ladder, [...climbed, withdrawn]).value).toEqual({ reviewDispute: 'lead' });
  });
});

describe('the withdrawal and membership helpers', () => {
  const d = declaration();
  const forget = (tasks: string[]) => ({ type: 'forgetOutcomes', params: { tasks } });

  it('withdrawalsAfter: each member takes its own completion back into the review, forgetting only its outcome', () => {
    expect(withdrawalsAfter(d)).toEqual({
      'task.withdrawn': ['a', 'b', 'c'].map((m) => ({
        guard: { type: 'withdrawable', params: { task: `review.${m}` } },
        target: '#joint.review',
        actions: [forget([`review.${m}`])],
      })),
    });
  });

  it('withdrawalInto: the previous step’s completion, while no member has an outcome after it, forgotten too', () => {
    expect(withdrawalInto(d, 'acceptance', 'acceptance')).toEqual({
      'task.withdrawn': {
        guard: { type: 'withdrawable', params: { task: 'acceptance', before: ['review.a', 'review.b', 'review.c'] } },
        target: 'acceptance',
        actions: [forget(['acceptance'])],
      },
    });
  });

  it('memberChanges: the lead changes the optional members only; none for a review without them', () => {
    expect(memberChanges(d)).toEqual({ 'members.changed': { guard: { type: 'memberChangeable', params: { review: 'review', optional: ['c'] } }, actions: ['changeMembers'] } });
    expect(memberChanges(declaration({ members: d.members.filter((m) => m.required !== false) }))).toEqual({});
  });
});
