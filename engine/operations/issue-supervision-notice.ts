import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { dueOf, noticeClockId, startCaseClock } from '../case-clocks.js';
import { notify } from '../effect-planner.js';
import { InvalidCommandError, TaskNotActionableError, TaskNotFoundError } from '../errors.js';
import type { CaseId, TaskId } from '../ids.js';
import { NOTICE_LADDER, type NewSupervisionNotice } from '../supervision-notice.js';
import { WORKING_DAYS_LIMITS } from '../time/deadline.js';
import type { CaseOperation } from './case-operation.js';
import { clockChange, clockContext } from './clock-change.js';
import { assertRunning } from './decision.js';
import { requiredText } from './notice-change.js';

/** 督办 issued: a supervisor's formal notice on a running case, or on one of its open tasks, to be answered in so many working days. */
export interface IssueSupervisionNotice {
  readonly type: 'supervision-notice.issue';
  readonly actor: Actor;
  readonly caseId: CaseId;
  /** An open task of the case: its department must answer. Without one, the case's lead department. */
  readonly taskId?: TaskId | undefined;
  readonly message: string;
  /** The response limit, in whole working days on the case's calendar. */
  readonly responseWorkingDays: number;
}

/**
 * Issues the notice: its response limit starts as the clock `notice:<id>` (the notice ladder: yellow 1 working day
 * before, red at the due), which case pauses do not stop; the department holding it is told
 * (`supervision-notice.issued`) and the issue is audited. The answer names the notice (`noticeId`).
 * A closed case is refused (409), a task not of the case is not found (404), one no longer open refused (409).
 */
export const issueSupervisionNotice: CaseOperation<IssueSupervisionNotice> = {
  type: 'supervision-notice.issue',
  permission: 'supervision-notice.issue',
  // With a task, the store finds the case by it and loads it whatever its status: a closed task is told apart from none.
  caseRef: (command) => (command.taskId === undefined ? { caseId: command.caseId } : { taskId: command.taskId }),
  decide(locked, command, env) {
    const task = command.taskId === undefined ? null : locked.task;
    if (command.taskId !== undefined && (!task || task.caseId !== command.caseId)) throw new TaskNotFoundError(command.taskId);
    assertRunning(locked.case);
    if (task && task.status !== 'open' && task.status !== 'claimed') throw new TaskNotActionableError(task.id, task.status);
    const message = requiredText(command.message, 'message');
    const days = command.responseWorkingDays;
    if (!Number.isInteger(days) || days < WORKING_DAYS_LIMITS.min || days > WORKING_DAYS_LIMITS.max) {
      throw new InvalidCommandError(`responseWorkingDays must be a whole number from ${WORKING_DAYS_LIMITS.min} to ${WORKING_DAYS_LIMITS.max}, not ${days}`, ['responseWorkingDays']);
    }

    const id = randomUUID();
    const department = task?.departmentCode ?? locked.case.leadDepartment;
    const ctx = clockContext(locked, env);
    const clockId = noticeClockId(id);
    // The notice's department is on its clock, so that its rungs tell the department that must answer.
    const clocks = startCaseClock(locked.case.clocks, ctx, clockId, days, NOTICE_LADDER).map((c) => (c.id === clockId ? { ...c, holder: department } : c));
    const due = dueOf(clocks.find((c) => c.id === clockId), ctx);
    if (!due) throw new TypeError(`a new clock ${clockId} has no due instant`);
    const notice: NewSupervisionNotice = {
      id,
      caseId: locked.case.id,
      taskId: task?.id ?? null,
      departmentCode: department,
      message,
      issuedBy: command.actor.userId,
      issuedAt: env.now,
      responseWorkingDays: days,
      dueAt: due.due,
    };
    const told = { noticeId: id, ...(task ? { taskId: task.id, task: task.key } : {}), message, responseWorkingDays: days, dueAt: due.due.toISOString(), issuedBy: command.actor.userId };
    const decision = clockChange(locked, env, {
      keepVersion: true,
      actor: command.actor,
      clocks,
      effects: [{ type: 'notice.issue', notice }, notify({ caseId: locked.case.id }, { departmentCode: department }, 'supervision-notice.issued', told)],
      auditType: 'supervision-notice.issued',
      data: { ...told, department, dueDate: due.derivation.dueDate },
    });
    return { ...decision, result: { ...decision.result, noticeId: id } };
  },
};
