import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { OPINION_VISIBILITIES } from '../../engine/case-command.js';
import { caseId } from '../../engine/ids.js';
import { MAX_COMMENT_LENGTH } from '../../engine/operations/comment-case.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** 批注: a comment on a case, said without acting on it. The engine decides (`engine/operations/comment-case.ts`). */

const CommentBody = z
  .object({
    text: z.string().trim().min(1, 'must not be empty').max(MAX_COMMENT_LENGTH),
    visibility: z.enum(OPINION_VISIBILITIES).openapi({
      description: "As an opinion's: `internal` is read by the comment's department, the lead department and supervisors (the other departments once the joint decision is made); `public` by everyone who reads the case.",
    }),
  })
  .strict()
  .openapi('CommentCase');

const commentRoute = protectedRoute('case.comment', {
  method: 'post',
  path: '/cases/{caseId}/comments',
  summary: 'Comment on a case (批注)',
  description:
    'A person of a department taking part in the case (lead, intake window, or holding one of its open tasks), or a supervisor, on a case still to be ' +
    'decided (running or suspended; a decided case: 409 `TB-CASE-CLOSED`). Shown in the case (`comments`) by the rules of opinions. ' +
    'Audited as `case.commented`; the case version stays.',
  request: { params: CaseParams, body: { required: true, ...json(CommentBody) } },
  responses: { 200: { description: 'Commented', ...json(CommandResult) } },
});

export function commentRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(commentRoute, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const { text, visibility } = c.req.valid('json');
    return c.json(await deps.engine.execute({ type: 'case.comment', actor: c.get('actor'), caseId: caseId(id), text, visibility }, commandOptions(c, 200)), 200);
  });
}
