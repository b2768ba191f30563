import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { fixAnswer, fixTaskColour, MAX_RATING_TEXT } from '../../engine/case-rating.js';
import type { WorkingCalendar } from '../../engine/time/working-calendar.js';
import { dueExplanation } from '../../engine/time/due-explanation-text.js';
import type { FixTaskRow } from '../../db/applicant-queries.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { CaseParams, Due } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const FixTask = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    serviceItem: z.object({ code: z.string(), name: z.string() }),
    department: z.string().openapi({ description: 'The case’s lead department, which answers.' }),
    score: z.number().int(),
    comment: z.string().openapi({ description: 'What the applicant said.' }),
    ratedAt: z.string(),
    due: Due.openapi({ description: '15 working days from the rating, counted on the case’s calendar (its derivation kept).' }),
    overdue: z.boolean(),
    colour: z.enum(['green', 'yellow', 'red']).nullable().openapi({ description: 'Its light while unanswered: yellow in its last 3 working days on the case’s calendar, red once due; null once answered.' }),
    answer: z.string().nullable(),
    answeredBy: z.string().nullable(),
    answeredAt: z.string().nullable(),
  })
  .openapi('FixTask');

const listFixTasks = protectedRoute('rating.fix.read', {
  method: 'get',
  path: '/ratings/fix-tasks',
  summary: 'Fix tasks (整改) opened by bad ratings (差评)',
  description: 'Your department’s (a supervisor: every department’s): `open` by due time, or `answered`, latest first; at most 100.',
  request: { query: z.object({ state: z.enum(['open', 'answered']).default('open') }) },
  responses: { 200: { description: 'The fix tasks', ...json(z.object({ items: z.array(FixTask) })) } },
});

const answerFixTask = protectedRoute('rating.fix.answer', {
  method: 'post',
  path: '/ratings/{caseId}/answer',
  summary: 'Answer a bad rating’s fix task (整改回复)',
  description: 'The lead of the case’s lead department, once; the applicant reads the answer in the progress query. Written to the security log.',
  request: { params: CaseParams, body: { required: true, ...json(z.object({ answer: z.string().max(MAX_RATING_TEXT) }).strict().openapi('FixAnswer')) } },
  responses: { 200: { description: 'Answered', ...json(z.object({ caseId: z.string(), answer: z.string(), answeredAt: z.string() }).openapi('FixAnswered')) } },
});

export function fixTaskRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listFixTasks, async (c) => {
    const rows = await deps.queries.listFixTasks(c.get('actor'), c.req.valid('query').state);
    // Overdue by legal time, the engine's clock, as every deadline is read.
    const now = deps.engine.now();
    // Each light on its case's calendar (the catalogue's cache holds them).
    return c.json({ items: await Promise.all(rows.map(async (r) => fixTaskView(r, await deps.queries.workingCalendar(r.calendarCode), now))) }, 200);
  });

  app.openapi(answerFixTask, async (c) => {
    const { caseId } = c.req.valid('param');
    const answer = fixAnswer(c.req.valid('json').answer);
    const at = deps.engine.now();
    await deps.queries.answerFixTask(c.get('actor'), caseId, answer, at);
    return c.json({ caseId, answer, answeredAt: at.toISOString() }, 200);
  });
}

function fixTaskView(r: FixTaskRow, calendar: WorkingCalendar, now: Date) {
  return {
    caseId: r.caseId,
    caseNumber: r.caseNumber,
    serviceItem: r.serviceItem,
    department: r.department,
    score: r.score,
    comment: r.comment,
    ratedAt: r.ratedAt.toISOString(),
    due: dueExplanation(r.dueAt, r.dueDerivation),
    overdue: r.answeredAt === null && r.dueAt <= now,
    colour: fixTaskColour(r, calendar, now),
    answer: r.answer,
    answeredBy: r.answeredBy,
    answeredAt: r.answeredAt?.toISOString() ?? null,
  };
}
