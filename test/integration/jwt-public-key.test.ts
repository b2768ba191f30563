import { generateKeyPairSync } from 'node:crypto';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { apiDeps } from '../../apps/serve-api.js';
import { systemClock } from '../../platform/system-clock.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());

describe('tokens signed by an identity provider (public key)', () => {
  it('accepts RS256 tokens signed with the configured key, and nothing else', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const app = createApp(
      apiDeps(
        { ...f, clock: systemClock },
        { auth: { jwtPublicKey: { pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), alg: 'RS256' } }, log: () => {} },
      ),
    );
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + 600;
    const pem = (key: typeof privateKey) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const get = async (token: string) => (await app.request('/api/tasks', { headers: { authorization: `Bearer ${token}` } })).status;

    expect(await get(await sign({ sub: 'fire.handler', iat, exp }, pem(privateKey), 'RS256'))).toBe(200);
    expect(await get(await sign({ sub: 'fire.handler', iat, exp }, pem(other.privateKey), 'RS256'))).toBe(401);
    // An HS256 token cannot be slipped in by signing it with the public key as a shared secret.
    expect(await get(await sign({ sub: 'fire.handler', iat, exp }, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'HS256'))).toBe(401);
  });
});
