import type { components } from '../api/schema.js';

/** A subscription as the API lists it, and the events a department system may ask for. */
export type WebhookSubscription = components['schemas']['WebhookSubscription'];
export type WebhookEvent = WebhookSubscription['events'][number];

/**
 * Every event, in the order the form lists them: a record over the API's own list, so the type check fails the day
 * the API offers one more or one fewer.
 */
const EVENT_SET: Record<WebhookEvent, true> = {
  'task.opened': true,
  'task.warned': true,
  'task.overdue': true,
  'case.decided': true,
  'licence.issued': true,
};
export const WEBHOOK_EVENTS = Object.keys(EVENT_SET) as WebhookEvent[];

/** The API's limit on a URL (it checks every rule below again). */
export const URL_MAX = 2_000;

export interface WebhookForm {
  departmentCode: string;
  url: string;
  events: WebhookEvent[];
}

export type WebhookFormProblem = 'required' | 'invalid' | 'scheme' | 'credentials' | 'fragment' | 'tooLong';

/**
 * What is wrong with the form, by field (message keys under `admin.webhooks.problem`); empty when it may be sent. The
 * URL's rules are the API's: http or https, no credentials (the signature authenticates), no fragment.
 */
export function webhookFormProblems(form: WebhookForm): Partial<Record<keyof WebhookForm, WebhookFormProblem>> {
  const url = urlProblem(form.url.trim());
  return {
    ...(form.departmentCode === '' ? { departmentCode: 'required' as const } : {}),
    ...(url ? { url } : {}),
    ...(form.events.length === 0 ? { events: 'required' as const } : {}),
  };
}

function urlProblem(text: string): WebhookFormProblem | null {
  if (text === '') return 'required';
  if (text.length > URL_MAX) return 'tooLong';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'invalid';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme';
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (text.includes('#')) return 'fragment';
  return null;
}

/** What `POST /api/webhooks/subscriptions` takes from the form. */
export function newSubscriptionBody(form: WebhookForm): components['schemas']['NewWebhookSubscription'] {
  return { departmentCode: form.departmentCode, url: form.url.trim(), events: [...form.events] };
}

/** What changed from the subscription as it was (`…/settings` takes only that); null when nothing did. */
export function subscriptionChange(form: WebhookForm, before: WebhookSubscription): components['schemas']['WebhookSubscriptionChange'] | null {
  const url = form.url.trim();
  const sameEvents = form.events.length === before.events.length && form.events.every((e) => before.events.includes(e));
  const change = { ...(url === before.url ? {} : { url }), ...(sameEvents ? {} : { events: [...form.events] }) };
  return Object.keys(change).length === 0 ? null : change;
}
