import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { applicantProgress } from '../../engine/access/applicant-progress.js';
import { MAX_RATING_TEXT, rateCase } from '../../engine/case-rating.js';
import { isOpenCase } from '../../engine/case-record.js';
import { ProgressNotFoundError } from '../../engine/errors.js';
import { wrongCodeWindows, type CaseByNumber, type CaseProgressRow } from '../../db/applicant-queries.js';
import { LONGEST_RATE_WINDOW_MS } from '../../db/rate-limit-windows.js';
import type { ApiDeps } from '../api-deps.js';
import { verifyQueryCode } from '../query-code.js';
import { clientAddress, rateLimitBy, tooManyRequests } from '../rate-limit.js';
import { json, problemResponses } from './responses.js';

/** Wrong codes for one case number from one client address, in a clock hour, before that address is locked out of the number until the hour ends. */
export const WRONG_CODES_PER_ADDRESS = 5;

/**
 * Wrong codes for one case number from all addresses together, in a clock hour, before the number is locked for
 * everyone until the hour ends. Guessing a 40-bit code at this pace takes billions of hours; keeping someone else's
 * number locked takes `WRONG_CODES_PER_NUMBER / WRONG_CODES_PER_ADDRESS` addresses an hour — where one address with
 * five wrong codes used to keep the applicant out.
 */
export const WRONG_CODES_PER_NUMBER = 100;

/** Requests of the applicant's routes per client address and minute. */
export const APPLICANT_REQUESTS_PER_MINUTE = 20;

const CaseCode = {
  caseNumber: z.string().trim().min(1).max(40).openapi({ description: 'The case number (受理编号) on the acceptance notice, e.g. `2026-000123`.' }),
  queryCode: z.string().trim().min(1).max(40).openapi({ description: 'The query code (查询码) the window handed over: 8 letters and digits; case and dashes do not matter.' }),
};
const ProgressBody = z.object(CaseCode).strict().openapi('ProgressQuery');
const RatingBody = z
  .object({
    ...CaseCode,
    score: z.number().int().min(1).max(5).openapi({ description: '5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. 2 or less opens a fix task (整改) for the lead department.' }),
    comment: z.string().max(MAX_RATING_TEXT).default('').openapi({ description: 'Why; required for a score of 2 or less.' }),
  })
  .strict()
  .openapi('RatingInput');

const Department = z.object({ code: z.string(), name: z.string() });
const Rating = z
  .object({
    score: z.number().int(),
    comment: z.string(),
    ratedAt: z.string(),
    fixDueAt: z.string().nullable().openapi({ description: 'When the lead department’s answer is due (a bad rating); null for a good one.' }),
    answer: z.string().nullable().openapi({ description: 'The lead department’s answer to a bad rating (整改 reply); null until given.' }),
    answeredAt: z.string().nullable(),
  })
  .openapi('Rating');
const Progress = z
  .object({
    caseNumber: z.string(),
    serviceItem: z.object({ code: z.string(), name: z.string() }),
    status: z.string().openapi({ description: '`running`, `suspended` (中止), or how it ended: `approved`, `refused`, `withdrawn`, `terminated`.' }),
    currentSteps: z.array(z.object({ title: z.string(), department: Department, since: z.string(), dueAt: z.string() })),
    awaited: z
      .object({
        party: z.enum(['departments', 'applicant', 'nobody']),
        departments: z.array(Department).optional(),
        materials: z.array(z.object({ name: z.string(), reason: z.string() })).optional().openapi({ description: '补正告知: every material the applicant is asked to bring, and why.' }),
        requestedAt: z.string().optional(),
      })
      .openapi({ description: 'Who the case waits for: the departments reviewing it, the applicant’s supplement (补正), or nobody (it ended).' }),
    due: z
      .object({ at: z.string(), date: z.string().nullable(), provisional: z.boolean().openapi({ description: 'Counted past the calendar’s official data: the date may move when the year’s holidays are published.' }) })
      .nullable()
      .openapi({ description: 'The committed due date (承诺时限) while the case runs; null once it ended.' }),
    opinions: z
      .array(z.object({ department: Department, outcome: z.string(), text: z.string(), at: z.string() }))
      .openapi({ description: 'Public opinions only, each with the outcome it gives (made public with it): an internal one, and its outcome, are never shown here.' }),
    milestones: z.array(
      z.object({
        kind: z.enum(['accepted', 'step-done', 'supplement-requested', 'supplement-received', 'ended']),
        at: z.string(),
        title: z.string().optional(),
        department: Department.optional(),
        status: z.string().optional(),
      }),
    ),
    rating: Rating.nullable(),
    canRate: z.boolean().openapi({ description: 'True once the case ended and until it is rated (好差评).' }),
  })
  .openapi('Progress');

/** The answers of a public route: no credentials, so no 401 or 403; a wrong number or code is 404, too many tries 429. */
const { 401: _unauthenticated, 403: _forbidden, ...publicProblems } = problemResponses;

/** What both applicant routes answer besides their success, and their limit per client address. */
const publicRoute = (deps: ApiDeps) => ({
  method: 'post' as const,
  middleware: [rateLimitBy(deps.queries, deps.clock, 'applicant.request', { limit: APPLICANT_REQUESTS_PER_MINUTE, windowSeconds: 60, principal: clientAddress })],
  responses: {
    ...publicProblems,
    429: { description: `Over ${APPLICANT_REQUESTS_PER_MINUTE} requests a minute from this address, or too many wrong codes within the hour for this case number (${WRONG_CODES_PER_ADDRESS} from this address, ${WRONG_CODES_PER_NUMBER} from all); see Retry-After`, content: publicProblems[404].content },
  },
});

