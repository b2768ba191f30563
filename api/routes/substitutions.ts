import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { SubstitutionListing } from '../../db/substitution-queries.js';
import { taskId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CommandResult, ExpectedVersion, Instant, Reason, Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** 代理: the windows in which a substitute stands in for an absent person, and the take-over (接办) of their tasks. */

const Person = z.object({ id: z.string(), name: z.string() });

const SUBSTITUTION_STATES = ['upcoming', 'active', 'ended', 'cancelled'] as const;

const Substitution = z
  .object({
    id: z.string(),
    absent: Person.openapi({ description: 'Who is away.' }),
    substitute: Person.openapi({ description: 'Who stands in for them.' }),
    startsAt: z.string(),
    endsAt: z.string(),
    reason: z.string(),
    createdAt: z.string(),
    cancelledAt: z.string().nullable(),
    state: z.enum(SUBSTITUTION_STATES).openapi({ description: 'Read on the engine’s clock: `active` while `[startsAt, endsAt)` holds and it is not cancelled.' }),
  })
  .openapi('Substitution');

const Substitutions = z
  .object({
    mine: z.array(Substitution).openapi({ description: 'Your windows (you are away), current and to come, and those ended in the last 30 days.' }),
    standingIn: z.array(Substitution).openapi({ description: 'The windows in which you stand in for someone, likewise.' }),
  })
  .openapi('Substitutions');

const SubstitutionBody = z
  .object({
    substituteId: z.string().min(1).openapi({ description: 'A person of your department (`GET /api/departments/{code}/people`) who handles every kind of task you handle.' }),
    startsAt: Instant.optional().openapi({ description: 'When the window begins; now when left out (a start in the past counts from now).' }),
    endsAt: Instant.openapi({ description: 'When it ends: in the future, at most 90 days after it begins.' }),
    reason: Reason.openapi({ description: 'Why you are away (出差, 休假…): shown to your substitute and on the security log.' }),
  })
  .strict()
  .openapi('NewSubstitution');

const SubstitutionParams = z.object({ substitutionId: Uuid.openapi({ param: { name: 'substitutionId', in: 'path' } }) });

const listSubstitutions = protectedRoute('substitution.manage', {
  method: 'get',
  path: '/me/substitutions',
  summary: 'My substitution windows (代理), both ways',
  description: 'The windows in which someone stands in for me, and those in which I stand in for someone: current, to come, and ended in the last 30 days.',
  responses: { 200: { description: 'The windows', ...json(Substitutions) } },
});

const setSubstitution = protectedRoute('substitution.manage', {
  method: 'post',
  path: '/me/substitutions',
  summary: 'Name a substitute for a time (代理)',
  description:
    'While the window holds, a task opened for you as a named signer opens claimed by your substitute, for you, and your substitute may take over (接办) ' +
    'the tasks you hold — except the steps the definition keeps for you in person. Refused with 422 naming the field, nothing written: a substitute who is ' +
    'not an active person of your department handling every kind of task you handle, yourself, a window that does not end after it starts, ends in the past ' +
    'or lasts over 90 days, one overlapping another window of yours, or a chain (your substitute away then, or you standing in for someone then). ' +
    'Recorded on the security log (`substitution.set`).',
  request: { body: { required: true, ...json(SubstitutionBody) } },
  responses: { 201: { description: 'Set', ...json(Substitution) } },
});

const cancelSubstitution = protectedRoute('substitution.manage', {
  method: 'post',
  path: '/me/substitutions/{substitutionId}/cancellation',
  summary: 'Cancel one of my substitution windows',
  description:
    'From now on it holds no more; the tasks opened for or taken over by the substitute stay theirs. Cancelling it again changes nothing; ' +
    'another person’s window answers 404, an ended one 409. Recorded on the security log (`substitution.cancelled`).',
  request: { params: SubstitutionParams },
  responses: { 200: { description: 'Cancelled', ...json(Substitution) } },
});

const TakeOverBody = z.object({ expectedVersion: ExpectedVersion }).strict().openapi('TakeOver');

const takeOverTask = protectedRoute('task.take-over', {
  method: 'post',
  path: '/tasks/{taskId}/take-over',
  summary: 'Take over a task of the person you stand in for (接办)',
  description:
    'The task held by the person you stand in for becomes yours, held for them; its id, due date and clock stay. Only while your window holds, on a task of ' +
    'your department and of a kind your roles handle: outside the window, a task not held by that person, one delegated pending (委派), a step the ' +
    'definition keeps for its holder in person, a closed task or a case not running answer 409; standing in for nobody who holds it, 403. ' +
    'Audited as task.taken-over with both people and the window.',
  request: { params: z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) }), body: { required: false, ...json(TakeOverBody) } },
  responses: { 200: { description: 'Taken over', ...json(CommandResult) } },
});

export function substitutionRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listSubstitutions, async (c) => {
    const actor = c.get('actor');
    const now = deps.engine.now(); // legal time is the engine's: the window routes on its clock
    const windows = await deps.queries.listSubstitutions(actor.userId, now);
    const view = (s: SubstitutionListing) => substitutionView(s, now);
    return c.json({ mine: windows.filter((s) => s.absent.id === actor.userId).map(view), standingIn: windows.filter((s) => s.substitute.id === actor.userId).map(view) }, 200);
  });

  app.openapi(setSubstitution, async (c) => {
    const { substituteId, startsAt, endsAt, reason } = c.req.valid('json');
    const now = deps.engine.now();
    const set = await deps.queries.createSubstitution({ actor: c.get('actor'), substituteId, startsAt: startsAt ? new Date(startsAt) : null, endsAt: new Date(endsAt), reason, now });
    return c.json(substitutionView(set, now), 201);
  });

  app.openapi(cancelSubstitution, async (c) => {
    const { substitutionId } = c.req.valid('param');
    const now = deps.engine.now();
    return c.json(substitutionView(await deps.queries.cancelSubstitution({ actor: c.get('actor'), id: substitutionId, now }), now), 200);
  });

  app.openapi(takeOverTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const { expectedVersion } = c.req.valid('json') ?? {};
    const actor = c.get('actor');
    // The window the engine decides on: between whom holds the task (as read now; the engine checks it under the lock) and
    // the caller — or, on a task the caller holds already for someone, that person (a repeat, which changes nothing).
    const held = (await deps.queries.findDepartmentTask(actor.departmentCode, id))?.task;
    const absent = held?.assigneeId === actor.userId ? held.substitutedFor : (held?.assigneeId ?? null);
    const substitution = absent ? await deps.queries.substitutionBetween(absent, actor.userId, deps.engine.now()) : null;
    const command = { type: 'task.take-over', actor, taskId: taskId(id), substitution, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });
}

function substitutionView(s: SubstitutionListing, now: Date) {
  const state = s.cancelledAt ? 'cancelled' : now < s.startsAt ? 'upcoming' : now < s.endsAt ? 'active' : 'ended';
  return {
    id: s.id,
    absent: s.absent,
    substitute: s.substitute,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    reason: s.reason,
    createdAt: s.createdAt.toISOString(),
    cancelledAt: s.cancelledAt ? s.cancelledAt.toISOString() : null,
    state,
  } as const;
}
