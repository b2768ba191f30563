import type { OpinionVisibility } from '../case-command.js';
import { isOpenCase, type CaseStatus, type TaskStatus } from '../case-record.js';
import type { TaskOutcome } from '../definitions/case-machine.js';

/** A department as the applicant reads it: its code and name. */
export interface NamedDepartment {
  readonly code: string;
  readonly name: string;
}

/** The stored facts of a case that its progress is told from. */
export interface ProgressFacts {
  readonly status: CaseStatus;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
  readonly tasks: readonly {
    readonly title: string;
    readonly department: NamedDepartment;
    readonly status: TaskStatus;
    readonly openedAt: Date;
    readonly dueAt: Date;
    readonly completedAt: Date | null;
  }[];
  readonly opinions: readonly {
    readonly department: NamedDepartment;
    readonly outcome: TaskOutcome;
    readonly text: string;
    readonly visibility: OpinionVisibility;
    readonly createdAt: Date;
  }[];
  /** 补正告知: what the applicant was asked to bring, oldest first; `answeredAt` null while awaited. */
  readonly supplementRequests: readonly {
    readonly materials: readonly { readonly name: string; readonly reason: string }[];
    readonly requestedAt: Date;
    readonly answeredAt: Date | null;
  }[];
}

/** Who the case waits for now: departments reviewing, the applicant's supplement, or nobody (it ended). */
export type Awaited =
  | { readonly party: 'departments'; readonly departments: readonly NamedDepartment[] }
  | { readonly party: 'applicant'; readonly materials: readonly { readonly name: string; readonly reason: string }[]; readonly requestedAt: Date }
  | { readonly party: 'nobody' };

/** What happened, as the applicant is told: accepted, a step done (never its outcome: a public opinion tells that), a supplement asked and brought, ended. */
export type Milestone =
  | { readonly kind: 'accepted'; readonly at: Date }
  | { readonly kind: 'step-done'; readonly at: Date; readonly title: string; readonly department: NamedDepartment }
  | { readonly kind: 'supplement-requested' | 'supplement-received'; readonly at: Date }
  | { readonly kind: 'ended'; readonly at: Date; readonly status: CaseStatus };

/** A case's progress as its applicant may read it (进度查询). */
export interface ApplicantProgress {
  readonly currentSteps: readonly { readonly title: string; readonly department: NamedDepartment; readonly since: Date; readonly dueAt: Date }[];
  readonly awaited: Awaited;
  /** Public opinions only (`visibility: 'public'`), each with its outcome, oldest first. */
  readonly opinions: readonly { readonly department: NamedDepartment; readonly outcome: TaskOutcome; readonly text: string; readonly at: Date }[];
  readonly milestones: readonly Milestone[];
}

const OPEN_TASK: readonly TaskStatus[] = ['open', 'claimed'];

/**
 * What the applicant learns of their case: the steps open now and where they are, who the case waits for, the
 * opinions the departments made public, each with the outcome it gives (an internal opinion never: `OpinionVisibility`),
 * and the milestones. A step's outcome is told with its public opinion only: an opinion states a decision and its
 * reasons, so the department that made it public made the outcome public too, as the other departments read it
 * (`taskOutcomeVisibleTo`). A step done is otherwise told without its outcome (an internal opinion's stays internal
 * until the joint decision, which the case's status tells); nor is who in a department holds a step. A supplement
 * request still unanswered means the case waits for the applicant.
 */
export function applicantProgress(facts: ProgressFacts): ApplicantProgress {
  const open = isOpenCase(facts.status) ? facts.tasks.filter((t) => OPEN_TASK.includes(t.status)) : [];
  const pending = facts.supplementRequests.filter((r) => r.answeredAt === null).at(-1);
  return {
    currentSteps: open.map((t) => ({ title: t.title, department: t.department, since: t.openedAt, dueAt: t.dueAt })),
    awaited: awaitedOf(facts, open, pending),
    opinions: facts.opinions.filter((o) => o.visibility === 'public').map((o) => ({ department: o.department, outcome: o.outcome, text: o.text, at: o.createdAt })),
    milestones: milestonesOf(facts),
  };
}

function awaitedOf(facts: ProgressFacts, open: ProgressFacts['tasks'], pending: ProgressFacts['supplementRequests'][number] | undefined): Awaited {
  if (!isOpenCase(facts.status)) return { party: 'nobody' };
  if (pending) return { party: 'applicant', materials: pending.materials, requestedAt: pending.requestedAt };
  const departments = new Map(open.map((t) => [t.department.code, t.department]));
  return { party: 'departments', departments: [...departments.values()] };
}

function milestonesOf(facts: ProgressFacts): Milestone[] {
  const milestones: Milestone[] = [
    { kind: 'accepted', at: facts.createdAt },
    ...facts.tasks.flatMap((t): Milestone[] => (t.status === 'completed' && t.completedAt ? [{ kind: 'step-done', at: t.completedAt, title: t.title, department: t.department }] : [])),
    ...facts.supplementRequests.flatMap((r): Milestone[] => [
      { kind: 'supplement-requested', at: r.requestedAt },
      ...(r.answeredAt ? [{ kind: 'supplement-received', at: r.answeredAt } as const] : []),
    ]),
    ...(facts.completedAt && !isOpenCase(facts.status) ? [{ kind: 'ended', at: facts.completedAt, status: facts.status } as const] : []),
  ];
  return milestones.sort((a, b) => a.at.getTime() - b.at.getTime());
}