/**
 * The applicant's routes (进度查询, 好差评): no sign-in; the case number and its query code, in a POST body so that the
 * code is never in a URL or an access log. Rate limited per client address; a case number is locked for the rest of
 * the hour to an address after `WRONG_CODES_PER_ADDRESS` wrong codes from it, and to everyone after
 * `WRONG_CODES_PER_NUMBER` from all (counted in PostgreSQL: every API process sees them).
 */
export function progressRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const shared = publicRoute(deps);
  app.openapi(
    createRoute({
      ...shared,
      path: '/public/progress',
      summary: 'Follow a case with its query code (进度查询, public)',
      description: 'The applicant’s view of the case: the steps under way, who it waits for, the committed due date, public opinions, milestones and the rating. A wrong number or code answers 404 either way.',
      request: { body: { required: true, ...json(ProgressBody) } },
      responses: { 200: { description: 'The case’s progress', ...json(Progress) }, ...shared.responses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const found = await caseOfCode(c, deps, body);
      if (found instanceof Response) return found as never; // a lockout's 429, outside the typed answers
      return c.json(progressView(await deps.queries.readCaseProgress(found.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...shared,
      path: '/public/ratings',
      summary: 'Rate a case that has ended (好差评, public)',
      description:
        'Once per case, after it ended. A score of 2 or less opens a fix task (整改) for the lead department, due in 15 working days on the case’s calendar; its answer shows in the progress. Written to the security log.',
      request: { body: { required: true, ...json(RatingBody) } },
      responses: { 201: { description: 'Rated; the progress as it reads now', ...json(Progress) }, ...shared.responses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const found = await caseOfCode(c, deps, body);
      if (found instanceof Response) return found as never;
      const calendar = await deps.queries.workingCalendar(found.calendarCode);
      const rating = rateCase(found, body, calendar, deps.engine.now());
      await deps.queries.recordRating(found, rating);
      return c.json(progressView(await deps.queries.readCaseProgress(found.id)), 201);
    },
  );
}

/**
 * The case the number and code name, or the answer to give instead: 429 while the number is locked out, else 404
 * (`ProgressNotFoundError`) for a number no case has, a case without a code or a wrong code — the same answer after
 * the same scrypt work, so that neither the answer nor its time tells which.
 */
async function caseOfCode(c: Context, deps: ApiDeps, body: { caseNumber: string; queryCode: string }): Promise<CaseByNumber | Response> {
  const now = deps.clock.now().getTime();
  const windowStart = new Date(now - (now % LONGEST_RATE_WINDOW_MS));
  const { fromAddress, number } = wrongCodeWindows(body.caseNumber, clientAddress(c));
  const hits = (w: typeof number) => deps.queries.windowHits(w.principal, w.action, windowStart);
  const [addressHits, numberHits] = await Promise.all([hits(fromAddress), hits(number)]);
  if (addressHits >= WRONG_CODES_PER_ADDRESS || numberHits >= WRONG_CODES_PER_NUMBER) {
    const retryAfter = Math.ceil((windowStart.getTime() + LONGEST_RATE_WINDOW_MS - now) / 1000);
    return tooManyRequests(c, retryAfter, `Too many wrong query codes for case ${body.caseNumber}; retry in ${retryAfter} s, or ask the window for a new code.`);
  }
  const found = await deps.queries.findCaseByNumber(body.caseNumber);
  if (found && (await verifyQueryCode(body.queryCode, found.queryCodeHash))) return found;
  if (!found) await verifyQueryCode(body.queryCode, null);
  await Promise.all([fromAddress, number].map((w) => deps.queries.countHit(w.principal, w.action, windowStart)));
  throw new ProgressNotFoundError();
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The progress as the applicant reads it (`applicantProgress` decides what they may see). */
function progressView(row: CaseProgressRow) {
  const seen = applicantProgress(row.facts);
  const running = isOpenCase(row.facts.status);
  const { awaited } = seen;
  return {
    caseNumber: row.number,
    serviceItem: row.serviceItem,
    status: row.facts.status,
    currentSteps: seen.currentSteps.map((s) => ({ title: s.title, department: s.department, since: s.since.toISOString(), dueAt: s.dueAt.toISOString() })),
    awaited: {
      party: awaited.party,
      ...(awaited.party === 'departments' ? { departments: [...awaited.departments] } : {}),
      ...(awaited.party === 'applicant' ? { materials: [...awaited.materials], requestedAt: awaited.requestedAt.toISOString() } : {}),
    },
    due: running ? { at: row.dueAt.toISOString(), date: row.dueDerivation?.dueDate ?? null, provisional: row.dueDerivation?.provisional ?? false } : null,
    opinions: seen.opinions.map((o) => ({ department: o.department, outcome: o.outcome, text: o.text, at: o.at.toISOString() })),
    milestones: seen.milestones.map(({ at, ...m }) => ({ ...m, at: at.toISOString() })),
    rating: row.rating && { ...row.rating, ratedAt: row.rating.ratedAt.toISOString(), fixDueAt: iso(row.rating.fixDueAt), answeredAt: iso(row.rating.answeredAt) },
    canRate: !running && row.rating === null,
  };
}
