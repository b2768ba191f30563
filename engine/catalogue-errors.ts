import { EngineError } from './engine-error.js';

/** The catalogue's refusals: service items, definitions and their drafts, publication, lint, migration of running cases. */

export class ServiceItemNotFoundError extends EngineError {
  readonly code = 'TB-SERVICE-ITEM-404';
  readonly status = 404;
  constructor(readonly serviceItemCode: string) {
    super(`Service item ${serviceItemCode} does not exist.`);
  }
}

export class DefinitionNotFoundError extends EngineError {
  readonly code = 'TB-DEFINITION-404';
  readonly status = 404;
  constructor(readonly key: string, readonly version?: number) {
    super(`Process definition ${key}${version === undefined ? '' : ` v${version}`} is not published.`);
  }
}

/** A published definition version is immutable: publishing different content under it is refused. */
export class DefinitionImmutableError extends EngineError {
  readonly code = 'TB-DEFINITION-IMMUTABLE';
  readonly status = 409;
  constructor(readonly key: string, readonly version: number) {
    super(`Process definition ${key} v${version} is already published with different content; publish a new version.`);
  }
}

/**
 * A definition that cannot run as written: not plain JSON, or naming an action, guard, param, event or
 * state the engine does not have. Refused at publish, so no case ever reaches the fault.
 */
export class DefinitionInvalidError extends EngineError {
  readonly code = 'TB-DEFINITION-INVALID';
  readonly status = 422;
  constructor(
    readonly key: string,
    readonly version: number,
    readonly problems: readonly { readonly path: string; readonly problem: string }[],
  ) {
    super(`Process definition ${key} v${version} is invalid: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}.`);
  }
}

/** What a designer's publication is refused for, each with where it is (the lint's findings, an item's problems). */
export interface DesignProblem {
  readonly path: string;
  readonly problem: string;
}

/** A definition whose lint found errors (`lintDefinition`): it is not published; the draft stays as it was. */
export class DefinitionLintError extends EngineError {
  readonly code = 'TB-DEFINITION-LINT';
  readonly status = 422;
  constructor(
    readonly key: string,
    readonly version: number,
    readonly problems: readonly DesignProblem[],
  ) {
    super(`Process definition ${key} v${version} has ${problems.length} lint error(s) and is not published: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`);
  }
}

/** A service item version whose content breaks the catalogue's rules (limits, departments, calendar, definition). */
export class ServiceItemInvalidError extends EngineError {
  readonly code = 'TB-SERVICE-ITEM-INVALID';
  readonly status = 422;
  constructor(
    readonly serviceItemCode: string,
    readonly version: number,
    readonly problems: readonly DesignProblem[],
  ) {
    super(`Service item ${serviceItemCode} v${version} is invalid: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}.`);
  }
}

/**
 * A draft for a version that cannot take one: already published (a published version never changes), or not after
 * the latest published version (versions only go forward).
 */
export class CatalogVersionError extends EngineError {
  readonly code = 'TB-CATALOG-VERSION';
  readonly status = 409;
  constructor(
    readonly what: string,
    readonly version: number,
    reason: string,
  ) {
    super(`${what} v${version}: ${reason}.`);
  }
}

/** No draft of this version (never saved, or published since). */
export class DraftNotFoundError extends EngineError {
  readonly code = 'TB-DRAFT-404';
  readonly status = 404;
  constructor(
    readonly what: string,
    readonly version: number,
  ) {
    super(`${what} has no draft v${version}.`);
  }
}

/** A case shown on the diagram of a definition version it does not run on: its states are not that version's. */
export class CaseNotOnDefinitionError extends EngineError {
  readonly code = 'TB-CASE-NOT-ON-DEFINITION';
  readonly status = 422;
  constructor(
    readonly caseId: string,
    readonly key: string,
    readonly version: number,
    readonly caseKey: string,
    readonly caseVersion: number,
  ) {
    super(`Case ${caseId} runs on ${caseKey} v${caseVersion}, not ${key} v${version}.`);
  }
}

/**
 * A migration's state mapping (流程版本迁移) that cannot be applied to any case: a source state the from-version does
 * not have, a target the to-version does not have, or a target that would end the case (a final state). Refused
 * before any case is looked at; `problems` names each entry (`mapping.<source state id>`).
 */
export class MigrationMappingInvalidError extends EngineError {
  readonly code = 'TB-MIGRATION-MAPPING';
  readonly status = 422;
  constructor(
    readonly key: string,
    readonly problems: readonly DesignProblem[],
  ) {
    super(`The state mapping of ${key} cannot be applied: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}.`);
  }
}

/** A case the migration cannot move: one of its active states (and every ancestor of it) is not mapped. Nothing changed. */
export class MigrationUnmappedStateError extends EngineError {
  readonly code = 'TB-MIGRATION-UNMAPPED';
  readonly status = 409;
  constructor(
    readonly caseId: string,
    readonly stateId: string,
  ) {
    super(`Case ${caseId} is in state ${stateId}, which the mapping does not map (nor any state containing it).`);
  }
}

/** A case whose mapped states cannot be active together in the target version (two states of one region). Nothing changed. */
export class MigrationTargetsConflictError extends EngineError {
  readonly code = 'TB-MIGRATION-TARGETS';
  readonly status = 409;
  constructor(
    readonly caseId: string,
    readonly targets: readonly string[],
  ) {
    super(`Case ${caseId} would be in ${targets.join(' and ')} at once, which are not parallel states of the target version.`);
  }
}

export class MigrationNotFoundError extends EngineError {
  readonly code = 'TB-MIGRATION-404';
  readonly status = 404;
  constructor(readonly migrationId: string) {
    super(`Migration ${migrationId} does not exist.`);
  }
}
