/**
 * The API process as it serves (`serveApi`: node:http, the per-caller limit, @hono/node-server, the app) in a process
 * of its own, on an engine that answers at once (`http-stub.ts`), so that `micro` can read the CPU it spends per
 * request apart from the client's. Driven over IPC like `server.ts`: `ready`, `stats` (its CPU), `stop`.
 */
import type { Runtime } from '../apps/runtime.js';
import { serveApi } from '../apps/serve-api.js';
import { connect } from '../db/connection.js';
import { PgCatalog } from '../db/pg-catalog.js';
import { ephemeralEd25519Signer } from '../engine/licences/licence-signer.js';
import { jsonLogger } from '../platform/logger.js';
import { systemClock } from '../platform/system-clock.js';
import { stubEngine } from './http-stub.js';
import type { ServerStats } from './system.js';

const config = JSON.parse(process.env['MICRO_HTTP_CONFIG'] ?? '{}') as { databaseUrl: string; port: number; secret: string };
// The per-caller limit runs on every request, as in production, but never refuses: one caller sends them all.
process.env['TONGBAN_RATE_LIMIT_PER_MINUTE'] = String(1_000_000_000);
const sql = connect(config.databaseUrl, { max: 2 });
const runtime: Runtime = {
  engine: stubEngine(),
  sql,
  clock: systemClock,
  catalog: new PgCatalog(sql, () => Date.now()),
  licenceSigner: ephemeralEd25519Signer(),
  close: () => sql.end({ timeout: 5 }),
};
const log = jsonLogger((line) => process.stderr.write(`${line}\n`));
const api = await serveApi(runtime, { port: config.port, auth: { jwtSecret: config.secret }, log });

process.on('message', (m: { type?: string }) => {
  if (m.type === 'stats') {
    const cpu = process.cpuUsage();
    const value: ServerStats = { pgWrites: 0, redisWrites: 0, statements: 0, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 };
    process.send?.({ type: 'stats', value });
  } else if (m.type === 'stop') {
    void (async () => {
      await api.close();
      await runtime.close();
      process.exit(0);
    })();
  }
});
process.send?.({ type: 'ready' });
