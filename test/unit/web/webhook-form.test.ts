import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS as API_EVENTS } from '../../../db/webhook-events.js';
import { URL_MAX, WEBHOOK_EVENTS, newSubscriptionBody, subscriptionChange, webhookFormProblems, type WebhookSubscription } from '../../../web/src/lib/webhook-form.js';
import adminMessages from '../../../web/src/pages/admin/messages.js';

const VALID = { departmentCode: 'fire', url: 'https://fire.example.gov.cn/hooks', events: ['task.opened' as const] };
const SUBSCRIPTION: WebhookSubscription = {
  id: 's1',
  departmentCode: 'fire',
  url: 'https://fire.example.gov.cn/hooks',
  events: ['task.opened', 'task.overdue'],
  active: true,
  createdBy: 'admin',
  createdAt: '2026-11-02T01:00:00.000Z',
  updatedAt: '2026-11-02T01:00:00.000Z',
};

describe('the webhook subscription form', () => {
  it('offers exactly the events the API sends', () => {
    expect([...WEBHOOK_EVENTS].sort()).toEqual([...API_EVENTS].sort());
  });

  it('names what is missing before anything is sent', () => {
    expect(webhookFormProblems(VALID)).toEqual({});
    expect(webhookFormProblems({ departmentCode: '', url: ' ', events: [] })).toEqual({ departmentCode: 'required', url: 'required', events: 'required' });
  });

  it('refuses the URLs the API refuses: another scheme, credentials, a fragment, too long, not a URL', () => {
    const url = (text: string) => webhookFormProblems({ ...VALID, url: text }).url;
    expect(url('http://10.0.0.7:8080/tongban')).toBeUndefined();
    expect(url('ftp://fire.example.gov.cn/hooks')).toBe('scheme');
    expect(url('https://user:secret@fire.example.gov.cn/hooks')).toBe('credentials');
    expect(url('https://fire.example.gov.cn/hooks#top')).toBe('fragment');
    expect(url(`https://fire.example.gov.cn/${'x'.repeat(URL_MAX)}`)).toBe('tooLong');
    expect(url('fire.example.gov.cn/hooks')).toBe('invalid');
  });

  it('sends the URL trimmed; an edit sends only what changed, and nothing when nothing did', () => {
    expect(newSubscriptionBody({ ...VALID, url: ` ${VALID.url} ` })).toEqual(VALID);
    const form = { departmentCode: 'fire', url: SUBSCRIPTION.url, events: [...SUBSCRIPTION.events].reverse() };
    expect(subscriptionChange(form, SUBSCRIPTION)).toBeNull();
    expect(subscriptionChange({ ...form, url: 'https://fire.example.gov.cn/v2' }, SUBSCRIPTION)).toEqual({ url: 'https://fire.example.gov.cn/v2' });
    expect(subscriptionChange({ ...form, events: ['case.decided'] }, SUBSCRIPTION)).toEqual({ events: ['case.decided'] });
  });

  it('has a label for every event and every refusal, in both languages', () => {
    const at = (tree: unknown, path: string) => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
    for (const locale of ['zh-CN', 'en'] as const) {
      const texts = (adminMessages[locale].admin as { webhooks: unknown }).webhooks;
      for (const event of WEBHOOK_EVENTS) expect(typeof at(texts, `event.${event}`), `${locale} ${event}`).toBe('string');
      for (const problem of ['scheme', 'credentials', 'fragment', 'tooLong', 'invalid', 'required']) expect(typeof at(texts, `problem.url.${problem}`), `${locale} ${problem}`).toBe('string');
    }
  });
});
