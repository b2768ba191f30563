import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { DefinitionMigration, MigrationRequest } from '../../db/definition-migration-queries.js';
import { MigrationNotFoundError } from '../../engine/errors.js';
import type { ApiDeps } from '../api-deps.js';
import { VersionNumber } from '../catalog-schemas.js';
import { DRY_RUN_LISTED, MIGRATION_BATCH, checkMigrationRequest, dryRunMigration, runMigration } from '../definition-migration-runner.js';
import type { IdempotentEnv } from '../idempotency.js';
import { Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** 流程版本迁移: running cases moved from one published version of a definition to another, by a state mapping. */

/** Cases one request may choose by id; more are migrated by leaving `caseIds` out (every open case on the version). */
const MAX_CHOSEN_CASES = 1_000;

const StateId = z.string().min(1).max(500);

const MigrationBody = z
  .object({
    fromVersion: VersionNumber.openapi({ description: 'The published version the cases run on.' }),
    toVersion: VersionNumber.openapi({ description: 'The published version they move to.' }),
    mapping: z.record(StateId, StateId).openapi({
      description:
        'Source state node id → target state node id (`road-occupation.signOff` → `road-occupation.leadSignOff`). A case is moved by the ' +
        'entry of each of its active states, or of its nearest mapped ancestor; a case in a state mapped by neither is refused.',
    }),
    caseIds: z
      .array(Uuid)
      .min(1)
      .max(MAX_CHOSEN_CASES)
      .refine((ids) => new Set(ids).size === ids.length, 'a case is chosen twice')
      .optional()
      .openapi({ description: `The cases to move (at most ${MAX_CHOSEN_CASES}); left out: every running case on \`fromVersion\`.` }),
  })
  .strict()
  .openapi('DefinitionMigrationRequest');

const KeyParams = z.object({ key: z.string().min(1).max(64).openapi({ param: { name: 'key', in: 'path' } }) });

const MigratedTask = z.object({ key: z.string(), departmentCode: z.string(), title: z.string() });
const CaseLine = z
  .union([
    z.object({
      outcome: z.literal('migrate'),
      caseId: z.string(),
      fromState: z.string(),
      toState: z.string(),
      mapping: z.record(z.string(), z.string()).readonly(),
      tasks: z.object({ kept: z.array(MigratedTask).readonly(), opened: z.array(MigratedTask).readonly(), cancelled: z.array(MigratedTask).readonly() }),
      clocks: z.object({ started: z.array(z.string()).readonly(), stopped: z.array(z.string()).readonly() }),
    }),
    z.object({ outcome: z.literal('refused'), caseId: z.string(), code: z.string(), detail: z.string() }),
  ])
  .openapi('CaseMigrationLine');

const DryRunReport = z
  .object({
    totals: z.object({
      cases: z.number().int(),
      migrate: z.number().int(),
      refused: z.number().int(),
      tasksKept: z.number().int(),
      tasksOpened: z.number().int(),
      tasksCancelled: z.number().int(),
    }),
    cases: z.array(CaseLine).openapi({ description: `The first ${DRY_RUN_LISTED} cases, oldest first.` }),
  })
  .openapi('DefinitionMigrationDryRun');

const Migration = z
  .object({
    id: z.string(),
    definitionKey: z.string(),
    fromVersion: z.number().int(),
    toVersion: z.number().int(),
    mapping: z.record(z.string(), z.string()),
    caseIds: z.array(z.string()).nullable(),
    status: z.enum(['running', 'finished']),
    total: z.number().int().openapi({ description: 'The cases the migration takes.' }),
    migrated: z.number().int().openapi({ description: 'The cases moved so far; the others taken so far are among `refusals`.' }),
    refusals: z.array(z.object({ caseId: z.string(), code: z.string(), detail: z.string() })),
    startedBy: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('DefinitionMigration');

const REQUEST_RULES =
  'Refused before anything is read or written: the same version twice or chosen cases that are not cases of the definition (422 ' +
  '`TB-COMMAND-INVALID`), a version not published (404 `TB-DEFINITION-404`), a mapping naming a state either version does not have or a ' +
  'final state as a target (422 `TB-MIGRATION-MAPPING`, each entry at `mapping.<state id>`).';

const dryRun = protectedRoute('definition.migrate', {
  method: 'post',
  path: '/catalog/definitions/{key}/migrations/dry-run',
  summary: 'What migrating running cases to another version would do (dry run)',
  description:
    'Decides the migration of each case exactly as applying it would, and writes nothing: for each, the tasks kept (same key, claim and clock), ' +
    'opened and cancelled, the task and definition clocks started and stopped (the case limits never move), or why it would be refused ' +
    `(\`TB-MIGRATION-UNMAPPED\`: a state the mapping leaves out; \`TB-CASE-CLOSED\`, \`TB-CASE-NOT-ON-DEFINITION\`). A suspended case is moved and stays ` +
    `suspended, the clocks the move starts paused with the others. ${REQUEST_RULES}`,
  request: { params: KeyParams, body: { required: true, ...json(MigrationBody) } },
  responses: { 200: { description: 'The report', ...json(DryRunReport) } },
});

const start = protectedRoute('definition.migrate', {
  method: 'post',
  path: '/catalog/definitions/{key}/migrations',
  summary: 'Migrate running cases to another version of their definition',
  description:
    `Accepted at once (202) and run in the background, ${MIGRATION_BATCH} cases per batch, each case its own command: a case moved gets the ` +
    'target version and one `case.migrated` audit event; a case refused stays on its version, unchanged, and is listed with why. Progress is ' +
    `written after each batch (\`GET /api/catalog/migrations/{id}\`). Recorded on the security log (\`definition.migration.started\`). ${REQUEST_RULES}`,
  request: { params: KeyParams, body: { required: true, ...json(MigrationBody) } },
  responses: { 202: { description: 'Accepted', ...json(Migration) } },
});

const show = protectedRoute('definition.migrate', {
  method: 'get',
  path: '/catalog/migrations/{id}',
  summary: 'A migration’s progress and refusals',
  request: { params: z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 200: { description: 'The migration', ...json(Migration) } },
});

const list = protectedRoute('definition.migrate', {
  method: 'get',
  path: '/catalog/definitions/{key}/migrations',
  summary: 'The migrations of a definition, latest first',
  request: { params: KeyParams },
  responses: { 200: { description: 'Migrations', ...json(z.object({ items: z.array(Migration) })) } },
});

const asJson = (m: DefinitionMigration) => ({ ...m, caseIds: m.caseIds ? [...m.caseIds] : null, refusals: [...m.refusals], startedAt: m.startedAt.toISOString(), finishedAt: m.finishedAt?.toISOString() ?? null });

export function definitionMigrationRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(dryRun, async (c) => {
    const request = requestOf(c.req.valid('param').key, c.req.valid('json'));
    await checkMigrationRequest(deps, request);
    return c.json(await dryRunMigration(deps, request, c.get('actor')), 200);
  });

  app.openapi(start, async (c) => {
    const request = requestOf(c.req.valid('param').key, c.req.valid('json'));
    await checkMigrationRequest(deps, request);
    const actor = c.get('actor');
    const caseIds = await deps.queries.casesToMigrate(request);
    const id = await deps.queries.startDefinitionMigration(request, caseIds.length, actor, deps.clock.now());
    // The batches run after the answer, in this process; progress is read from the migration's row.
    void runMigration(deps, id, request, caseIds, actor);
    return c.json(asJson(await found(deps, id)), 202);
  });

  app.openapi(show, async (c) => c.json(asJson(await found(deps, c.req.valid('param').id)), 200));

  app.openapi(list, async (c) => c.json({ items: (await deps.queries.listDefinitionMigrations(c.req.valid('param').key)).map(asJson) }, 200));
}

const requestOf = (definitionKey: string, { caseIds, ...body }: z.infer<typeof MigrationBody>): MigrationRequest => ({ definitionKey, ...body, caseIds: caseIds ?? null });

async function found(deps: ApiDeps, id: string): Promise<DefinitionMigration> {
  const migration = await deps.queries.findDefinitionMigration(id);
  if (!migration) throw new MigrationNotFoundError(id);
  return migration;
}
