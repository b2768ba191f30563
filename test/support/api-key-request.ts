import type { ApiFixture } from './api-fixture.js';

/** A request as a department system, with its API key (`Authorization: ApiKey …`), answered as status and parsed body. */
export async function asSystem(f: ApiFixture, key: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await f.app.request(path, {
    method,
    headers: { authorization: `ApiKey ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}
