import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { outcomeFacts, taskOutcomeVisibleTo } from '../../engine/access/opinion-visibility.js';
import { restoreSnapshot } from '../../engine/case-snapshot.js';
import type { CaseContext } from '../../engine/definitions/case-machine.js';
import { COUNTERSIGN_MODES, type Countersign } from '../../engine/definitions/countersign.js';
import { reviewMembers } from '../../engine/definitions/review-members.js';
import { CaseNotFoundError, TaskNotFoundError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import { returnTargetsOf } from '../../engine/operations/available-moves.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult, ExpectedVersion, Reason, Uuid } from '../schemas.js';
import { ReturnTarget } from './case-moves.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * Joint reviews (联合审查) and countersign steps (会签 / 或签 / 依次 / 票签) of a case: who takes part and why, each
 * signer's vote as far as the reader may see it, the lead department's changes of members and its closing of a
 * review after a rejection, and where a task may be returned (退回).
 */

const ReviewParams = CaseParams.extend({ review: z.string().min(1).max(100).openapi({ param: { name: 'review', in: 'path' }, example: 'jointReview' }) });

const MembersBody = z
  .object({
    department: z.string().min(1).max(100),
    joins: z.boolean().openapi({ description: 'True adds the department to the review, false removes it; only a member the definition leaves optional.' }),
    reason: Reason,
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('ReviewMembersChange');

const CloseBody = z.object({ reason: Reason, expectedVersion: ExpectedVersion }).strict().openapi('ReviewClose');

const Vote = z.enum(['approve', 'reject']).nullable();

const JointReviews = z
  .object({
    caseId: z.string(),
    version: z.number().int(),
    reviews: z.array(
      z.object({
        review: z.string(),
        members: z.array(
          z.object({
            department: z.string(),
            required: z.boolean(),
            joins: z.boolean(),
            whenAnswer: z.string().nullable().openapi({ description: "The application's answer an optional member follows." }),
            answer: z.union([z.string(), z.number(), z.boolean()]).nullable(),
            change: z.object({ joins: z.boolean(), reason: z.string() }).nullable().openapi({ description: "The lead department's decision on this member, with its reason." }),
          }),
        ),
      }),
    ),
    countersigns: z.array(
      z.object({
        step: z.string(),
        title: z.string(),
        mode: z.enum(COUNTERSIGN_MODES),
        threshold: z.object({ numerator: z.number().int(), denominator: z.number().int() }).nullable(),
        outcome: z.enum(['approved', 'rejected']).nullable(),
        signers: z.array(
          z.object({
            task: z.string(),
            department: z.string(),
            person: z.string().nullable(),
            weight: z.number().int(),
            vote: Vote.openapi({ description: 'Null: not yet, cancelled, or not yours to see before the joint decision.' }),
            reason: z.string().nullable(),
            withheld: z.boolean().openapi({ description: 'True when the vote is not shown to you yet (opinion rules).' }),
          }),
        ),
      }),
    ),
  })
  .openapi('JointReviews');

const getJointReviews = protectedRoute('case.read', {
  method: 'get',
  path: '/cases/{caseId}/joint-reviews',
  summary: 'The joint reviews and countersign steps of a case',
  description:
    'Each joint review with its member departments (required or optional, taking part or not, by the application\'s answer or the lead\'s decision ' +
    'and its reason), and each countersign step with its mode, threshold, outcome and signers; a vote and its reasons are shown as the opinion ' +
    'rules allow (another member department reads them once the joint decision is made).',
  request: { params: CaseParams },
  responses: { 200: { description: 'Reviews and countersigns', ...json(JointReviews) } },
});

const changeMembers = protectedRoute('review.members.change', {
  method: 'post',
  path: '/cases/{caseId}/joint-reviews/{review}/members',
  summary: 'Add a department to a joint review, or remove one (the lead department)',
  description: 'Only where the definition allows it (before the review starts, a member it leaves optional); the reason is kept and audited. Otherwise 409.',
  request: { params: ReviewParams, body: { required: true, ...json(MembersBody) } },
  responses: { 200: { description: 'Changed', ...json(CommandResult) } },
});

const closeReview = protectedRoute('review.close', {
  method: 'post',
  path: '/cases/{caseId}/joint-reviews/{review}/closure',
  summary: 'Close a joint review after a rejection (the lead department)',
  description: 'Where the definition lets every member finish after a rejection: the reviews still open are cancelled and the case goes to its refusal with every reason given. Without a rejection, 409.',
  request: { params: ReviewParams, body: { required: true, ...json(CloseBody) } },
  responses: { 200: { description: 'Closed', ...json(CommandResult) } },
});

const getReturnTargets = protectedRoute('task.read', {
  method: 'get',
  path: '/tasks/{taskId}/return-targets',
  summary: 'Where an open task of yours may be returned (退回) now',
  description: 'The targets its definition declares that the engine would accept from you now, the default first; empty when it cannot be returned now or its return is fixed.',
  request: { params: z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) }) },
  responses: { 200: { description: 'The targets', ...json(z.object({ taskId: z.string(), version: z.number().int(), targets: z.array(ReturnTarget) }).openapi('ReturnTargets')) } },
});

