import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { DefinitionDesign as Design } from '../../db/definition-designs.js';
import type { Actor } from '../../engine/access/actor.js';
import { can } from '../../engine/access/permission-matrix.js';
import { lintDefinition, type DefinitionLint as Lint, type LintReferences } from '../../engine/definitions/definition-lint.js';
import { compileDefinition, definitionChecksum, type CompiledDefinition, type ProcessDefinition } from '../../engine/definitions/process-definition.js';
import { DefinitionLintError, DefinitionNotFoundError, ServiceItemNotFoundError } from '../../engine/errors.js';
import type { ServiceItem } from '../../engine/service-item.js';
import { simulateDefinition } from '../../engine/simulation/simulate-definition.js';
import type { ApiDeps } from '../api-deps.js';
import { DefinitionDesign, DefinitionDesignSummary, DefinitionDraftBody, Simulation, SimulationBody, VersionNumber } from '../catalog-schemas.js';
import type { IdempotentEnv } from '../idempotency.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** Process definitions as designers make them: uploaded as JSON, linted, simulated, published (流程设计). */

const KeyParams = z.object({ key: z.string().min(1).max(200).openapi({ param: { name: 'key', in: 'path' }, example: 'construction-permit' }) });
const VersionParams = KeyParams.extend({ version: VersionNumber.openapi({ param: { name: 'version', in: 'path' }, example: 5 }) });

const listDesigns = protectedRoute('catalog.read', {
  method: 'get',
  path: '/catalog/definitions',
  summary: 'Every definition version, published and (for designers) drafts, latest first per key',
  responses: { 200: { description: 'The versions', ...json(z.object({ items: z.array(DefinitionDesignSummary) })) } },
});

const getDesign = protectedRoute('catalog.read', {
  method: 'get',
  path: '/catalog/definitions/{key}/versions/{version}',
  summary: 'One definition version, its machine and its lint',
  description: 'A draft only for designers. The lint is computed now, against the departments and the service item in force on the key.',
  request: { params: VersionParams },
  responses: { 200: { description: 'The version', ...json(DefinitionDesign) } },
});

const saveDraft = protectedRoute('catalog.design', {
  method: 'post',
  path: '/catalog/definitions/{key}/drafts',
  summary: 'Upload the draft of a definition version (JSON in the engine’s vocabulary)',
  description:
    'Saves or replaces the draft of `version`, which must come after every published version of the key (409 `TB-CATALOG-VERSION`). A draft may ' +
    'have lint errors: the answer carries the lint (errors block publishing, warnings do not), each finding with its path and state.',
  request: { params: KeyParams, body: { required: true, ...json(DefinitionDraftBody) } },
  responses: { 201: { description: 'Saved, with its lint', ...json(DefinitionDesign) } },
});

const publish = protectedRoute('catalog.publish', {
  method: 'post',
  path: '/catalog/definitions/{key}/versions/{version}/publication',
  summary: 'Publish a definition draft (immutable from then on)',
  description:
    'Linted again: any error refuses it with 422 `TB-DEFINITION-LINT`, every error listed with its path, and nothing changes. Published, the version ' +
    'never changes; cases run on it once a service item version names it. Recorded on the security log (`catalog.definition-published`).',
  request: { params: VersionParams },
  responses: { 200: { description: 'Published, with the warnings that were shown', ...json(DefinitionDesign) } },
});

const simulate = protectedRoute('catalog.design', {
  method: 'post',
  path: '/catalog/definitions/{key}/versions/{version}/simulation',
  summary: 'Simulate a definition version: each way to each final state, with the due dates it produces',
  description:
    'On no real case: the shortest path into each final state by each last move, replayed in a sandbox from `start` on the item’s working calendar, ' +
    'each move made at the last instant the law allows it; answered with every move’s due date, the case’s legal and committed due dates as the ' +
    'pauses moved them, and whether the case finished within them. Nothing is written.',
  request: { params: VersionParams, body: { required: true, ...json(SimulationBody) } },
  responses: { 200: { description: 'The simulation', ...json(Simulation) } },
});

