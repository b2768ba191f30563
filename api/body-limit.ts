import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem, problemType } from './problem.js';

/** Requests are JSON commands and queries; anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 256 * 1024;

/** A body limit other than the JSON one: an upload's (`TB-UPLOAD-TOO-LARGE`, its configured size). */
export interface BodyLimit {
  readonly maxBytes: number;
  readonly code: `TB-${string}`;
  readonly detail: string;
}

const JSON_LIMIT: BodyLimit = { maxBytes: MAX_BODY_BYTES, code: 'TB-HTTP-413', detail: `Bodies are limited to ${MAX_BODY_BYTES} bytes.` };

/**
 * Refuses a body over {@link MAX_BODY_BYTES} (or `limit`) with 413, and closes the connection after answering. The
 * refused body is left unread on the socket: kept alive, the connection would be cut under the client's
 * next request once the server gives up draining it, and reading it all would hand an attacker the
 * bandwidth the limit exists to save. `Connection: close` tells a keep-alive client to open a new one.
 */
export function limitBody(limit: BodyLimit = JSON_LIMIT): MiddlewareHandler {
  const refuse = (c: Context) => {
    c.header('Connection', 'close');
    return problem(c, { type: problemType(limit.code === 'TB-HTTP-413' ? 'http-413' : limit.code), title: 'Payload too large', status: 413, code: limit.code, detail: limit.detail });
  };
  const counted = bodyLimit({ maxSize: limit.maxBytes, onError: refuse });
  return async (c, next) => {
    // Hono's limit first asks for the body stream, and that makes @hono/node-server build a whole Fetch Request over
    // the socket for every request; the declared length answers without it. A chunked body has none: counted as read.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    return Number.parseInt(length || '0', 10) > limit.maxBytes ? refuse(c) : next();
  };
}
