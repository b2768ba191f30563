import { tokenLifetime } from '../../apps/auth-config.js';
import { createRuntime } from '../../apps/runtime.js';
import { serveApi } from '../../apps/serve-api.js';
import { getFreePort } from '../../platform/free-port.js';
import { jsonLogger } from '../../platform/logger.js';
import { TEST_LICENCE_SIGNER } from './licence-signer.js';
import { fleetClock } from './process-clock.js';
import { TEST_JWT_SECRET } from './test-auth.js';

/**
 * The API as a process of its own (test/support/fleet.ts), as `npm run api` composes it: on `DATABASE_URL` (already
 * migrated and seeded by the test), with Redis `REDIS_URL` and queue prefix `TONGBAN_TEST_PREFIX` when given, the
 * fleet's clock, and test tokens (`TEST_JWT_SECRET`). Logs JSON lines; prints `ready <url>` when it listens.
 */
const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) throw new Error('DATABASE_URL is not set');
const redisUrl = process.env['REDIS_URL'];
const runtime = createRuntime({ databaseUrl, clock: fleetClock(), licenceSigner: TEST_LICENCE_SIGNER, poolSize: Number(process.env['DB_POOL_SIZE'] ?? 10) });
const server = await serveApi(runtime, {
  port: await getFreePort(),
  // TONGBAN_JWT_MAX_LIFETIME_SECONDS as `npm run api` reads it: a test moving the clock days on mints longer-lived tokens.
  auth: { jwtSecret: TEST_JWT_SECRET, demoSignIn: true, ...tokenLifetime() },
  log: jsonLogger(),
  ...(redisUrl ? { redis: { url: redisUrl, prefix: process.env['TONGBAN_TEST_PREFIX'] ?? 'tongban' } } : {}),
});
console.log(`ready ${server.url}`);
