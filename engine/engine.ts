import type { CaseRef } from './case-command.js';
import { caseRefOf, decideCommand, type CaseCommand } from './operations/decide-command.js';
import type { CommandResult } from './operations/decision.js';
import { planCaseStart, type StartCase } from './operations/start-case.js';
import { decideMigration, type CaseMigrationResult, type MigrateCase } from './operations/migrate-case.js';
import type { Catalog, CaseReads, CaseStore } from './case-store.js';
import { signersOpened, type Substitution } from './substitution.js';
import type { WallClock } from './time/wall-clock.js';
import type { Licensing } from './licences/electronic-licence.js';
import type { LicenceSigner } from './licences/licence-signer.js';
import type { AuditEvent } from './audit/audit-chain.js';
import type { CaseEffect, IdempotentAnswer } from './case-effect.js';
import { CaseNotFoundError, CopyNotFoundError, NoticeNotFoundError, TaskNotFoundError, TimerNotFoundError, type EngineError } from './errors.js';

/** How the caller wants the command's answer kept: for a request with an idempotency key. */
export interface CommandOptions {
  readonly idempotency?: Omit<IdempotentAnswer, 'response'> & {
    /**
     * What to keep for a replay: the command's result (the default), or only a reference to the audit event
     * the command appended, `{ auditEvent: { caseId, seq } }`, when the request answers more than the result
     * and that must not be kept (a personal-data read answers the applicant; its replay reads again).
     */
    readonly keep?: 'result' | 'audit-event';
  };
}

export interface EngineDeps {
  readonly store: CaseStore;
  readonly catalog: Catalog;
  readonly clock: WallClock;
  /** Signs the licences cases issue (电子证照): the deployment's key, never read by the engine itself. */
  readonly licenceSigner: LicenceSigner;
  /** Told of every command that committed or changed nothing (the processes log it: `command`); refusals are not. */
  readonly onCommand?: (record: CommandRecord) => void;
}

/** One command as the engine ran it: what the process's command line says: ids, never personal data. */
export interface CommandRecord {
  /** The command's type, e.g. `task.complete`, `timer.fire`, `case.start`. */
  readonly operation: string;
  readonly caseId: string;
  /** The task it acted on, for a command on a task. */
  readonly taskId?: string;
  /** The case's version after it. */
  readonly version: number;
  readonly changed: boolean;
  /** From the call to the commit (a duration, on the monotonic clock: not domain time). */
  readonly ms: number;
}