export function catalogDefinitionRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listDesigns, async (c) => {
    const drafts = can(c.get('actor'), 'catalog.design');
    const items = (await deps.queries.listDefinitionDesigns()).filter((d) => drafts || d.status === 'published');
    return c.json({ items: items.map((d) => ({ ...d, at: d.at.toISOString() })) }, 200);
  });

  app.openapi(getDesign, async (c) => {
    const { key, version } = c.req.valid('param');
    const design = await designOf(deps, c.get('actor'), key, version);
    return c.json(await withLint(deps, design), 200);
  });

  app.openapi(saveDraft, async (c) => {
    const { key } = c.req.valid('param');
    const { version, title, machine } = c.req.valid('json');
    await deps.queries.saveDefinitionDraft({ key, version, title, machine: machine as ProcessDefinition['machine'] }, c.get('actor'), deps.clock.now());
    return c.json(await withLint(deps, await designOf(deps, c.get('actor'), key, version)), 201);
  });

  app.openapi(publish, async (c) => {
    const { key, version } = c.req.valid('param');
    const references = await lintReferences(deps, key);
    // Linted before the publication's transaction, which holds the security log's head: only a draft saved again
    // meanwhile is linted under it.
    const draft = await deps.queries.findDefinitionDesign(key, version);
    const linted = draft?.status === 'draft' ? { checksum: definitionChecksum(draft.definition), lint: lintDefinition(draft.definition, references) } : null;
    let lint: Lint | undefined;
    await deps.queries.publishDefinitionDraft({ key, version }, c.get('actor'), deps.clock.now(), (definition) => {
      lint = linted?.checksum === definitionChecksum(definition) ? linted.lint : lintDefinition(definition, references);
      if (lint.errors.length > 0) throw new DefinitionLintError(key, version, lint.errors.map((e) => ({ path: e.path, problem: `${e.rule}: ${e.problem}` })));
      return { warnings: lint.warnings.length };
    });
    const design = await designOf(deps, c.get('actor'), key, version);
    return c.json(designJson(design, lint ?? { errors: [], warnings: [] }), 200);
  });

  app.openapi(simulate, async (c) => {
    const { key, version } = c.req.valid('param');
    const body = c.req.valid('json');
    const design = await designOf(deps, c.get('actor'), key, version);
    const item = await simulatedItem(deps, key, body.serviceItemCode);
    const calendar = await deps.queries.workingCalendar(item.calendarCode);
    const start = body.start === undefined ? deps.clock.now() : new Date(body.start);
    const simulation = simulateDefinition(design.definition, item, calendar, start, { answers: body.answers, supplementWorkingDays: body.supplementWorkingDays });
    return c.json(simulation, 200);
  });
}

/**
 * A definition version as the actor may read it: a published one for every catalogue reader, a draft for designers
 * only (404 otherwise, as for a version that does not exist).
 */
export async function designOf(deps: Pick<ApiDeps, 'queries'>, actor: Actor, key: string, version: number): Promise<Design> {
  const design = await deps.queries.findDefinitionDesign(key, version);
  if (!design || (design.status === 'draft' && !can(actor, 'catalog.design'))) throw new DefinitionNotFoundError(key, version);
  return design;
}

/** The compiled machine of a version the actor may read: the engine's cached one when published; a draft's compiled now (422 when it cannot be). */
export async function compiledDesign(deps: Pick<ApiDeps, 'queries'>, actor: Actor, key: string, version: number): Promise<CompiledDefinition> {
  const design = await designOf(deps, actor, key, version);
  return design.status === 'published' ? deps.queries.processDefinition(key, version) : compileDefinition(design.definition);
}

/** What a definition of the key is linted against: the departments there are, and the item in force on the key, if any. */
async function lintReferences(deps: ApiDeps, key: string): Promise<LintReferences> {
  const [departments, items] = await Promise.all([deps.queries.listDepartments(), deps.queries.listServiceItems()]);
  const item = items.find((i) => i.definitionKey === key);
  return { departments: new Set(departments.map((d) => d.code)), item };
}

async function withLint(deps: ApiDeps, design: Design) {
  return designJson(design, lintDefinition(design.definition, await lintReferences(deps, design.definition.key)));
}

function designJson(design: Design, lint: Lint) {
  const { key, version, title, machine } = design.definition;
  return { key, version, title, status: design.status, at: design.at.toISOString(), by: design.by, machine: machine as Record<string, unknown>, lint };
}

/** The item a simulation counts with: the one named (it must run this key), else the one in force on the key. */
async function simulatedItem(deps: ApiDeps, key: string, code: string | undefined): Promise<ServiceItem> {
  const items = await deps.queries.listServiceItems();
  const item = code === undefined ? items.find((i) => i.definitionKey === key) : items.find((i) => i.code === code);
  if (!item) throw new ServiceItemNotFoundError(code ?? `(an item running ${key})`);
  return item;
}
