import type { Actor } from '../../../engine/access/actor.js';
import type { AuditEvent } from '../../../engine/audit/audit-chain.js';
import type { CaseRef } from '../../../engine/case-command.js';
import { caseRefOf, decideCommand, type CaseCommand } from '../../../engine/operations/decide-command.js';
import type { CommandResult } from '../../../engine/operations/decision.js';
import type { CaseCommit, CaseEffect, NewComment, NewLicence, NewMaterial, NewNotification, NewOpinion, Rescheduled } from '../../../engine/case-effect.js';
import type { Answer, CaseContext, CaseEvent, TaskOutcome } from '../../../engine/definitions/case-machine.js';
import type { CaseRecord, TaskRecord, TimerRecord, WarningLevel } from '../../../engine/case-record.js';
import { restoreSnapshot } from '../../../engine/case-snapshot.js';
import { planCaseStart } from '../../../engine/operations/start-case.js';
import type { Decision, LockedCase } from '../../../engine/case-store.js';
import { ManualClock } from '../../../engine/time/wall-clock.js';
import { compileDefinition, type CompiledDefinition, type ProcessDefinition } from '../../../engine/definitions/process-definition.js';
import type { ServiceItem } from '../../../engine/service-item.js';
import type { WorkingCalendar } from '../../../engine/time/working-calendar.js';
import { EVERY_MEMBER_NEEDED } from '../../../workflows/construction-permit.js';
import { shippedServiceItems } from '../../../workflows/index.js';
import { leadOf, WINDOW_CLERK, workerFor } from './actors.js';
import { MONDAY_MORNING, chinaWorkingCalendar } from './calendar.js';
import { applyEffects, type IncidentRow } from './case-rows.js';
import { clockStatus, type ClockStatus, type LegalClock } from '../../../engine/time/legal-clock.js';
import type { SupervisionNotice } from '../../../engine/supervision-notice.js';
import type { Substitution } from '../../../engine/substitution.js';
import type { CaseCopy } from '../../../engine/case-copy.js';

/**
 * What a test case's application answers unless the test says otherwise: every optional member of a joint
 * review is needed (the construction permit's five departments all review), as in the demo data. A model run
 * starts its machine from the same input, so the two contexts compare equal.
 */
export const TEST_ANSWERS: Readonly<Record<string, Answer>> = EVERY_MEMBER_NEEDED;

const compiled = new Map<ProcessDefinition, CompiledDefinition>();

/** Compiles a definition once per test file. */
export function compiledDefinition(definition: ProcessDefinition): CompiledDefinition {
  let c = compiled.get(definition);
  if (!c) compiled.set(definition, (c = compileDefinition(definition)));
  return c;
}

export function serviceItemOf(definition: ProcessDefinition): ServiceItem {
  const item = shippedServiceItems.find((i) => i.definitionKey === definition.key);
  if (!item) throw new TypeError(`No shipped service item runs ${definition.key}`);
  return item;
}

const isLive = (task: TaskRecord) => task.status === 'open' || task.status === 'claimed';

/** The text of an opinion: approvals say so, rejections and returns give their reasons. */
export const opinionText = (task: string, outcome: TaskOutcome): string =>
  outcome === 'approve' ? `${task}: 同意 approved` : `${task}: ${outcome} — reasons given by the department`;

/**
 * One case held in memory, written the way `db/` writes it: the pure engine decides (`planCaseStart`,
 * `decideCommand`) and this world applies the effects with the commit statement's semantics — one open task
 * per key (the unique index), cancellations and `case.close` reach only rows that existed before the commit,
 * a task can be completed once, the snapshot is stored as JSON. No database, no Redis.
 */
export class CaseWorld {
  readonly clock: ManualClock;
  readonly tasks = new Map<string, TaskRecord>();
  readonly timers = new Map<string, TimerRecord>();
  readonly warnings = new Map<string, WarningLevel>();
  readonly licences: NewLicence[] = [];
  readonly notifications: NewNotification[] = [];
  readonly opinions: NewOpinion[] = [];
  readonly materials: NewMaterial[] = [];
  /** Incidents of timers given up (`giveUpTimer`), which `applyEffects` resolves. */
  readonly incidents = new Map<string, IncidentRow>();
  /** Supervision notices (督办) by id. */
  readonly notices = new Map<string, SupervisionNotice>();
  /** Copies (抄送) by id. */
  readonly copies = new Map<string, CaseCopy>();
  /** Comments (批注). */
  readonly comments: NewComment[] = [];
  readonly audit: AuditEvent[] = [];
  /** Set by `case.reschedule` (`case-rows.ts`); `apply` carries it onto the case row. */
  caseDue: Rescheduled | null = null;
  /** Set by `case.clocks` (`case-rows.ts`); `apply` carries it onto the case row. */
  caseClocks: readonly LegalClock[] | null = null;
  /** Set by `case.warn` (`case-rows.ts`): the case row's colour. */
  caseColour: WarningLevel = 'green';
  /** The last commit applied, to look at the effects of the last command. */
  lastCommit: CaseCommit | null = null;
  /** The substitution windows (代理) the store would find for named signers: every decision is given them, as `Engine` gives its second one. */
  substitutions: Substitution[] = [];
  #case: CaseRecord;

