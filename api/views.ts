import type { Actor } from '../engine/access/actor.js';
import type { Applicant } from '../engine/case-record.js';
import { opinionVisibleTo, outcomeFacts, taskOutcomeVisibleTo, type OpinionFacts } from '../engine/access/opinion-visibility.js';
import { visibleTimeline, type TimelineEvent } from '../engine/access/timeline-visibility.js';
import { maskIdNumber, maskPhone } from '../engine/access/personal-data-mask.js';
import type { CaseView } from '../db/case-queries.js';
import type { TaskRow } from '../db/task-queries.js';

/** How the API shows stored rows: ISO instants, and personal data masked for whoever does not need it. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function taskView(t: TaskRow) {
  return {
    id: t.id,
    caseId: t.caseId,
    key: t.key,
    kind: t.kind,
    title: t.title,
    departmentCode: t.departmentCode,
    status: t.status,
    assigneeId: t.assigneeId,
    outcome: t.outcome,
    warningLevel: t.warningLevel,
    openedAt: t.openedAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    completedAt: iso(t.completedAt),
  };
}

/** The intake window and the lead department deal with the applicant; everyone else sees masked data. */
function applicantFor(actor: Actor, view: CaseView): Applicant {
  const applicant = view.case.applicant as Applicant;
  const dealsWithApplicant = actor.departmentCode === view.case.intakeDepartment || actor.departmentCode === view.case.leadDepartment;
  if (dealsWithApplicant) return applicant;
  return { name: applicant.name, idNumber: maskIdNumber(applicant.idNumber), ...(applicant.phone ? { phone: maskPhone(applicant.phone) } : {}) };
}

export function caseView(actor: Actor, view: CaseView) {
  const c = view.case;
  // What this viewer may learn of outcomes is the engine's decision; the view only renders it.
  const facts = outcomeFacts(c, view.tasks, view.opinions as OpinionFacts[]);
  return {
    id: c.id,
    serviceItemCode: c.serviceItemCode,
    definition: { key: c.definitionKey, version: c.definitionVersion },
    status: c.status,
    state: c.stateLabel,
    version: c.version,
    leadDepartment: c.leadDepartment,
    intakeDepartment: c.intakeDepartment,
    applicant: applicantFor(actor, view),
    createdAt: c.createdAt.toISOString(),
    dueAt: c.dueAt.toISOString(),
    completedAt: iso(c.completedAt),
    tasks: view.tasks.map((t) => ({ ...taskView(t), outcome: taskOutcomeVisibleTo(actor, t.id, facts) ? t.outcome : null })),
    opinions: view.opinions.filter((o) => opinionVisibleTo(actor, o as OpinionFacts, facts)).map((o) => ({
      id: o.id,
      taskId: o.taskId,
      departmentCode: o.departmentCode,
      authorId: o.authorId,
      outcome: o.outcome,
      text: o.text,
      visibility: o.visibility,
      createdAt: o.createdAt.toISOString(),
    })),
    materials: view.materials.map((m) => ({ id: m.id, name: m.name, sha256: m.sha256, sizeBytes: m.sizeBytes, submittedAt: m.submittedAt.toISOString() })),
    licences: view.licences.map((l) => ({ id: l.id, number: l.number, licenceType: l.licenceType, title: l.title, issuedAt: l.issuedAt.toISOString() })),
    timeline: visibleTimeline(actor, view.timeline as TimelineEvent[], facts).map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
  };
}
