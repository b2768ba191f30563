import type { MigrationRequest } from '../db/definition-migration-queries.js';
import type { MigrationRefusal } from '../db/schema/definition-migrations.js';
import type { Actor } from '../engine/access/actor.js';
import { EngineError, InvalidCommandError, MigrationMappingInvalidError } from '../engine/errors.js';
import { mappingProblems } from '../engine/definitions/state-mapping.js';
import { caseId } from '../engine/ids.js';
import type { CaseMigrationPlan, MigrateCase } from '../engine/operations/migrate-case.js';
import type { ApiDeps } from './api-deps.js';

/**
 * Migrations of running cases (流程版本迁移) as the API runs them: the request checked before anything is read or
 * written, the dry run (every case decided, nothing written), and the batches of the applied migration, in the
 * background of the API process that accepted it. Each case is its own engine command and transaction: a case
 * refused stays as it was, on its version, and the others go on.
 */

/** Cases per batch: the migration's progress is written after each. */
export const MIGRATION_BATCH = 50;
/** Cases a dry run lists one by one; its totals count them all. */
export const DRY_RUN_LISTED = 500;

/** A case's line in a dry run or a refusal: what moving it would do, or why it cannot be moved. */
export type CaseMigrationLine = ({ readonly outcome: 'migrate' } & CaseMigrationPlan) | ({ readonly outcome: 'refused'; readonly caseId: string } & Omit<MigrationRefusal, 'caseId'>);

/**
 * Refuses, before any case is looked at, a request that cannot run: the same version twice (422), a version not
 * published (404 `TB-DEFINITION-404`), a mapping naming states either version does not have (422 `TB-MIGRATION-MAPPING`), chosen cases
 * that are not cases of the definition (422, each named at `caseIds.<i>`).
 */
export async function checkMigrationRequest(deps: ApiDeps, request: MigrationRequest): Promise<void> {
  const { definitionKey: key, fromVersion, toVersion } = request;
  if (fromVersion === toVersion) throw new InvalidCommandError(`A migration moves cases to another version than ${fromVersion}.`, ['toVersion']);
  const [from, to] = await Promise.all([deps.queries.processDefinition(key, fromVersion), deps.queries.processDefinition(key, toVersion)]);
  const problems = mappingProblems(from, to, request.mapping);
  if (problems.length > 0) throw new MigrationMappingInvalidError(key, problems);
  if (!request.caseIds) return;
  const strangers = await deps.queries.casesNotOfDefinition(key, request.caseIds);
  const first = strangers[0];
  if (first !== undefined) {
    throw new InvalidCommandError(`${strangers.length} chosen case(s) are not cases of ${key}: ${strangers.join(', ')}.`, ['caseIds', String(request.caseIds.indexOf(first))]);
  }
}

/** One case's migration command under `request`, by `actor`. */
const commandFor = (request: MigrationRequest, actor: Actor, id: string, migrationId?: string): MigrateCase => ({
  type: 'case.migrate',
  actor,
  caseId: caseId(id),
  definitionKey: request.definitionKey,
  fromVersion: request.fromVersion,
  toVersion: request.toVersion,
  mapping: request.mapping,
  ...(migrationId ? { migrationId } : {}),
});

/**
 * Moves one case, or says why it was not moved: an engine refusal with its code, anything else logged and named
 * `TB-INTERNAL` without its message (as the API's error mapper answers it).
 */
async function migrateOne(deps: ApiDeps, command: MigrateCase, dryRun: boolean): Promise<CaseMigrationLine> {
  try {
    const { plan } = await deps.engine.migrateCase(command, { dryRun });
    return { outcome: 'migrate', ...plan };
  } catch (error) {
    if (error instanceof EngineError) {
      return { outcome: 'refused', caseId: command.caseId, code: error.code, detail: error.message };
    }
    deps.log({ level: 'error', msg: 'case migration failed', caseId: command.caseId, error: String(error) });
    return { outcome: 'refused', caseId: command.caseId, code: 'TB-INTERNAL', detail: 'An unexpected failure, logged on the server.' };
  }
}

/** What a dry run reports: every case decided, the first `DRY_RUN_LISTED` listed, and the totals over all of them. */
export async function dryRunMigration(deps: ApiDeps, request: MigrationRequest, actor: Actor) {
  const ids = await deps.queries.casesToMigrate(request);
  const lines: CaseMigrationLine[] = [];
  for (const id of ids) lines.push(await migrateOne(deps, commandFor(request, actor, id), true));
  const moved = lines.flatMap((l) => (l.outcome === 'migrate' ? [l] : []));
  const count = (pick: (plan: CaseMigrationPlan) => readonly unknown[]) => moved.reduce((n, plan) => n + pick(plan).length, 0);
  return {
    totals: {
      cases: lines.length,
      migrate: moved.length,
      refused: lines.length - moved.length,
      tasksKept: count((p) => p.tasks.kept),
      tasksOpened: count((p) => p.tasks.opened),
      tasksCancelled: count((p) => p.tasks.cancelled),
    },
    cases: lines.slice(0, DRY_RUN_LISTED),
  };
}

/**
 * Runs an accepted migration to its end, `MIGRATION_BATCH` cases at a time, writing its progress after each batch,
 * then marks it finished. Not awaited by the request that started it: a failure to write the progress is logged
 * and leaves the migration `running` (its cases moved so far stay moved; starting it again refuses them as no
 * longer on the source version).
 */
export async function runMigration(deps: ApiDeps, migrationId: string, request: MigrationRequest, caseIds: readonly string[], actor: Actor): Promise<void> {
  try {
    for (let start = 0; start < caseIds.length; start += MIGRATION_BATCH) {
      let migrated = 0;
      const refusals: MigrationRefusal[] = [];
      for (const id of caseIds.slice(start, start + MIGRATION_BATCH)) {
        const line = await migrateOne(deps, commandFor(request, actor, id, migrationId), false);
        if (line.outcome === 'migrate') migrated += 1;
        else refusals.push({ caseId: line.caseId, code: line.code, detail: line.detail });
      }
      await deps.queries.recordMigrationBatch(migrationId, migrated, refusals);
    }
    await deps.queries.finishDefinitionMigration(migrationId, deps.clock.now());
  } catch (error) {
    deps.log({ level: 'error', msg: 'definition migration stopped', migrationId, error: String(error) });
  }
}
