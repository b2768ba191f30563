import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../workers/webhook-signature.js';

const SECRET = 'whsec_test-secret';
const BODY = '{"event":"task.opened","caseId":"c1"}';
const AT = 1_796_169_600;

describe('webhook signatures', () => {
  it('sign the timestamp and the body together: sha256=<hex HMAC of "<timestamp>.<body>">', () => {
    const hex = createHmac('sha256', SECRET).update(`${AT}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, AT, BODY)).toBe(`sha256=${hex}`);
    // Another instant, body or secret signs differently.
    expect(signWebhook(SECRET, AT + 1, BODY)).not.toBe(`sha256=${hex}`);
    expect(signWebhook(SECRET, AT, `${BODY} `)).not.toBe(`sha256=${hex}`);
    expect(signWebhook('whsec_other', AT, BODY)).not.toBe(`sha256=${hex}`);
  });

  it('a receiver accepts a genuine, fresh request', () => {
    const headers = { timestamp: String(AT), signature: signWebhook(SECRET, AT, BODY) };
    expect(verifyWebhook(SECRET, headers, BODY, AT + 299)).toBeNull();
    expect(verifyWebhook(SECRET, headers, BODY, AT - 299)).toBeNull();
  });

  it('refuses a request replayed after the tolerance, even with a valid signature', () => {
    const headers = { timestamp: String(AT), signature: signWebhook(SECRET, AT, BODY) };
    expect(verifyWebhook(SECRET, headers, BODY, AT + 301)).toBe('stale');
    expect(verifyWebhook(SECRET, headers, BODY, AT + 61, 60)).toBe('stale');
  });

  it('refuses a changed body, a moved timestamp, another secret and missing headers', () => {
    const signature = signWebhook(SECRET, AT, BODY);
    expect(verifyWebhook(SECRET, { timestamp: String(AT), signature }, BODY.replace('c1', 'c2'), AT)).toBe('forged');
    expect(verifyWebhook(SECRET, { timestamp: String(AT + 5), signature }, BODY, AT)).toBe('forged');
    expect(verifyWebhook('whsec_other', { timestamp: String(AT), signature }, BODY, AT)).toBe('forged');
    expect(verifyWebhook(SECRET, { timestamp: String(AT), signature: 'sha256=00' }, BODY, AT)).toBe('forged');
    expect(verifyWebhook(SECRET, { timestamp: undefined, signature }, BODY, AT)).toBe('malformed');
    expect(verifyWebhook(SECRET, { timestamp: 'yesterday', signature }, BODY, AT)).toBe('malformed');
    expect(verifyWebhook(SECRET, { timestamp: String(AT), signature: undefined }, BODY, AT)).toBe('malformed');
  });
});
