import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook is signed (`docs/webhooks.md`): `X-Tongban-Signature: sha256=<hex>`, the HMAC-SHA256 with the
 * subscription's secret of `<timestamp>.<body>`, where `<timestamp>` is `X-Tongban-Timestamp` (Unix seconds at the
 * attempt). Signing the timestamp with the body lets a receiver refuse an old request replayed to it.
 */
export const SIGNATURE_SCHEME = 'sha256';

/**
 * The signature header's value for a body sent at `timestamp` (Unix seconds).
 *
 * @example
 * const signature = signWebhook(secret, 1796169600, '{"event":"task.opened"}'); // 'sha256=5d1c…'
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_SCHEME}=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Why a receiver refuses a request, or null when it is genuine and fresh. */
export type WebhookRejection = 'malformed' | 'stale' | 'forged' | null;

/**
 * What a receiver checks, in the order it should: a timestamp within `toleranceSeconds` of its own clock (an old
 * request replayed is refused even with a valid signature), then the signature, compared in constant time. A
 * receiver also remembers the `X-Tongban-Delivery` ids it has processed within the tolerance: a delivery is sent
 * again after a failed attempt or a replay, with the same id.
 */
export function verifyWebhook(
  secret: string,
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): WebhookRejection {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale';
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? null : 'forged';
}
