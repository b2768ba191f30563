import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import { SPECIAL_PROCEDURES } from '../../engine/operations/start-special-procedure.js';
import { WORKING_DAYS_LIMITS } from '../../engine/time/deadline.js';
import { clockStatus } from '../../engine/time/legal-clock.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, ClockStatus, CommandResult, ExpectedVersion, LegalBasis } from '../schemas.js';
import { clockView } from '../views.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * The case's legal clocks (计时): reading them, extending one (延期, 行政许可法 art. 42) and the special
 * procedures (特别程序, art. 45) that stop them. The engine decides; these routes validate and render.
 */

const ClockParams = CaseParams.extend({
  clock: z
    .string()
    .min(1)
    .max(200)
    .openapi({
      param: { name: 'clock', in: 'path' },
      description: '`legal`, `committed`, `task:<key>` (e.g. `task:acceptance`; the colon may be sent as is or as `%3A`) or a clock the definition started.',
      example: 'legal',
    }),
});

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

const ExtendClockBody = z
  .object({
    workingDays: z.number().int().min(1).max(WORKING_DAYS_LIMITS.max).openapi({ description: 'Working days added; in all at most what the service item allows (art. 42: 10, or 15 for joint handling).' }),
    reason: text(2000).openapi({ description: 'Why the limit cannot be kept; the applicant is told it (art. 42).' }),
    legalBasis: LegalBasis.openapi({ description: 'The provision and approval, e.g. 《行政许可法》第四十二条第二款，经本级人民政府负责人批准.' }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('ExtendClock');

const procedure = {
  kind: z.enum(SPECIAL_PROCEDURES).openapi({ description: 'hearing (听证), expert-review (专家评审、鉴定), testing (检验、检测、检疫), public-notice (公示), tender (招标、拍卖) or other.' }),
  expectedVersion: ExpectedVersion,
};

const SpecialProcedureBody = z
  .discriminatedUnion('action', [
    z
      .object({
        action: z.literal('start'),
        ...procedure,
        notice: text(2000).openapi({ description: 'The written notice to the applicant: the procedure and the time it needs (art. 45).' }),
      })
      .strict(),
    z.object({ action: z.literal('end'), ...procedure }).strict(),
  ])
  .openapi('SpecialProcedure');

const getClocks = protectedRoute('case.read', {
  method: 'get',
  path: '/cases/{caseId}/clocks',
  summary: "The case's legal clocks (法定时限, 承诺时限) as read now",
  description:
    "Each clock as a ledger read now — `legal`, `committed` and the tasks' `task:<key>` — with its state, budget, working days consumed and remaining, due date and its derivation, pauses (行政许可法 art. 45) and extensions (art. 42). Empty for a case started before clocks were kept. Only for departments taking part in the case, and supervisors.",
  request: { params: CaseParams },
  responses: { 200: { description: 'The clocks', ...json(z.object({ clocks: z.array(ClockStatus) }).openapi('CaseClocks')) } },
});

const extendClock = protectedRoute('clock.extend', {
  method: 'post',
  path: '/cases/{caseId}/clocks/{clock}/extensions',
  summary: "延期: extend one of the case's clocks (行政许可法 art. 42)",
  description:
    "The lead of the case's lead department records the extension the head of the organ approved: at most what the service item allows, in working days and in times (art. 42 ¶1: 10 once for one department; ¶2: 15 once for joint handling). " +
    "The clock's due date and its timer move by the working days granted (the committed clock takes the case's `dueAt` along, a `task:<key>` clock its task's), the applicant is told why, and the extension is audited (`clock.extended`). " +
    'Beyond the maximum: 409 `TB-CLOCK-EXTENSION-REFUSED`; a stopped or expired clock: 409 `TB-CLOCK-STATE`; an unknown clock: 404 `TB-CLOCK-404`; nothing changed.',
  request: { params: ClockParams, body: { required: true, ...json(ExtendClockBody) } },
  responses: { 200: { description: 'Extended', ...json(CommandResult) } },
});

const specialProcedure = protectedRoute('case.special-procedure', {
  method: 'post',
  path: '/cases/{caseId}/special-procedures',
  summary: '特别程序: start or end a hearing, expert review, testing… (行政许可法 art. 45)',
  description:
    "`start` pauses every running clock of the case whose law leaves the procedure out of the count — the legal and committed limits and the open tasks' clocks, their deadline timers cancelled — and sends the applicant the written notice (art. 45). " +
    '`end` resumes the clocks paused for that kind, each with the budget it had left: due dates, task `dueAt`s and timers move by the working days it took. Audited (`special-procedure.started`, `special-procedure.ended`). ' +
    "The case's lead department, or a department holding one of its open tasks. 409 `TB-CLOCK-PAUSE-REFUSED` when the item's law counts the procedure (a public notice, unless the item leaves it out); 409 `TB-CLOCK-STATE` when no clock runs (start) or none is paused for it (end); nothing changed.",
  request: { params: CaseParams, body: { required: true, ...json(SpecialProcedureBody) } },
  responses: { 200: { description: 'Started or ended', ...json(CommandResult) } },
});

export function clockRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(getClocks, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const found = await deps.queries.findVisibleCaseClocks(c.get('actor'), id);
    if (!found) throw new CaseNotFoundError(id);
    const now = deps.engine.now(); // legal time is the engine's
    return c.json({ clocks: found.clocks.map((clock) => clockView(clock.id, clockStatus(clock, found.calendar, now))) }, 200);
  });

  app.openapi(extendClock, async (c) => {
    const { caseId: id, clock } = c.req.valid('param');
    const { workingDays, reason, legalBasis, expectedVersion } = c.req.valid('json');
    const result = await deps.engine.execute({
      type: 'clock.extend',
      actor: c.get('actor'),
      caseId: caseId(id),
      clock,
      workingDays,
      reason,
      legalBasis,
      ...(expectedVersion ? { expectedVersion } : {}),
    }, commandOptions(c, 200));
    return c.json(result, 200);
  });

  app.openapi(specialProcedure, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const body = c.req.valid('json');
    const on = { actor: c.get('actor'), caseId: caseId(id), kind: body.kind, ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}) };
    const command = body.action === 'start' ? { type: 'special-procedure.start' as const, ...on, notice: body.notice } : { type: 'special-procedure.end' as const, ...on };
    const result = await deps.engine.execute(command, commandOptions(c, 200));
    return c.json(result, 200);
  });
}
