import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { LANGUAGES } from '../../diagram/catalogue-words.js';
import { BOX_KINDS } from '../../diagram/diagram-shapes.js';
import { COUNTERSIGN_MODES } from '../../engine/definitions/countersign.js';
import { activeStateIds, definitionGraph } from '../../engine/definitions/definition-graph.js';
import { CaseNotFoundError } from '../../engine/errors.js';
import type { ApiDeps } from '../api-deps.js';
import { definitionDiagramShapes } from '../definition-diagram-svg.js';
import type { IdempotentEnv } from '../idempotency.js';
import { readerLanguage } from '../reader-language.js';
import { CaseParams } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const DiagramState = z
  .object({
    id: z.string().openapi({ description: 'The state node id, e.g. `construction-permit.jointReview.fire.reviewing`.' }),
    key: z.string(),
    parent: z.string().nullable().openapi({ description: 'The state it is nested in; null for the root (the machine).' }),
    type: z.enum(['atomic', 'compound', 'parallel', 'final', 'history']).openapi({ description: 'A `parallel` state runs its children (regions) at once.' }),
    initial: z.string().nullable().openapi({ description: 'A compound state: the child entered first.' }),
    task: z.object({ task: z.string(), kind: z.string(), title: z.string(), department: z.string() }).optional().openapi({ description: 'The task the state opens on entry.' }),
    countersign: z
      .object({
        step: z.string(),
        mode: z.enum(COUNTERSIGN_MODES),
        title: z.string(),
        threshold: z.object({ numerator: z.number().int(), denominator: z.number().int() }).nullable(),
      })
      .optional()
      .openapi({ description: 'The countersign step the state opens on entry (会签 / 或签 / 依次 / 票签): each signer gets a task of its own.' }),
    pausesClocks: z.string().optional().openapi({ description: "Why the state stops the case's clocks on entry (e.g. `supplement`)." }),
    period: z.object({ period: z.string(), workingDays: z.number().int() }).optional().openapi({ description: 'The period the state waits for.' }),
  })
  .openapi('DiagramState');

const DiagramTransition = z
  .object({
    id: z.string(),
    source: z.string(),
    target: z.string(),
    event: z.string().openapi({
      description: 'e.g. `task.approved`; `xstate.done.state.<id>` when every region of a parallel state is done; empty for an eventless (`always`) transition, taken as soon as its guard holds.',
    }),
    guard: z
      .object({ type: z.string(), params: z.record(z.string(), z.unknown()).optional() })
      .nullable()
      .openapi({ description: 'What must hold for the transition, e.g. `taskIs` with the task, or `anyRejected`.' }),
  })
  .openapi('DiagramTransition');

const Point = { x: z.number(), y: z.number() };

const Drawing = z
  .object({
    width: z.number(),
    height: z.number(),
    boxes: z.array(
      z.object({
        id: z.string().openapi({ description: 'The state node id.' }),
        kind: z.enum(BOX_KINDS),
        ...Point,
        width: z.number(),
        height: z.number(),
        lines: z.array(z.object({ text: z.string(), ...Point })).readonly().openapi({ description: 'Its words, each line with its baseline.' }),
        active: z.boolean().openapi({ description: 'The case is in this state.' }),
      }),
    ).readonly(),
    markers: z.array(z.object({ id: z.string(), cx: z.number(), cy: z.number(), r: z.number() })).readonly().openapi({ description: 'The start dots.' }),
    arrows: z.array(
      z.object({
        id: z.string(),
        path: z.string().openapi({ description: 'An SVG path through the route: start, bends, end.' }),
        label: z.object({ text: z.string(), ...Point }).nullable(),
        active: z.boolean().openapi({ description: 'It leaves a state the case is in.' }),
      }),
    ).readonly(),
  })
  .openapi('DiagramDrawing', {
    description:
      'The diagram laid out by ELK (layered) on the server, in the language asked for: what `/definitions/{key}/{version}/diagram.svg` draws, as shapes with coordinates. ' +
      'A layout costs about a second of CPU, so it is made once per definition version and language and kept; the states the case is in only mark it.',
  });

const CaseDiagram = z
  .object({
    caseId: z.string(),
    definition: z.object({ key: z.string(), version: z.number().int(), title: z.string() }),
    status: z.string(),
    states: z.array(DiagramState).openapi({ description: 'Every state, the root first and each before the states nested in it.' }),
    transitions: z.array(DiagramTransition),
    active: z.array(z.string()).openapi({ description: 'The states the case is in now, outermost first (a parallel state and its regions’ states).' }),
    drawing: Drawing,
  })
  .openapi('CaseDiagram');

const getDiagram = protectedRoute('case.read', {
  method: 'get',
  path: '/cases/{caseId}/diagram',
  summary: "The case's process as a diagram: the definition's states and transitions, and where the case is",
  description:
    'The state machine of the definition version the case runs on, read from the compiled machine (states nested as it nests them, transitions with their events and guards), ' +
    'the states the case is in now, and the diagram laid out (`drawing`) in the reader\'s language. Only for departments taking part in the case, and supervisors.',
  request: {
    params: CaseParams,
    query: z.object({
      lang: z.enum(LANGUAGES).optional().openapi({ description: "The language of the drawing's words; by default the first of `Accept-Language` it has, else Chinese." }),
    }),
  },
  responses: { 200: { description: 'The diagram', ...json(CaseDiagram) } },
});

/** The case's state machine and where the case stands in it. */
export function caseDiagramRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(getDiagram, async (c) => {
    const { caseId } = c.req.valid('param');
    const at = await deps.queries.findVisibleCaseAtRest(c.get('actor'), caseId);
    if (!at) throw new CaseNotFoundError(caseId);
    const definition = await deps.queries.processDefinition(at.case.definitionKey, at.case.definitionVersion);
    const { key, version, title } = definition;
    const active = activeStateIds(definition, at.case.snapshot);
    const language = readerLanguage(c.req.valid('query').lang, c.req.header('accept-language'));
    const drawing = await definitionDiagramShapes(definition, { active, language });
    return c.json({ caseId: at.case.id, definition: { key, version, title }, status: at.case.status, ...definitionGraph(definition), active, drawing }, 200, { 'content-language': language, vary: 'Accept-Language' });
  });
}
