import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem, problemType } from './problem.js';

/** Requests are JSON commands and queries; anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Refuses a body over {@link MAX_BODY_BYTES} with 413, and closes the connection after answering. The
 * refused body is left unread on the socket: kept alive, the connection would be cut under the client's
 * next request once the server gives up draining it, and reading it all would hand an attacker the
 * bandwidth the limit exists to save. `Connection: close` tells a keep-alive client to open a new one.
 */
export function limitBody(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      c.header('Connection', 'close');
      return problem(c, {
        type: problemType('http-413'),
        title: 'Payload too large',
        status: 413,
        code: 'TB-HTTP-413',
        detail: `Bodies are limited to ${MAX_BODY_BYTES} bytes.`,
      });
    },
  });
}
