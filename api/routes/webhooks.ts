import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { hasRole, type Actor } from '../../engine/access/actor.js';
import { ForbiddenError, InvalidCommandError, WebhookDeliveryNotFoundError, WebhookNotReplayableError, WebhookSubscriptionNotFoundError } from '../../engine/errors.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDelivery } from '../../db/webhook-deliveries.js';
import { WEBHOOK_EVENTS } from '../../db/webhook-events.js';
import type { WebhookSubscription } from '../../db/webhook-subscriptions.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { Instant, PageQuery, Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * Where a subscription's deliveries are POSTed: http or https, no credentials (a secret in a URL ends up in logs;
 * the signature authenticates), no fragment (never sent).
 */
const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2_000)
  .refine((url) => {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '';
  }, 'must not carry credentials: the signature authenticates each delivery')
  .refine((url) => !url.includes('#'), 'must not have a fragment')
  .openapi({ example: 'https://fire.example.gov.cn/tongban/webhooks' });

const Events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, 'ask for at least one event')
  .refine((events) => new Set(events).size === events.length, 'names an event twice');

const Subscription = z
  .object({
    id: z.string(),
    departmentCode: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookSubscription');

const SubscriptionWithSecret = Subscription.extend({
  secret: z.string().openapi({ description: 'The HMAC-SHA256 signing secret, shown in this answer only (docs/webhooks.md).' }),
}).openapi('WebhookSubscriptionWithSecret');

const NewSubscription = z
  .object({
    departmentCode: z.string().min(1).max(100).optional().openapi({ description: "Required of an administrator; a department system's key subscribes its own department." }),
    url: WebhookUrl,
    events: Events,
  })
  .strict()
  .openapi('NewWebhookSubscription');

const SubscriptionChange = z
  .object({ url: WebhookUrl.optional(), events: Events.optional(), active: z.boolean().optional() })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'change the url, the events or whether it is active')
  .openapi('WebhookSubscriptionChange');

const Delivery = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    departmentCode: z.string(),
    event: z.enum(WEBHOOK_EVENTS),
    caseId: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()).openapi({ description: 'The body POSTed (docs/webhooks.md).' }),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).openapi({ description: '`pending` (tried at `nextAttemptAt`), `delivered`, or `dead`: a dead letter, replayable.' }),
    attempts: z.number().int(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

const SubscriptionParams = z.object({ subscriptionId: Uuid.openapi({ param: { name: 'subscriptionId', in: 'path' } }) });
const DeliveryParams = z.object({ deliveryId: Uuid.openapi({ param: { name: 'deliveryId', in: 'path' } }) });

const createSubscription = protectedRoute('webhook.manage', {
  method: 'post',
  path: '/webhooks/subscriptions',
  summary: "Subscribe a department's system to events",
  description: 'The signing secret is shown once, in this answer; a retried request is answered without it. Security-logged.',
  request: { body: { required: true, ...json(NewSubscription) } },
  responses: { 201: { description: 'Subscribed', ...json(SubscriptionWithSecret) } },
});

const listSubscriptions = protectedRoute('webhook.manage', {
  method: 'get',
  path: '/webhooks/subscriptions',
  summary: 'Webhook subscriptions (without secrets): every department’s to an administrator, its own to a department system',
  responses: { 200: { description: 'Subscriptions', ...json(z.object({ items: z.array(Subscription) })) } },
});

const changeSubscription = protectedRoute('webhook.manage', {
  method: 'post',
  path: '/webhooks/subscriptions/{subscriptionId}/settings',
  summary: "Change a subscription's URL or events, or deactivate (and reactivate) it",
  description: 'A deactivated subscription gets no new deliveries; its pending ones wait until it is active again. Security-logged.',
  request: { params: SubscriptionParams, body: { required: true, ...json(SubscriptionChange) } },
  responses: { 200: { description: 'Changed', ...json(Subscription) } },
});

const rotateSecret = protectedRoute('webhook.manage', {
  method: 'post',
  path: '/webhooks/subscriptions/{subscriptionId}/secret-rotation',
  summary: "Give a subscription a new signing secret (shown once); the old one signs nothing from now",
  request: { params: SubscriptionParams },
  responses: { 200: { description: 'Rotated', ...json(SubscriptionWithSecret) } },
});

const replaySubscription = protectedRoute('webhook.manage', {
  method: 'post',
  path: '/webhooks/subscriptions/{subscriptionId}/replay',
  summary: 'Replay every dead letter of a subscription',
  description: 'Each is pending again with fresh attempts, due at once. Security-logged (the deliveries replayed).',
  request: { params: SubscriptionParams },
  responses: { 200: { description: 'Replayed', ...json(z.object({ replayed: z.array(z.string()) })) } },
});

const listDeliveries = protectedRoute('webhook.manage', {
  method: 'get',
  path: '/webhooks/deliveries',
  summary: "Webhook deliveries, newest first: a department system's own department's, every department's to an administrator",
  description: 'How a system that was down recovers what it missed: `since` the instant it went down (the payloads are here), or `status=dead` for the dead letters to replay.',
  request: {
    query: PageQuery.extend({
      status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
      subscriptionId: Uuid.optional(),
      since: Instant.optional(),
    }),
  },
  responses: { 200: { description: 'A page of deliveries', ...json(z.object({ items: z.array(Delivery), page: z.number(), pageSize: z.number() })) } },
});

const replayDelivery = protectedRoute('webhook.manage', {
  method: 'post',
  path: '/webhooks/deliveries/{deliveryId}/replay',
  summary: 'Replay a dead letter: pending again with fresh attempts, due at once',
  description: 'Only a dead letter of an active subscription (409 otherwise). Security-logged.',
  request: { params: DeliveryParams },
  responses: { 200: { description: 'Replayed', ...json(Delivery) } },
});

const iso = (d: Date) => d.toISOString();
const subscriptionView = (s: WebhookSubscription) => ({ ...s, createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) });
const deliveryView = (d: WebhookDelivery) => ({
  ...d,
  event: d.event as (typeof WEBHOOK_EVENTS)[number],
  nextAttemptAt: iso(d.nextAttemptAt),
  createdAt: iso(d.createdAt),
  deliveredAt: d.deliveredAt ? iso(d.deliveredAt) : null,
});

