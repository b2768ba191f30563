import type { Actor } from '../access/actor.js';
import type { AuditEvent } from '../audit/audit-chain.js';
import type { CaseRef } from '../case-command.js';
import type { CaseCommit, NewComment, NewLicence, NewMaterial, NewNotification, NewOpinion, Rescheduled } from '../case-effect.js';
import type { CaseCopy } from '../case-copy.js';
import type { CaseRecord, TaskRecord, TimerRecord, WarningLevel } from '../case-record.js';
import { restoreSnapshot } from '../case-snapshot.js';
import type { CaseFile, Decision, LockedCase, SupplementRequest } from '../case-store.js';
import type { Answer, CaseContext, CaseEvent, TaskOutcome } from '../definitions/case-machine.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import { caseRefOf, decideCommand, type CaseCommand } from '../operations/decide-command.js';
import type { CommandResult } from '../operations/decision.js';
import { completionStep } from '../operations/completion.js';
import { awaitsSupplement, supplementChoices, type SupplementRequestInput } from '../operations/supplement-request.js';
import { planCaseStart } from '../operations/start-case.js';
import type { ServiceItem } from '../service-item.js';
import type { SupervisionNotice } from '../supervision-notice.js';
import type { Substitution } from '../substitution.js';
import { clockStatus, type ClockStatus, type LegalClock } from '../time/legal-clock.js';
import { ManualClock } from '../time/wall-clock.js';
import type { WorkingCalendar } from '../time/working-calendar.js';
import { opinionText } from './case-events.js';
import { applyEffects, type IncidentRow } from './case-rows.js';
import { leadOf, workerFor } from './sandbox-actors.js';

/** What a sandbox case starts from: nothing is read from the catalogue, everything is given. */
export interface SandboxStart {
  readonly definition: CompiledDefinition;
  readonly serviceItem: ServiceItem;
  /** What the engine counts on; a unit test may replace it later to import calendar data. */
  readonly calendar: WorkingCalendar;
  /** The instant the window accepts the application. */
  readonly at: Date;
  /** The application form's answers (what decides an optional member of a joint review). */
  readonly answers: Readonly<Record<string, Answer>>;
  /** The intake clerk who accepts it and passes on the applicant's supplements; the case's intake department is theirs. */
  readonly clerk: Actor;
}

const isLive = (task: TaskRecord) => task.status === 'open' || task.status === 'claimed';

/**
 * One case held in memory, on no database, written the way `db/` writes it: the pure engine decides
 * (`planCaseStart`, `decideCommand`) and this case applies the effects with the commit statement's semantics
 * (`case-rows.ts`) — one open task per key (the unique index), cancellations and `case.close` reach only rows
 * that existed before the commit, a task can be completed once, the snapshot is stored as JSON. A designer's
 * simulation runs a draft on one; the unit tests hold their cases in one (`test/unit/support/case-world.ts`).
 */
export class SandboxCase {
  readonly definition: CompiledDefinition;
  /** What the engine counts on. */
  calendar: WorkingCalendar;
  readonly clock: ManualClock;
  readonly tasks = new Map<string, TaskRecord>();
  readonly timers = new Map<string, TimerRecord>();
  readonly warnings = new Map<string, WarningLevel>();
  readonly licences: NewLicence[] = [];
  readonly notifications: NewNotification[] = [];
  readonly opinions: NewOpinion[] = [];
  readonly materials: NewMaterial[] = [];
  /** Supplement requests (补正告知), oldest first. */
  readonly supplementRequests: SupplementRequest[] = [];
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
  readonly #clerk: Actor;
  readonly #serviceItem: ServiceItem;
  #case: CaseRecord;

  constructor(start: SandboxStart) {
    this.definition = start.definition;
    this.calendar = start.calendar;
    this.#clerk = start.clerk;
    this.#serviceItem = start.serviceItem;
    this.clock = new ManualClock(start.at);
    const creation = planCaseStart(
      {
        type: 'case.start',
        actor: start.clerk,
        serviceItemCode: start.serviceItem.code,
        applicant: { name: '某某有限公司 Applicant Co.', idNumber: '91310000MA1FL0000X' },
        materials: [{ name: '申请表 Application form', sha256: 'a'.repeat(64), sizeBytes: 2048 }],
        answers: start.answers,
      },
      { serviceItem: start.serviceItem, definition: start.definition, calendar: start.calendar, now: this.clock.now() },
    );
    this.#case = { ...creation.case, snapshot: asStoredJson(creation.case.snapshot) };
    applyEffects(this, creation.effects);
    if (this.caseClocks) this.#case = { ...this.#case, clocks: this.caseClocks };
    this.audit.push(creation.audit);
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

  /** The case file as `PgCaseStore` loads it for a reference that asks for it. */
  caseFile(): CaseFile {
    return { materials: this.materials.map((m) => ({ id: m.id, name: m.name, version: m.version, sha256: m.sha256, submittedAt: m.at })), supplementRequests: this.supplementRequests };
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
      ...('caseFile' in ref ? { caseFile: this.caseFile() } : {}),
    };
  }

