import { randomUUID } from 'node:crypto';

/** The header a request id comes in and goes back in. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * Printable ASCII without spaces, at most 64 characters: what a gateway or a client sends (a UUID, a hex or
 * base64 trace id) fits; anything else — long enough to carry a payload, or holding spaces or control characters that
 * could forge another log line — is replaced rather than refused, since a request is not wrong for a bad trace id.
 */
const ACCEPTED = /^[\x21-\x7e]{1,64}$/;

/**
 * The request id of a request: the one it sent in `X-Request-Id` when acceptable, otherwise a new UUID.
 *
 * @example requestIdFrom(c.req.header('x-request-id'))
 */
export function requestIdFrom(sent: string | undefined): string {
  return sent !== undefined && ACCEPTED.test(sent) ? sent : randomUUID();
}
