import type { EventObject } from 'xstate';
import { EVENT_BY_OUTCOME, TASK_OUTCOMES, type CaseContext, type CaseEvent, type OpenTaskParams, type TaskOutcome } from '../definitions/case-machine.js';
import { declaredGuards } from '../definitions/declared-guards.js';
import { declaredReturns } from '../definitions/declared-returns.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import { joinsReview, type MembershipParams } from '../definitions/review-membership.js';
import { departmentOf, modelOpenTasks, modelPeriods, type CaseParties, type ModelSnapshot } from './model-state.js';

/**
 * The moves a model of a definition makes, as the engine's events: what a person or a timer could do to a case
 * in a given state. Moves are written `task:approve`, `task:reject`, `task:return` (a return the definition
 * fixes) or `task:return>target` (one of the targets it declares), `task:withdraw` (撤回), `review:join dept` /
 * `review:leave dept` (the lead's change of a joint review's members), `review:close`, `supplement`,
 * `period:name`.
 */

/** The text of an opinion: approvals say so, rejections and returns give their reasons. */
export const opinionText = (task: string, outcome: TaskOutcome): string =>
  outcome === 'approve' ? `${task}: 同意 approved` : `${task}: ${outcome} — reasons given by the department`;

/** The reason the lead gives for a change of members, as the model and the sandbox write it. */
const memberChangeReason = (department: string, joins: boolean) => `${department}: ${joins ? '需要参加 needed' : '无需参加 not needed'} — the lead's reason`;

/**
 * The concrete events a state may take: every outcome of every open task (with the department and, for
 * rejections and returns, the reasons the engine will put in; a return to each target the definition declares
 * for the task), the withdrawal of every outcome the context holds for a task not open now, the lead's change
 * of each optional member of a joint review (the one that would change whether it takes part), the closing of
 * each joint review that may be closed, a supplement, the end of a running period. A model keeps those the
 * machine takes (`definition-model.ts`).
 */
export function caseEvents(definition: CompiledDefinition, parties: CaseParties): (snapshot: ModelSnapshot) => CaseEvent[] {
  const returns = declaredReturns(definition);
  const optional = declaredGuards<MembershipParams>(definition.machine, 'skipsReview').filter((m) => !m.required);
  const closable = [...new Set(declaredGuards<{ review: string }>(definition.machine, 'reviewClosable').map((p) => p.review))];
  return (snapshot) => {
    const open = modelOpenTasks(definition, snapshot);
    return [
      ...open.flatMap((task) => outcomeEvents(task, departmentOf(task, parties), returns.get(task.task) ?? [])),
      ...withdrawals(snapshot.context, new Set(open.map((t) => t.task))),
      ...optional.map((m): CaseEvent => {
        const joins = !joinsReview(snapshot.context, m);
        return { type: 'members.changed', review: m.review, department: m.department, joins, reason: memberChangeReason(m.department, joins) };
      }),
      ...closable.map((review): CaseEvent => ({ type: 'review.closed', review })),
      { type: 'supplement.submitted' },
      ...modelPeriods(definition, snapshot).map((period): CaseEvent => ({ type: 'period.ended', period })),
    ];
  };
}

function outcomeEvents(task: OpenTaskParams, department: string, targets: readonly { readonly to: string }[]): CaseEvent[] {
  return TASK_OUTCOMES.flatMap((outcome): CaseEvent[] => {
    const event = { type: EVENT_BY_OUTCOME[outcome], task: task.task, department, ...(outcome === 'approve' ? {} : { reason: opinionText(task.task, outcome) }) };
    if (outcome !== 'return' || targets.length === 0) return [event];
    return targets.map((r) => ({ ...event, type: 'task.returned', to: r.to }));
  });
}

/** 撤回: an outcome the context holds, of a task not open now (a task reopened since has nothing to take back). */
const withdrawals = (context: CaseContext, open: ReadonlySet<string>): CaseEvent[] =>
  Object.entries(context.outcomes)
    .filter(([task]) => !open.has(task))
    .map(([task, record]) => ({ type: 'task.withdrawn', task, department: record.department }));

/** An event written as a move (see the top of this file). */
export function moveOf(event: EventObject): string {
  const e = event as CaseEvent;
  switch (e.type) {
    case 'task.approved':
    case 'task.rejected':
      return `${e.task}:${e.type === 'task.approved' ? 'approve' : 'reject'}`;
    case 'task.returned':
      return `${e.task}:return${e.to ? `>${e.to}` : ''}`;
    case 'task.withdrawn':
      return `${e.task}:withdraw`;
    case 'members.changed':
      return `${e.review}:${e.joins ? 'join' : 'leave'} ${e.department}`;
    case 'review.closed':
      return `${e.review}:close`;
    case 'supplement.submitted':
      return 'supplement';
    case 'period.ended':
      return `period:${e.period}`;
    default:
      return e.type;
  }
}