  /** Decides a command without writing anything. */
  decide(command: CaseCommand): Decision<CommandResult> {
    const locked = this.lock(caseRefOf(command));
    // As `Engine.execute`: the item goes with the case file.
    const item = locked.caseFile ? { serviceItem: this.#serviceItem } : {};
    return decideCommand(locked, command, { definition: this.definition, calendar: this.calendar, now: this.clock.now(), substitutions: this.substitutions, ...item });
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
    applyEffects(this, commit.effects);
    this.#case = { ...this.#case, ...commit.next, ...this.caseDue, ...(this.caseClocks ? { clocks: this.caseClocks } : {}), snapshot: asStoredJson(commit.next.snapshot) };
    this.audit.push(...commit.audits);
    this.lastCommit = commit;
  }

  claim(key: string, by?: Actor): CommandResult {
    const task = this.openTask(key);
    return this.execute({ type: 'task.claim', actor: by ?? workerFor(task), taskId: task.id });
  }

  /**
   * Completes the open task `key`. A return to the applicant names what a window would (补正告知): the request given, or
   * without one the first material a request may name now (`null`: none, to see the return refused).
   */
  complete(key: string, outcome: TaskOutcome, options: { by?: Actor; text?: string; returnTo?: string; supplementRequest?: SupplementRequestInput | null } = {}): CommandResult {
    const task = this.openTask(key);
    const text = options.text ?? opinionText(key, outcome);
    const request = options.supplementRequest === undefined ? this.#supplementRequestFor(task, outcome, text, options.returnTo) : options.supplementRequest;
    return this.execute({
      type: 'task.complete',
      actor: options.by ?? workerFor(task),
      taskId: task.id,
      outcome,
      opinion: { text, visibility: 'internal' },
      ...(options.returnTo ? { returnTo: options.returnTo } : {}),
      ...(request ? { supplementRequest: request } : {}),
    });
  }

  /** The request a window makes with a return that awaits the applicant's supplement: the first material it may name now. */
  #supplementRequestFor(task: TaskRecord, outcome: TaskOutcome, text: string, returnTo: string | undefined): SupplementRequestInput | null {
    if (outcome !== 'return') return null;
    const env = { definition: this.definition, calendar: this.calendar, now: this.clock.now() };
    const { step } = completionStep(this.lock({ taskId: task.id }), task, { outcome, text, returnTo }, env);
    if (!awaitsSupplement(this.definition, step.snapshot)) return null;
    const choice = supplementChoices(this.#serviceItem, this.caseFile()).find((c) => c.askable);
    return choice ? { materials: [{ name: choice.name, reason: text }] } : null;
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

  /** The applicant's supplement (补正) of what the awaited request named, passed on by the intake clerk unless someone else is named. */
  submitSupplement(by: Actor = this.#clerk): CommandResult {
    const awaited = this.supplementRequests.filter((r) => r.answeredAt === null).flatMap((r) => r.materials.map((m) => m.name));
    return this.execute({
      type: 'supplement.submit',
      actor: by,
      caseId: this.#case.id,
      materials: (awaited.length > 0 ? awaited : ['补正材料 Supplement']).map((name) => ({ name, sha256: 'b'.repeat(64), sizeBytes: 1024 })),
    });
  }

  /** Moves the clock to the timer's due instant (unless later already) and fires it, as the timer worker does. */
  fire(timer: TimerRecord): CommandResult {
    if (this.clock.now() < timer.dueAt) this.clock.set(timer.dueAt);
    return this.execute({ type: 'timer.fire', timerId: timer.id });
  }

  /** The pending timer that would send this event of the model into the case: a period's end, a task's or a clock's deadline. */
  timerFor(event: Extract<CaseEvent, { type: 'period.ended' | 'deadline.elapsed' | 'clock.expired' }>): TimerRecord {
    switch (event.type) {
      case 'period.ended':
        return this.#pendingTimer((t) => t.kind === 'period' && t.event['period'] === event.period, `period ${event.period}`);
      case 'deadline.elapsed': {
        const task = this.openTask(event.task);
        return this.#pendingTimer((t) => t.kind === 'task.deadline' && t.taskId === task.id, `deadline of ${event.task}`);
      }
      case 'clock.expired':
        return this.#pendingTimer((t) => t.kind === 'clock.deadline' && t.event['clock'] === event.clock, `clock ${event.clock}`);
    }
  }

  /** Does in the engine what the event says happened, the way a user or a worker would make it happen. */
  send(event: CaseEvent): CommandResult {
    switch (event.type) {
      case 'task.approved':
      case 'task.rejected': {
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
      case 'deadline.elapsed':
      case 'clock.expired':
        return this.fire(this.timerFor(event));
    }
  }

  #pendingTimer(match: (t: TimerRecord) => boolean, what: string): TimerRecord {
    const timer = this.pendingTimers().find(match);
    if (!timer) throw new Error(`No pending timer for ${what}`);
    return timer;
  }
}

/** The snapshot as PostgreSQL's jsonb column gives it back. */
function asStoredJson(snapshot: unknown): unknown {
  return JSON.parse(JSON.stringify(snapshot));
}
