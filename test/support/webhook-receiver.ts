import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, type WebhookRejection } from '../../workers/webhook-signature.js';

/** A request a department system received, with the verdict of its signature check. */
export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly payload: Record<string, unknown>;
  readonly verdict: WebhookRejection;
  /** What the receiver answered. */
  readonly status: number;
}

/**
 * Department systems on a real HTTP server (a free port on 127.0.0.1), one per path: each checks the signature
 * with its path's secret, as `docs/webhooks.md` tells a receiver to, against the given clock (Unix seconds), and
 * answers what its path's `answer` says (200 by default): a system that is down answers 503.
 */
export async function startWebhookReceiver(nowSeconds: () => number) {
  const secrets = new Map<string, string>();
  const answers = new Map<string, () => number>();
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
      const verdict = verifyWebhook(secrets.get(path) ?? '', { timestamp: header('x-tongban-timestamp'), signature: header('x-tongban-signature') }, body, nowSeconds());
      const status = verdict === null ? (answers.get(path)?.() ?? 200) : 401;
      received.push({ path, headers: req.headers, body, payload: JSON.parse(body) as Record<string, unknown>, verdict, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** Who signs for `path`: the secret its subscription was given. */
    trust(path: string, secret: string) {
      secrets.set(path, secret);
    },
    /** How `path` answers from now: a status per request. */
    answer(path: string, status: () => number) {
      answers.set(path, status);
    },
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