  private constructor(
    readonly definition: CompiledDefinition,
    /** What the engine counts on; a test replaces it to import calendar data. */
    public calendar: WorkingCalendar,
    start: Date,
    serviceItem: ServiceItem,
    answers: Readonly<Record<string, Answer>>,
  ) {
    this.clock = new ManualClock(start);
    const creation = planCaseStart(
      {
        type: 'case.start',
        actor: WINDOW_CLERK,
        serviceItemCode: serviceItem.code,
        applicant: { name: '某某有限公司 Applicant Co.', idNumber: '91310000MA1FL0000X' },
        materials: [{ name: '申请表 Application form', sha256: 'a'.repeat(64), sizeBytes: 2048 }],
        answers,
      },
      { serviceItem, definition, calendar, now: this.clock.now() },
    );
    this.#case = { ...creation.case, snapshot: asStoredJson(creation.case.snapshot) };
    this.#applyEffects(creation.effects);
    if (this.caseClocks) this.#case = { ...this.#case, clocks: this.caseClocks };
    this.audit.push(creation.audit);
  }

  /**
   * Starts a case at the window, on the China calendar, on a Monday morning; of a shipped definition, or of
   * another one under the service item given. The application answers `TEST_ANSWERS` unless told otherwise.
   */
  static start(
    definition: ProcessDefinition,
    options: { now?: Date; calendar?: WorkingCalendar; serviceItem?: ServiceItem; answers?: Readonly<Record<string, Answer>> } = {},
  ): CaseWorld {
    const item = options.serviceItem ?? serviceItemOf(definition);
    return new CaseWorld(compiledDefinition(definition), options.calendar ?? chinaWorkingCalendar, options.now ?? MONDAY_MORNING, item, options.answers ?? TEST_ANSWERS);
  }

  get case(): CaseRecord {
    return this.#case;
  }

