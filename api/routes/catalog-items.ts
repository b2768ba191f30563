import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ServiceItemVersion as Version } from '../../db/service-item-designs.js';
import { ServiceItemInvalidError, ServiceItemNotFoundError } from '../../engine/errors.js';
import { serviceItemProblems } from '../../engine/service-item-rules.js';
import type { ApiDeps } from '../api-deps.js';
import { ServiceItemDraftBody, ServiceItemVersion, VersionNumber } from '../catalog-schemas.js';
import type { IdempotentEnv } from '../idempotency.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** The service-item catalogue as designers keep it (事项清单): versions, drafts and their publication. */

const ItemParams = z.object({ code: z.string().min(1).max(64).openapi({ param: { name: 'code', in: 'path' } }) });
const ItemVersionParams = ItemParams.extend({ version: VersionNumber.openapi({ param: { name: 'version', in: 'path' } }) });

const listVersions = protectedRoute('catalog.read', {
  method: 'get',
  path: '/catalog/service-items/{code}/versions',
  summary: 'Every version of a service item, drafts included, latest first',
  request: { params: ItemParams },
  responses: { 200: { description: 'The versions', ...json(z.object({ items: z.array(ServiceItemVersion) })) } },
});

const saveDraft = protectedRoute('catalog.design', {
  method: 'post',
  path: '/catalog/service-items/{code}/drafts',
  summary: 'Save the draft of a service item version (a new item, or a change: a new version)',
  description:
    'Saves or replaces the draft of `version`, which must come after every published version of the item (409 `TB-CATALOG-VERSION` otherwise: ' +
    'a published version never changes). The content is checked as at publication (422 `TB-SERVICE-ITEM-INVALID`, each problem with its field); ' +
    'nothing is saved when it is refused.',
  request: { params: ItemParams, body: { required: true, ...json(ServiceItemDraftBody) } },
  responses: { 201: { description: 'Saved', ...json(ServiceItemVersion) } },
});

const publish = protectedRoute('catalog.publish', {
  method: 'post',
  path: '/catalog/service-items/{code}/versions/{version}/publication',
  summary: 'Publish a service item draft: new cases start under it',
  description:
    'Checked again (the departments, calendar and definition version it names may have changed since the draft was saved), then published and in ' +
    'force: new cases pin it (its legal basis and limits); running cases keep the version they started under. Recorded on the security log ' +
    '(`catalog.service-item-published`). Other API processes start cases under it within 30 s.',
  request: { params: ItemVersionParams },
  responses: { 200: { description: 'Published', ...json(ServiceItemVersion) } },
});

const asJson = (v: Version) => ({
  ...v,
  updatedAt: v.updatedAt.toISOString(),
  publishedAt: v.publishedAt?.toISOString() ?? null,
});

export function catalogItemRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listVersions, async (c) => {
    const { code } = c.req.valid('param');
    return c.json({ items: (await deps.queries.listServiceItemVersions(code)).map(asJson) }, 200);
  });

  app.openapi(saveDraft, async (c) => {
    const { code } = c.req.valid('param');
    const { version, ...content } = c.req.valid('json');
    const item = { ...content, code, version };
    const problems = serviceItemProblems(item, await deps.queries.catalogueReferences());
    if (problems.length > 0) throw new ServiceItemInvalidError(code, version, problems);
    await deps.queries.saveServiceItemDraft(item, c.get('actor'), deps.clock.now());
    return c.json(asJson(await found(deps, code, version)), 201);
  });

  app.openapi(publish, async (c) => {
    const { code, version } = c.req.valid('param');
    await deps.queries.publishServiceItemDraft({ code, version }, c.get('actor'), deps.clock.now(), (item, references) => {
      const problems = serviceItemProblems(item, references);
      if (problems.length > 0) throw new ServiceItemInvalidError(code, version, problems);
    });
    return c.json(asJson(await found(deps, code, version)), 200);
  });
}

async function found(deps: ApiDeps, code: string, version: number): Promise<Version> {
  const saved = await deps.queries.findServiceItemVersion(code, version);
  if (!saved) throw new ServiceItemNotFoundError(code);
  return saved;
}
