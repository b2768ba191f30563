import { appendFileSync, mkdirSync } from 'node:fs';
import { serveApi } from './serve-api.js';
import { mintToken } from '../api/auth.js';
import { jsonLogger } from '../platform/logger.js';
import { DEFAULT_PREFIX } from '../workers/queues.js';
import { startWorkers } from '../workers/start-workers.js';
import { DEV_DATA_DIR, httpPort, jwtSecret } from '../platform/config.js';
import { identityProvider, tokenLifetime } from './auth-config.js';
import { DEMO_QUERY_CODE, demoCaseNumbers, installDemoCases } from './demo-cases.js';
import { installDemoUsers } from './demo-users.js';
import { prepareDatabase } from './prepare-database.js';
import { createRuntime } from './runtime.js';
import { startServices } from '../platform/services.js';
import { onShutdown } from './shutdown.js';
import { configuredTracing } from '../platform/tracing-sdk.js';

/**
 * `npm start`: the whole system on embedded defaults — PostgreSQL and Redis (or DATABASE_URL / REDIS_URL),
 * migrations, reference and demo data, the API with its pages and the workers, in one process for the demo.
 * Data lives in .data/dev, so a second start reuses it. Ctrl-C stops everything.
 */
mkdirSync(DEV_DATA_DIR, { recursive: true });
const serviceLog = `${DEV_DATA_DIR}/services.log`;
const logFile = `${DEV_DATA_DIR}/tongban.log`;
const log = jsonLogger((line) => appendFileSync(logFile, `${line}\n`));
const say = (line: string) => console.log(line);

say('Starting PostgreSQL and Redis…');
const services = await startServices({ dataDir: DEV_DATA_DIR, log: (line) => appendFileSync(serviceLog, `${line}\n`) });
// Before the runtime, as `npm run api` does: the one process's spans, API and workers alike (none without OTEL_EXPORTER_OTLP_ENDPOINT).
const tracing = configuredTracing('start');
const runtime = createRuntime({ databaseUrl: services.databaseUrl, poolSize: 20, logger: log });
await runtime.ready; // the clock anchored to PostgreSQL's before anything reads it
await prepareDatabase(services.databaseUrl, runtime);
await installDemoUsers(runtime.sql);
const created = await installDemoCases(runtime.sql, runtime.engine);

const secret = jwtSecret({ dev: true });
// The demo system: anyone may sign in as any demo user from the workspace's sign-in page.
const auth = { jwtSecret: secret, ...tokenLifetime(), ...identityProvider(), demoSignIn: true };
const api = await serveApi(runtime, { port: httpPort(), auth, log, redis: { url: services.redisUrl, prefix: DEFAULT_PREFIX } });
const workers = await startWorkers({ sql: runtime.sql, redis: services.redisUrl, engine: runtime.engine, clock: runtime.clock, logger: log });

onShutdown({
  logger: log,
  steps: [
    { name: 'http', stop: () => api.close() },
    { name: 'workers', stop: () => workers.stop() },
    { name: 'database-pools', stop: () => runtime.close() },
    ...(tracing ? [{ name: 'traces', stop: () => tracing.stop() }] : []),
    { name: 'embedded-services', stop: () => services.stop() },
  ],
  // Ctrl-C reaches the embedded PostgreSQL and Redis too: see `failuresExpected`.
  failuresExpected: true,
  // As long as `pg_ctl stop` waits for the embedded PostgreSQL's shutdown checkpoint.
  timeoutMs: 60_000,
  progress: { stopping: () => say('\nStopping…'), stopped: () => say('Stopped.') },
});

const token = (user: string) => mintToken(user, secret, runtime.clock, auth.maxTokenLifetimeSeconds);
say(`
Tongban is running.
  Web:       ${api.url}/
  API docs:  ${api.url}/api/docs   (OpenAPI: ${api.url}/api/openapi.json)
  Database:  ${services.databaseUrl}
  Redis:     ${services.redisUrl}
  Demo data: ${created > 0 ? `${created} demo cases created` : 'reused from .data/dev'}
  Logs:      ${logFile}

Act as a demo user with a bearer token (valid ${auth.maxTokenLifetimeSeconds / 3600} h). All of them: npm run tokens
  window.clerk     (intake window)   ${await token('window.clerk')}
  fire.handler     (fire review)     ${await token('fire.handler')}
  housing.lead     (lead department) ${await token('housing.lead')}
  supervisor       (read-only)       ${await token('supervisor')}

Try:  curl -H "Authorization: Bearer <token>" ${api.url}/api/tasks

Follow a demo case as its applicant (no sign-in): ${api.url}/progress   query code ${DEMO_QUERY_CODE}
${(await demoCaseNumbers(runtime.sql)).map((c) => `  ${c.number}  ${c.serviceItemCode} (${c.status})`).join('\n')}
Ctrl-C stops everything.`);
