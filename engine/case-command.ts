import type { Actor } from './access/actor.js';
import type { Applicant } from './case-record.js';
import type { TaskOutcome } from './definitions/case-machine.js';
import type { CaseId, TaskId, TimerId } from './ids.js';

export const OPINION_VISIBILITIES = ['internal', 'public'] as const;
/** `internal`: for the departments of the case and supervisors; `public`: also shown to the applicant. */
export type OpinionVisibility = (typeof OPINION_VISIBILITIES)[number];

export interface MaterialInput {
  readonly name: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface StartCase {
  readonly type: 'case.start';
  readonly actor: Actor;
  readonly serviceItemCode: string;
  readonly applicant: Applicant;
  readonly materials: readonly MaterialInput[];
}

export interface ClaimTask {
  readonly type: 'task.claim';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly expectedVersion?: number;
}

export interface CompleteTask {
  readonly type: 'task.complete';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly outcome: TaskOutcome;
  readonly opinion: { readonly text: string; readonly visibility: OpinionVisibility };
  readonly expectedVersion?: number;
}

/**
 * 释放: gives a claimed task back to its department's inbox. The holder releases their own claim; the
 * department's lead releases anyone's, so that a task is not stuck while its assignee is away.
 */
export interface ReleaseTask {
  readonly type: 'task.release';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly expectedVersion?: number;
}

/** The applicant's supplement (补正) arrives through the intake window. */
export interface SubmitSupplement {
  readonly type: 'supplement.submit';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly materials: readonly MaterialInput[];
  readonly expectedVersion?: number;
}

/** 催办: a notice to the department holding an open task that it is waited for. */
export interface UrgeTask {
  readonly type: 'task.urge';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly message: string;
}

/** A privileged read of the applicant's personal data: recorded in the audit chain before it happens. */
export interface ReadPersonalData {
  readonly type: 'personal-data.read';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly reason: string;
}

/** Sent by the timer worker; the actor is the system. */
export interface FireTimer {
  readonly type: 'timer.fire';
  readonly timerId: TimerId;
}

/** An administrator re-arms a timer given up after failing on every attempt (an incident). */
export interface RetryIncident {
  readonly type: 'incident.retry';
  readonly actor: Actor;
  readonly incidentId: string;
  /** The incident's timer: the case is found, and locked, through it. */
  readonly timerId: TimerId;
}

/** A command on an existing case. */
export type CaseCommand = ClaimTask | ReleaseTask | CompleteTask | UrgeTask | SubmitSupplement | ReadPersonalData | FireTimer | RetryIncident;

/** How the store finds the case a command is about, in the same query that locks it. */
export type CaseRef = { readonly caseId: CaseId } | { readonly taskId: TaskId } | { readonly timerId: TimerId };

export function caseRefOf(command: CaseCommand): CaseRef {
  switch (command.type) {
    case 'task.claim':
    case 'task.release':
    case 'task.complete':
    case 'task.urge':
      return { taskId: command.taskId };
    case 'supplement.submit':
    case 'personal-data.read':
      return { caseId: command.caseId };
    case 'timer.fire':
    case 'incident.retry':
      return { timerId: command.timerId };
  }
}