/** Whose webhooks the actor manages: an administrator every department's (null), a department system its own. */
const scopeOf = (actor: Actor): string | null => (hasRole(actor, 'admin') ? null : actor.departmentCode);

export function webhookRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  const subscriptionOf = async (actor: Actor, id: string) => {
    const found = await deps.queries.findWebhookSubscription(id, scopeOf(actor));
    if (!found) throw new WebhookSubscriptionNotFoundError(id);
    return found;
  };
  const by = (actor: Actor) => ({ actor, now: deps.clock.now() });

  app.openapi(createSubscription, async (c) => {
    const actor = c.get('actor');
    const body = c.req.valid('json');
    const scope = scopeOf(actor);
    const departmentCode = body.departmentCode ?? scope;
    if (departmentCode === null) throw new InvalidCommandError('Name the department whose system subscribes.', ['departmentCode']);
    if (scope !== null && departmentCode !== scope) throw new ForbiddenError('subscribe another department', `your key is ${scope}'s`);
    if (!(await deps.queries.departmentExists(departmentCode))) throw new InvalidCommandError(`There is no department ${departmentCode}.`, ['departmentCode']);
    const { secret, ...created } = await deps.queries.createWebhookSubscription({ departmentCode, url: body.url, events: body.events, ...by(actor) });
    // The secret is shown once: a retried request is answered with the subscription, without it.
    c.set('replayAnswer', subscriptionView(created));
    return c.json({ ...subscriptionView(created), secret }, 201);
  });

  app.openapi(listSubscriptions, async (c) => c.json({ items: (await deps.queries.listWebhookSubscriptions(scopeOf(c.get('actor')))).map(subscriptionView) }, 200));

  app.openapi(changeSubscription, async (c) => {
    const actor = c.get('actor');
    const { subscriptionId } = c.req.valid('param');
    await subscriptionOf(actor, subscriptionId);
    const changed = await deps.queries.changeWebhookSubscription(subscriptionId, c.req.valid('json'), by(actor));
    if (!changed) throw new WebhookSubscriptionNotFoundError(subscriptionId);
    return c.json(subscriptionView(changed), 200);
  });

  app.openapi(rotateSecret, async (c) => {
    const actor = c.get('actor');
    const { subscriptionId } = c.req.valid('param');
    await subscriptionOf(actor, subscriptionId);
    const rotated = await deps.queries.rotateWebhookSecret(subscriptionId, by(actor));
    if (!rotated) throw new WebhookSubscriptionNotFoundError(subscriptionId);
    const { secret, ...subscription } = rotated;
    c.set('replayAnswer', subscriptionView(subscription));
    return c.json({ ...subscriptionView(subscription), secret }, 200);
  });

  app.openapi(replaySubscription, async (c) => {
    const actor = c.get('actor');
    const { subscriptionId } = c.req.valid('param');
    const subscription = await subscriptionOf(actor, subscriptionId);
    if (!subscription.active) throw new WebhookNotReplayableError(subscriptionId, 'subscription-inactive');
    return c.json({ replayed: await deps.queries.replayDeadLetters({ subscriptionId }, by(actor)) }, 200);
  });

  app.openapi(listDeliveries, async (c) => {
    const { page, pageSize, status, subscriptionId, since } = c.req.valid('query');
    const items = await deps.queries.listWebhookDeliveries({
      department: scopeOf(c.get('actor')),
      status,
      subscriptionId,
      since: since === undefined ? undefined : new Date(since),
      page,
      pageSize,
    });
    return c.json({ items: items.map(deliveryView), page, pageSize }, 200);
  });

  app.openapi(replayDelivery, async (c) => {
    const actor = c.get('actor');
    const { deliveryId } = c.req.valid('param');
    const delivery = await deps.queries.findWebhookDelivery(deliveryId, scopeOf(actor));
    if (!delivery) throw new WebhookDeliveryNotFoundError(deliveryId);
    if (delivery.status !== 'dead') throw new WebhookNotReplayableError(deliveryId, 'not-dead');
    if (!(await subscriptionOf(actor, delivery.subscriptionId)).active) throw new WebhookNotReplayableError(deliveryId, 'subscription-inactive');
    // Replayed by someone else, or its subscription deactivated, between the read and the replay.
    if ((await deps.queries.replayDeadLetters({ deliveryId }, by(actor))).length === 0) throw new WebhookNotReplayableError(deliveryId, 'not-dead');
    const after = await deps.queries.findWebhookDelivery(deliveryId, null);
    return c.json(deliveryView(after ?? delivery), 200);
  });
}
