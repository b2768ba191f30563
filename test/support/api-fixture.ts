import { createApp } from '../../api/app.js';
import { mintToken, type AuthConfig } from '../../api/auth.js';
import { apiDeps } from '../../apps/serve-api.js';
import { systemClock } from '../../platform/system-clock.js';
import type { RedisView } from '../../workers/readiness.js';
import { createEngineFixture, type EngineFixture } from './engine-fixture.js';
import { TEST_JWT_SECRET } from './test-auth.js';


/** A JSON answer: status, parsed body and content type. */
export interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
  readonly contentType: string | null;
}

export interface ApiFixture extends EngineFixture {
  readonly app: ReturnType<typeof createApp>;
  /** Requests as a demo user (a real signed token); `as(null)` sends no token. */
  as(user: string | null): {
    get<T = any>(path: string): Promise<Answer<T>>;
    post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>>;
  };
  token(user: string): Promise<string>;
  /** Another API process on the same database: nothing cached. */
  freshApp(): ReturnType<typeof createApp>;
}

/**
 * The API in memory (`app.request`) over a real engine and database; `demoSignIn` as `npm start` runs it. With
 * `redis` (the caller's connection and queue prefix, closed by the caller), as an API process with REDIS_URL.
 */
export async function createApiFixture(options: Pick<AuthConfig, 'demoSignIn' | 'identityProvider'> = {}, redis?: RedisView): Promise<ApiFixture> {
  const engine = await createEngineFixture();
  const freshApp = () =>
    createApp(
      apiDeps(
        { ...engine, clock: systemClock },
        {
          auth: { jwtSecret: TEST_JWT_SECRET, ...options },
          log: (entry) => {
            if (process.env['TEST_LOG']) console.error(entry);
          },
          redis,
        },
      ),
    );
  const app = freshApp();
  const token = (user: string) => mintToken(user, TEST_JWT_SECRET, systemClock);
  const send = async (user: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const auth: Record<string, string> = user ? { authorization: `Bearer ${await token(user)}` } : {};
    const res = await app.request(path, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    return { status: res.status, body: text && contentType?.includes('json') ? JSON.parse(text) : text || null, contentType };
  };
  return {
    ...engine,
    app,
    token,
    freshApp,
    as: (user) => ({
      get: (path) => send(user, 'GET', path),
      post: (path, body, headers) => send(user, 'POST', path, body ?? {}, headers),
    }),
  };
}
