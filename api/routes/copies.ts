import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import { MAX_COPY_NOTE_LENGTH, MAX_COPY_RECIPIENTS } from '../../engine/operations/copy-case.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseNumber } from '../inbox-schemas.js';
import { namedParty } from '../named-party.js';
import { CaseParams, CommandResult, Page, PageQuery, Uuid } from '../schemas.js';
import { copiedToMeView, copyView } from '../views.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * 抄送 and 已阅: a participant copies a case to people and/or departments, who read it (read-only) and mark their copy
 * read; the participants see the read receipts. The engine decides (`engine/operations/copy-case.ts`, `read-copy.ts`);
 * these routes validate, find the recipients and render.
 */

const Recipient = z
  .union([z.object({ userId: z.string().min(1).max(100) }).strict(), z.object({ departmentCode: z.string().min(1).max(100) }).strict()])
  .openapi({ description: 'An active person (`userId`) whose roles read copies, or a department (`departmentCode`).' });

const CopyBody = z
  .object({
    recipients: z.array(Recipient).min(1).max(MAX_COPY_RECIPIENTS),
    note: z.string().trim().max(MAX_COPY_NOTE_LENGTH).default('').openapi({ description: 'What you want them to know (may be empty).' }),
  })
  .strict()
  .openapi('CopyCase');

const ReadCopyBody = z.object({}).strict().openapi('ReadCopy');

export const Copy = z
  .object({
    id: z.string(),
    caseId: z.string(),
    sentBy: z.string(),
    sentByName: z.string().nullable(),
    sentByDepartment: z.string(),
    recipient: z
      .union([z.object({ userId: z.string(), name: z.string().nullable() }), z.object({ departmentCode: z.string() })])
      .openapi({ description: 'A person (`userId`, with their name), or a department (`departmentCode`): anyone of it reads the copy and may mark it read.' }),
    note: z.string(),
    sentAt: z.string(),
    read: z.boolean(),
    readAt: z.string().nullable().openapi({ description: 'When it was marked read (已阅); null while unread.' }),
    readBy: z.string().nullable().openapi({ description: 'Who marked it read: its person, or someone of its department.' }),
    readByName: z.string().nullable(),
  })
  .openapi('CaseCopy');

const CopiedToMe = Copy.extend({
  caseNumber: CaseNumber,
  caseStatus: z.string(),
  serviceItem: z.object({ code: z.string(), name: z.string() }),
  applicantName: z.string().openapi({ description: 'The applicant (a person or a company): the name is always shown.' }),
}).openapi('CopiedToMe');

const CopyParams = z.object({ copyId: Uuid.openapi({ param: { name: 'copyId', in: 'path' } }) });

const copyRoute = protectedRoute('case.copy', {
  method: 'post',
  path: '/cases/{caseId}/copies',
  summary: 'Copy a case to people and/or departments (抄送)',
  description:
    'A person of a department taking part in the case (lead, intake window, or holding one of its open tasks), or a supervisor; a case in any status. ' +
    'One copy per recipient: they may then read the case, read-only, and mark the copy read (已阅). A recipient who already has an unread copy of the case ' +
    'is skipped (all skipped: `changed: false`). Yourself, your own department, an unknown or inactive person, a person whose roles do not read copies, ' +
    'an unknown department: 422. Each recipient department is told (`case.copied`); audited as `case.copied`. The case version stays.',
  request: { params: CaseParams, body: { required: true, ...json(CopyBody) } },
  responses: { 200: { description: 'Copied', ...json(CommandResult) } },
});

const caseCopiesRoute = protectedRoute('case.read', {
  method: 'get',
  path: '/cases/{caseId}/copies',
  summary: "A case's copies with their read receipts",
  description:
    "The case's participants (and supervisors) read every copy of it, oldest first: to whom, from whom, the note, and whether, when and by whom it was read. " +
    'A recipient reads the copies addressed to them or to their department. Anyone else: 404.',
  request: { params: CaseParams },
  responses: { 200: { description: 'The copies', ...json(z.object({ items: z.array(Copy) })) } },
});

const copiedToMeRoute = protectedRoute('case.copy.read', {
  method: 'get',
  path: '/copies',
  summary: 'Copied to me (抄送我的): the copies to me or my department, latest first',
  description:
    'Each with its case number, service item and applicant name, and whether it has been read (a copy to your department is read once, by anyone of it). ' +
    '`unread=true` keeps the unread ones. Paged with a capped total, like the inbox.',
  request: { query: PageQuery.extend({ unread: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }) },
  responses: { 200: { description: 'A page of copies', ...json(Page(CopiedToMe, 'CopiedToMePage')) } },
});

const readRoute = protectedRoute('case.copy.read', {
  method: 'post',
  path: '/copies/{copyId}/read',
  summary: 'Mark a copy read (已阅)',
  description:
    'Its person, or anyone of its department; when and by whom are kept once (read already: `changed: false`). A copy addressed to neither you nor your ' +
    'department: 404 `TB-COPY-404`. Audited as `copy.read`; the case version stays.',
  request: { params: CopyParams, body: { required: false, ...json(ReadCopyBody) } },
  responses: { 200: { description: 'Read', ...json(CommandResult) } },
});

export function copyRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(copyRoute, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const { recipients, note } = c.req.valid('json');
    const resolved = await Promise.all(recipients.map((r, i) => namedParty(deps, r, ['recipients', i])));
    const command = { type: 'case.copy', actor: c.get('actor'), caseId: caseId(id), recipients: resolved, note } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(caseCopiesRoute, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const copies = await deps.queries.listCaseCopies(c.get('actor'), id);
    if (!copies) throw new CaseNotFoundError(id);
    return c.json({ items: copies.map(copyView) }, 200);
  });

  app.openapi(copiedToMeRoute, async (c) => {
    const query = c.req.valid('query');
    const actor = c.get('actor');
    const page = await deps.queries.listCopiedToMe(actor, query);
    return c.json({ items: page.items.map((row) => copiedToMeView(actor, row)), page: query.page, pageSize: query.pageSize, total: page.total, totalExact: page.totalExact }, 200);
  });

  app.openapi(readRoute, async (c) => {
    const { copyId } = c.req.valid('param');
    return c.json(await deps.engine.execute({ type: 'copy.read', actor: c.get('actor'), copyId }, commandOptions(c, 200)), 200);
  });
}
