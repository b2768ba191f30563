import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApi } from '../../apps/serve-api.js';
import { getFreePort } from '../../platform/free-port.js';
import type { Logger } from '../../platform/logger.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let f: ApiFixture;
let server: { url: string; close(): Promise<void> };
let token: string;
beforeAll(async () => {
  f = await createApiFixture();
  const log: Logger = { log: () => undefined };
  server = await serveApi({ ...f, close: async () => undefined }, { port: await getFreePort(), auth: { jwtSecret: 'test-secret-of-at-least-thirty-two-characters' }, log });
  token = await f.token('window.clerk');
});
afterAll(async () => {
  await server?.close();
  await f?.close();
});

/** One request on the agent's socket: status and whether the server kept the connection. */
function send(agent: Agent, method: string, path: string, body?: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, {
      agent,
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a department system on a keep-alive connection', () => {
  it('goes on working after a body over the limit was refused with 413', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const huge = await send(agent, 'POST', '/api/cases', JSON.stringify({ serviceItemCode: 'x'.repeat(300_000) }));
      expect(huge.status).toBe(413);
      for (let i = 0; i < 3; i++) expect((await send(agent, 'GET', '/api/tasks')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
