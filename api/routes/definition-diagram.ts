import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { LANGUAGES } from '../../diagram/catalogue-words.js';
import { activeStateIds } from '../../engine/definitions/definition-graph.js';
import { CaseNotFoundError, CaseNotOnDefinitionError } from '../../engine/errors.js';
import type { ApiDeps } from '../api-deps.js';
import { definitionDiagramSvg } from '../definition-diagram-svg.js';
import { compiledDesign } from './catalog-definitions.js';
import type { IdempotentEnv } from '../idempotency.js';
import { Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { readerLanguage } from '../reader-language.js';

const DefinitionParams = z.object({
  key: z.string().min(1).max(200).openapi({ param: { name: 'key', in: 'path' }, example: 'construction-permit' }),
  version: z.coerce.number().int().positive().openapi({ param: { name: 'version', in: 'path' }, example: 5 }),
});

const DiagramQuery = z.object({
  caseId: Uuid.optional().openapi({ description: 'Highlight the states this case is in now. The case must run on this key and version (else 422) and be one you may read (else 404).' }),
  lang: z.enum(LANGUAGES).optional().openapi({ description: 'The language of its words; by default the first of `Accept-Language` it has, else Chinese.' }),
});

const getDiagram = protectedRoute('catalog.read', {
  method: 'get',
  path: '/definitions/{key}/{version}/diagram.svg',
  summary: 'A process definition drawn as an SVG diagram (a draft for designers), optionally with where a case is',
  description:
    'Every state (nested as the machine nests them, a parallel state around its regions) and every transition with its event and guard in words, laid out by ELK (layered) as the workspace draws it. ' +
    'A self-contained SVG document: inline presentation attributes, a `<title>`, each state a `<g data-state="<state id>">`; with `caseId`, the states the case is in carry the class `active`, `aria-current` and a thick blue border, and the title says where the case is.',
  request: { params: DefinitionParams, query: DiagramQuery },
  responses: { 200: { description: 'The diagram', content: { 'image/svg+xml': { schema: z.string() } } } },
});

/** A definition's diagram, for designers reading the catalogue and anyone following a case on it. */
export function definitionDiagramRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(getDiagram, async (c) => {
    const { key, version } = c.req.valid('param');
    const { caseId, lang } = c.req.valid('query');
    const definition = await compiledDesign(deps, c.get('actor'), key, version);
    let active: string[] | null = null;
    if (caseId !== undefined) {
      const at = await deps.queries.findVisibleCaseAtRest(c.get('actor'), caseId);
      if (!at) throw new CaseNotFoundError(caseId);
      if (at.case.definitionKey !== key || at.case.definitionVersion !== version) throw new CaseNotOnDefinitionError(caseId, key, version, at.case.definitionKey, at.case.definitionVersion);
      active = activeStateIds(definition, at.case.snapshot);
    }
    const language = readerLanguage(lang, c.req.header('accept-language'));
    const svg = await definitionDiagramSvg(definition, { active, language });
    // Nothing in it runs or loads anything; opened at its address, a browser is told so too.
    return c.body(svg, 200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'content-language': language,
      vary: 'Accept-Language',
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
    });
  });
}