  /** The machine's context as the stored snapshot restores it. */
  get context(): CaseContext {
    return restoreSnapshot(this.definition, this.#case.snapshot).context;
  }

  openTasks(): TaskRecord[] {
    return [...this.tasks.values()].filter(isLive);
  }

  /** The one open task with this key; throws when there is none. */
  openTask(key: string): TaskRecord {
    const task = this.openTasks().find((t) => t.key === key);
    if (!task) throw new Error(`No open task ${key}; open: ${this.openTasks().map((t) => t.key).join(', ') || 'none'}`);
    return task;
  }

  /** A clock of the case (`legal`, `committed`, `task:<key>` …) read now; null when the case has none by that id. */
  readClock(id: string): ClockStatus | null {
    const clock = this.#case.clocks.find((c) => c.id === id);
    return clock ? clockStatus(clock, this.calendar, this.clock.now()) : null;
  }

  /** Everything written for the case so far, to tell that a refused command wrote nothing. */
  written(): unknown {
    return structuredClone({
      case: this.#case,
      tasks: [...this.tasks.values()],
      timers: [...this.timers.values()],
      opinions: this.opinions,
      notifications: this.notifications,
      licences: this.licences,
      copies: [...this.copies.values()],
      comments: this.comments,
      audit: this.audit,
    });
  }

  pendingTimers(): TimerRecord[] {
    return [...this.timers.values()].filter((t) => t.status === 'pending');
  }

  /** What the store would hand `decide` for this reference, as `PgCaseStore` loads it. */
  lock(ref: CaseRef): LockedCase {
    const named = 'timerId' in ref ? this.timers.get(ref.timerId) : undefined;
    return {
      case: this.#case,
      openTasks: this.openTasks(),
      task: 'taskId' in ref ? (this.tasks.get(ref.taskId) ?? null) : null,
      timer: named ?? null,
      timersDueWith: named ? this.pendingTimers().filter((t) => t.id !== named.id && t.dueAt <= named.dueAt) : [],
      pendingTimers: 'pendingTimers' in ref ? this.pendingTimers() : [],
      ...('noticeId' in ref ? { notice: this.notices.get(ref.noticeId) ?? null } : {}),
      ...('copyId' in ref ? { copy: this.copies.get(ref.copyId) ?? null } : {}),
      ...('unreadCopies' in ref ? { unreadCopies: [...this.copies.values()].filter((c) => c.readAt === null) } : {}),
    };
  }

  /** Decides a command without writing anything. */
  decide(command: CaseCommand): Decision<CommandResult> {
    return decideCommand(this.lock(caseRefOf(command)), command, { definition: this.definition, calendar: this.calendar, now: this.clock.now(), substitutions: this.substitutions });
  }

  /** Decides a command and writes its commit, as `Engine.execute` does. */
  execute(command: CaseCommand): CommandResult {
    const decision = this.decide(command);
    if (decision.commit) this.apply(decision.commit);
    return decision.result;
  }

  apply(commit: CaseCommit): void {
    if (commit.caseId !== this.#case.id) throw new Error('commit for another case');
    if (commit.expectedVersion !== this.#case.version) throw new Error(`stale commit: v${commit.expectedVersion}, case at v${this.#case.version}`);
    this.#applyEffects(commit.effects);
    this.#case = { ...this.#case, ...commit.next, ...this.caseDue, ...(this.caseClocks ? { clocks: this.caseClocks } : {}), snapshot: asStoredJson(commit.next.snapshot) };
    this.audit.push(...commit.audits);
    this.lastCommit = commit;
  }

  claim(key: string, by?: Actor): CommandResult {
    const task = this.openTask(key);
    return this.execute({ type: 'task.claim', actor: by ?? workerFor(task), taskId: task.id });
  }

  complete(key: string, outcome: TaskOutcome, options: { by?: Actor; text?: string; returnTo?: string } = {}): CommandResult {
    const task = this.openTask(key);
    return this.execute({
      type: 'task.complete',
      actor: options.by ?? workerFor(task),
      taskId: task.id,
      outcome,
      opinion: { text: options.text ?? opinionText(key, outcome), visibility: 'internal' },
      ...(options.returnTo ? { returnTo: options.returnTo } : {}),
    });
  }

  /** The last completed task with this key (the one a withdrawal takes back); throws when there is none. */
  completedTask(key: string): TaskRecord {
    const task = [...this.tasks.values()].filter((t) => t.key === key && t.status === 'completed').at(-1);
    if (!task) throw new Error(`No completed task ${key}`);
    return task;
  }

  /** Who completed the task takes the completion back (撤回). */
  withdraw(key: string, by?: Actor): CommandResult {
    const task = this.completedTask(key);
    return this.execute({ type: 'task.withdraw', actor: by ?? workerFor(task), taskId: task.id, reason: `${key}: 撤回 withdrawn to correct the opinion` });
  }

  submitSupplement(by: Actor = WINDOW_CLERK): CommandResult {
    return this.execute({
      type: 'supplement.submit',
      actor: by,
      caseId: this.#case.id,
      materials: [{ name: '补正材料 Supplement', sha256: 'b'.repeat(64), sizeBytes: 1024 }],
    });
  }

  /** Moves the clock to the timer's due instant (unless later already) and fires it, as the timer worker does. */
  fire(timer: TimerRecord): CommandResult {
    if (this.clock.now() < timer.dueAt) this.clock.set(timer.dueAt);
    return this.execute({ type: 'timer.fire', timerId: timer.id });
  }

  /** Does in the engine what the event says happened, the way a user or a worker would make it happen. */
  send(event: CaseEvent): CommandResult {
    switch (event.type) {
      case 'task.approved':
      case 'task.rejected':
      {
        const outcome = event.type === 'task.approved' ? 'approve' : 'reject';
        return this.complete(event.task, outcome, { text: event.reason ?? opinionText(event.task, outcome) });
      }
      case 'task.returned':
        return this.complete(event.task, 'return', { text: event.reason ?? opinionText(event.task, 'return'), ...(event.to ? { returnTo: event.to } : {}) });
      case 'task.withdrawn':
        return this.withdraw(event.task);
      case 'members.changed': {
        const { review, department, joins, reason } = event;
        return this.execute({ type: 'review.members.change', actor: leadOf(this.case.leadDepartment), caseId: this.case.id, review, department, joins, reason });
      }
      case 'review.closed':
        return this.execute({ type: 'review.close', actor: leadOf(this.case.leadDepartment), caseId: this.case.id, review: event.review, reason: '已有部门不予同意 a member refused' });
      case 'signers.changed':
        // 加签 / 减签 are made by a person on a task or a step, not replayed from the model's paths: see the operations' tests.
        throw new Error('signers.changed is not a move the workflow model offers');
      case 'supplement.submitted':
        return this.submitSupplement();
      case 'period.ended':
        return this.fire(this.#pendingTimer((t) => t.kind === 'period' && t.event['period'] === event.period, `period ${event.period}`));
      case 'deadline.elapsed': {
        const task = this.openTask(event.task);
        return this.fire(this.#pendingTimer((t) => t.kind === 'task.deadline' && t.taskId === task.id, `deadline of ${event.task}`));
      }
      case 'clock.expired':
        return this.fire(this.#pendingTimer((t) => t.kind === 'clock.deadline' && t.event['clock'] === event.clock, `clock ${event.clock}`));
    }
  }

  #pendingTimer(match: (t: TimerRecord) => boolean, what: string): TimerRecord {
    const timer = this.pendingTimers().find(match);
    if (!timer) throw new Error(`No pending timer for ${what}`);
    return timer;
  }

  /** Writes the effects as the commit statement does (`case-rows.ts`, held to it by the effect contract test). */
  #applyEffects(effects: readonly CaseEffect[]): void {
    applyEffects(this, effects);
  }
}

/** The snapshot as PostgreSQL's jsonb column gives it back. */
function asStoredJson(snapshot: unknown): unknown {
  return JSON.parse(JSON.stringify(snapshot));
}