/**
 * The one entry point for changing cases. Each call is one PostgreSQL transaction in the store:
 * lock the case row, decide purely (XState `transition()` + effect planning), write everything, commit.
 * No state is kept here between calls, so any number of API and worker processes can run it.
 *
 * @example
 * const engine = new Engine({ store, catalog, clock, licenceSigner: ed25519Signer(privateKeyPem) });
 * const started = await engine.startCase({ type: 'case.start', actor, serviceItemCode: 'construction-permit', applicant, materials });
 * await engine.execute({ type: 'task.complete', actor, taskId, outcome: 'approve', opinion: { text: 'OK', visibility: 'internal' } });
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  /** Legal time now, on the engine's clock: what a clock or a deadline is read at. */
  now(): Date {
    return this.deps.clock.now();
  }

  startCase(command: StartCase, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#recorded(command, () => this.#startCase(command, options));
  }

  execute(command: CaseCommand, options: CommandOptions = {}): Promise<CommandResult> {
    return this.#recorded(command, () => this.#execute(command, options));
  }

  async #startCase(command: StartCase, options: CommandOptions): Promise<CommandResult> {
    const serviceItem = await this.deps.catalog.serviceItem(command.serviceItemCode);
    const definition = await this.deps.catalog.definition(serviceItem.definitionKey, serviceItem.definitionVersion);
    const calendar = await this.deps.catalog.calendar(serviceItem.calendarCode);
    const env = { serviceItem, definition, calendar, now: this.deps.clock.now(), licensing: await this.#licensing() };
    const creation = await withSubstitutes(this.deps.store, env.now, (substitutions) => planCaseStart(command, { ...env, substitutions }), (d) => d.effects);
    const c = creation.case;
    const result: CommandResult = { caseId: c.id, version: c.version, status: c.status, state: c.stateLabel, changed: true };
    await this.deps.store.create(withAnswer(creation, options, result, creation.audit));
    return result;
  }

  #execute(command: CaseCommand, options: CommandOptions): Promise<CommandResult> {
    const ref = caseRefOf(command);
    return this.deps.store.update(ref, async (locked, reads) => {
      if (!locked) throw notFound(ref);
      const definition = await this.deps.catalog.definition(locked.case.definitionKey, locked.case.definitionVersion);
      const calendar = await this.deps.catalog.calendar(locked.case.calendarCode);
      // The item's materials go with the case file (a supplement request names them): read only when it was asked for.
      const item = locked.caseFile ? { serviceItem: await this.deps.catalog.serviceItem(locked.case.serviceItemCode, locked.case.serviceItemVersion) } : {};
      const env = { definition, calendar, now: this.deps.clock.now(), licensing: await this.#licensing(), ...item };
      const decision = await withSubstitutes(reads, env.now, (substitutions) => decideCommand(locked, command, { ...env, substitutions }), (d) => d.commit?.effects ?? []);
      return { ...decision, commit: decision.commit && withAnswer(decision.commit, options, decision.result, decision.commit.audits.at(-1)) };
    });
  }

  /**
   * Moves one case onto another version of its definition (流程版本迁移, `decideMigration`), in one transaction as
   * `execute` does; with `dryRun`, decides the same under the same lock and writes nothing, answering what the move
   * would do. Outside `CASE_OPERATIONS` because it decides with two definitions: the case's own and the target.
   */
  migrateCase(command: MigrateCase, { dryRun = false }: { readonly dryRun?: boolean } = {}): Promise<CaseMigrationResult> {
    return this.deps.store.update({ caseId: command.caseId, pendingTimers: true }, async (locked, reads) => {
      if (!locked) throw new CaseNotFoundError(command.caseId);
      const [definition, target, calendar] = await Promise.all([
        this.deps.catalog.definition(command.definitionKey, command.fromVersion),
        this.deps.catalog.definition(command.definitionKey, command.toVersion),
        this.deps.catalog.calendar(locked.case.calendarCode),
      ]);
      const env = { definition, target, calendar, now: this.deps.clock.now(), licensing: await this.#licensing() };
      const decision = await withSubstitutes(reads, env.now, (substitutions) => decideMigration(locked, command, { ...env, substitutions }), (d) => d.commit?.effects ?? []);
      return dryRun ? { commit: null, result: decision.result } : decision;
    });
  }

  /** Times the command and tells `onCommand` once it committed; a refusal throws past it (the request's line has its status). */
  async #recorded(command: StartCase | CaseCommand, run: () => Promise<CommandResult>): Promise<CommandResult> {
    const { onCommand } = this.deps;
    if (!onCommand) return run();
    const started = performance.now();
    const result = await run();
    const task = 'taskId' in command ? { taskId: String(command.taskId) } : {};
    onCommand({ operation: command.type, caseId: result.caseId, ...task, version: result.version, changed: result.changed, ms: Math.round(performance.now() - started) });
    return result;
  }

  /** What a licence the command may issue is signed with; the types are cached by the catalogue. */
  async #licensing(): Promise<Licensing> {
    return { signer: this.deps.licenceSigner, types: await this.deps.catalog.licenceTypes() };
  }
}

/**
 * Decides once; when that opens tasks for named signers, asks for those people's substitution windows (代理) holding
 * now — one query, on that path only — and, if any holds, decides again with them, so that each such task opens for
 * the substitute. Deciding is pure, so deciding twice is safe; the second decision is the one written.
 */
async function withSubstitutes<D>(reads: CaseReads, now: Date, decide: (substitutions: readonly Substitution[]) => D, effectsOf: (decision: D) => readonly CaseEffect[]): Promise<D> {
  const first = decide([]);
  const signers = signersOpened(effectsOf(first));
  if (signers.length === 0) return first;
  const substitutions = await reads.substitutionsAt(signers, now);
  return substitutions.length === 0 ? first : decide(substitutions);
}

function withAnswer<T extends { answer?: IdempotentAnswer }>(write: T, options: CommandOptions, result: CommandResult, audit: AuditEvent | undefined): T {
  if (!options.idempotency) return write;
  const { keep = 'result', ...answer } = options.idempotency;
  const response = keep === 'result' || !audit ? result : { auditEvent: { caseId: audit.caseId, seq: audit.seq } };
  return { ...write, answer: { ...answer, response } };
}

function notFound(ref: CaseRef): EngineError {
  if ('taskId' in ref) return new TaskNotFoundError(ref.taskId);
  if ('timerId' in ref) return new TimerNotFoundError(ref.timerId);
  if ('noticeId' in ref) return new NoticeNotFoundError(ref.noticeId);
  if ('copyId' in ref) return new CopyNotFoundError(ref.copyId);
  return new CaseNotFoundError(ref.caseId);
}