export function jointReviewRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(getJointReviews, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const actor = c.get('actor');
    const view = await deps.queries.findVisibleCase(actor, id);
    if (!view) throw new CaseNotFoundError(id);
    const definition = await deps.queries.processDefinition(view.case.definitionKey, view.case.definitionVersion);
    const context: CaseContext = restoreSnapshot(definition, view.case.snapshot).context;
    const facts = outcomeFacts(view.case, view.tasks, view.opinions);
    // A signer's vote tells what their opinion says: shown exactly when that opinion is (the latest task of the signer's key).
    const shown = (key: string) => {
      const task = view.tasks.filter((t) => t.key === key && t.status === 'completed').at(-1);
      return task !== undefined && taskOutcomeVisibleTo(actor, task.id, facts);
    };
    const steps: [string, Countersign][] = Object.entries(context.countersigns ?? {});
    const countersigns = steps.map(([step, s]) => ({
      step,
      title: s.title,
      mode: s.mode,
      threshold: s.threshold,
      outcome: s.outcome,
      signers: s.signers.map((signer) => {
        const withheld = signer.vote !== null && !shown(signer.task);
        return { ...signer, vote: withheld ? null : signer.vote, reason: withheld ? null : signer.reason, withheld };
      }),
    }));
    return c.json({ caseId: view.case.id, version: view.case.version, reviews: reviewMembers(definition, context).map((r) => ({ ...r, members: [...r.members] })), countersigns }, 200);
  });

  app.openapi(changeMembers, async (c) => {
    const { caseId: id, review } = c.req.valid('param');
    const { department, joins, reason, expectedVersion } = c.req.valid('json');
    const command = { type: 'review.members.change', actor: c.get('actor'), caseId: caseId(id), review, department, joins, reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(closeReview, async (c) => {
    const { caseId: id, review } = c.req.valid('param');
    const { reason, expectedVersion } = c.req.valid('json');
    const command = { type: 'review.close', actor: c.get('actor'), caseId: caseId(id), review, reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(getReturnTargets, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const actor = c.get('actor');
    const row = await deps.queries.findDepartmentTask(actor.departmentCode, id);
    const at = row && (await deps.queries.findVisibleCaseAtRest(actor, row.task.caseId));
    if (!row || !at) throw new TaskNotFoundError(id);
    const task = at.openTasks.find((t) => t.id === id);
    const [definition, calendar, serviceItem] = await Promise.all([
      deps.queries.processDefinition(at.case.definitionKey, at.case.definitionVersion),
      deps.queries.workingCalendar(at.case.calendarCode),
      deps.queries.serviceItem(at.case.serviceItemCode, at.case.serviceItemVersion),
    ]);
    const targets = task ? returnTargetsOf(actor, at, task, { definition, calendar, now: deps.engine.now(), serviceItem }) : [];
    return c.json({ taskId: id, version: at.case.version, targets }, 200);
  });
}
