import { randomBytes } from 'node:crypto';
import { createApp } from '../api/app.js';
import { mintToken } from '../api/auth.js';
import { apiDeps } from '../apps/serve-api.js';
import { commitPayload } from '../db/commit-payload.js';
import { connect } from '../db/connection.js';
import { PgCatalog } from '../db/pg-catalog.js';
import type { CaseCreation } from '../engine/case-effect.js';
import type { CaseRecord, TaskRecord } from '../engine/case-record.js';
import type { CaseReads, CaseStore, Decision, LockedCase } from '../engine/case-store.js';
import { choosePort } from '../platform/free-port.js';
import { Engine } from '../engine/engine.js';
import { ephemeralEd25519Signer } from '../engine/licences/licence-signer.js';
import { demoActor } from '../apps/demo-users.js';
import { systemClock } from '../platform/system-clock.js';
import type { BenchArgs } from './args.js';
import { JsonClient } from './http-client.js';
import { COMPLETE_BODY, COMPLETE_PATH, SENDER, stubEngine } from './http-stub.js';
import { recordResults } from './results.js';
import { fmt, table } from './stats.js';
import { startBenchServices, startChild, type BenchServer } from './system.js';
import { APPLICATION } from './tongban-flow.js';

/**
 * `npm run bench -- micro`: CPU per command of the parts that do not wait on I/O, measured in one process
 * so that the noisy machine's scheduling does not blur them (a CPU profile under load charges waiting for
 * a core to whatever syscall was running):
 *  - the engine's decision: restore snapshot, XState transition, effect planning, audit hash, commit
 *    payload and its JSON, on an in-memory store (no PostgreSQL);
 *  - the HTTP layer: Hono app in memory (`app.request`, no sockets), JWT check, zod validation, with the
 *    engine replaced by one that answers at once;
 *  - the HTTP layer as it serves: the same over a real socket (`serveApi`: node:http, the per-caller limit,
 *    @hono/node-server) in a process of its own, a keep-alive client here; that process's CPU only.
 *    `--cpu-prof <dir>` writes its V8 CPU profile there. It costs less than in memory: `app.request` builds a
 *    whole Fetch Request and Response, where @hono/node-server builds lightweight ones unless asked for more.
 */
export async function microBenchmark(args: BenchArgs): Promise<void> {
  const iterations = args.number('iterations', 3_000);
  const services = await startBenchServices();
  try {
    const url = await services.freshDatabase('bench_micro');
    const sql = connect(url, { max: 2 });
    const catalog = new PgCatalog(sql, () => Date.now());
    const store = new MemoryStore();
    const engine = new Engine({ store, catalog, clock: systemClock, licenceSigner: ephemeralEd25519Signer() });
    // Engine: start a case, then claim + complete the acceptance, repeatedly (3 commands per iteration).
    const engineRun = async () => {
      const started = await engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), ...APPLICATION });
      const task = store.openTask(started.caseId, 'acceptance');
      await engine.execute({ type: 'task.claim', actor: demoActor('window.clerk'), taskId: task.id });
      await engine.execute({ type: 'task.complete', actor: demoActor('window.clerk'), taskId: task.id, outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } });
    };
    const engineUs = await cpuPer(iterations, 3, engineRun);

    // HTTP: the real app, an engine that answers without work.
    const secret = 'b'.repeat(64);
    const app = createApp(apiDeps({ engine: stubEngine(), sql, clock: systemClock, catalog }, { auth: { jwtSecret: secret }, log: () => {} }));
    const token = await mintToken(SENDER, secret, systemClock);
    const body = JSON.stringify(COMPLETE_BODY);
    const httpRun = async () => {
      // With its length, as every HTTP/1.1 client sends a body it holds whole.
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
      const res = await app.request(COMPLETE_PATH, { method: 'POST', headers, body });
      if (res.status !== 200) throw new Error(`stub answered ${res.status}: ${await res.text()}`);
      await res.text();
    };
    const httpUs = await cpuPer(iterations, 1, httpRun);
    await sql.end();
    // Three times the requests: the server is a fresh process, and its warm-up must not weigh in the figure.
    const socketUs = await servedCpuPer(3 * iterations, url, args.string('cpu-prof', ''));
    const markdown = table(
      ['part (no PostgreSQL I/O)', 'CPU per command'],
      [
        ['engine decision: transition, planning, audit hash, commit payload + JSON (in-memory store)', `${fmt(engineUs)} µs`],
        ['HTTP in memory: Hono routing, JWT verify, zod validation, JSON response (stub engine)', `${fmt(httpUs)} µs`],
        [`HTTP served: node:http, per-caller limit, @hono/node-server, the same app; the server process's CPU (stub engine, ${IN_FLIGHT} keep-alive requests in flight)`, `${fmt(socketUs)} µs`],
      ],
    );
    console.log(`\n${markdown}`);
    recordResults('micro', { command: args.command, mode: 'quick', machine: services.machine, markdown, raw: { engineUs, httpUs, socketUs } });
  } finally {
    await services.stop();
  }
}

/** CPU (user + system) per command over `n` runs of `run`, after a warm-up of n/3. */
async function cpuPer(n: number, commandsPerRun: number, run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < n / 3; i++) await run();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (n * commandsPerRun);
}

/** Requests in flight on the served API: enough to keep its event loop busy, as a loaded API's is. */
const IN_FLIGHT = 8;

/**
 * The served API's CPU (user + system, its process only) per completion over `n` requests from a keep-alive
 * client, after a warm-up of n/3; with `cpuProfileDir`, the server writes its CPU profile there when it stops.
 */
async function servedCpuPer(n: number, databaseUrl: string, cpuProfileDir: string): Promise<number> {
  const port = await choosePort(3980, () => {});
  const secret = randomBytes(32).toString('hex');
  const execArgv = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const server = await startChild('micro-http-server.ts', { MICRO_HTTP_CONFIG: JSON.stringify({ databaseUrl, port, secret }) }, execArgv, port, secret);
  const client = new JsonClient(server.url, IN_FLIGHT);
  try {
    const token = await mintToken(SENDER, secret, systemClock);
    const send = async (count: number) => {
      const loop = async (share: number) => {
        for (let i = 0; i < share; i++) {
          const res = await client.send('POST', COMPLETE_PATH, token, COMPLETE_BODY);
          if (res.status !== 200) throw new Error(`served stub answered ${res.status}: ${JSON.stringify(res.body)}`);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, () => loop(Math.ceil(count / IN_FLIGHT))));
    };
    await send(n / 3);
    const before = await cpuOf(server);
    await send(n);
    return ((await cpuOf(server)) - before) / (Math.ceil(n / IN_FLIGHT) * IN_FLIGHT);
  } finally {
    client.close();
    await server.stop();
  }
}

/** A server process's CPU so far, µs. */
async function cpuOf(server: BenchServer): Promise<number> {
  const { cpuUserMs, cpuSystemMs } = await server.stats();
  return (cpuUserMs + cpuSystemMs) * 1000;
}

/** Just enough of a CaseStore in memory; it also builds the commit payload and its JSON, as the real one does. */
class MemoryStore implements CaseStore {
  readonly #cases = new Map<string, CaseRecord>();
  readonly #tasks = new Map<string, TaskRecord>();
  /** Task ids per case, so a lookup costs the same on the 1st case and the 10,000th. */
  readonly #byCase = new Map<string, string[]>();

  #tasksOf(caseId: string | undefined): TaskRecord[] {
    return (this.#byCase.get(caseId ?? '') ?? []).map((id) => this.#tasks.get(id) as TaskRecord);
  }

  openTask(caseId: string, key: string): TaskRecord {
    const t = this.#tasksOf(caseId).find((x) => x.key === key && x.status !== 'completed');
    if (!t) throw new Error(`no ${key}`);
    return t;
  }

  async create(creation: CaseCreation): Promise<void> {
    JSON.stringify(commitPayload(creation.case, creation.effects, [creation.audit], creation.answer));
    const c = creation.case;
    this.#cases.set(c.id, { ...c, dueAt: c.dueAt } as unknown as CaseRecord);
    this.#apply(creation.effects);
  }

  /** The benchmark's users are never away (代理). */
  async substitutionsAt(): Promise<readonly never[]> {
    return [];
  }

  async update<T>(ref: Parameters<CaseStore['update']>[0], decide: (l: LockedCase | null, reads: CaseReads) => Decision<T> | Promise<Decision<T>>): Promise<T> {
    const task = 'taskId' in ref ? (this.#tasks.get(ref.taskId) ?? null) : null;
    const record = task ? this.#cases.get(task.caseId) : undefined;
    const open = this.#tasksOf(record?.id).filter((t) => t.status === 'open' || t.status === 'claimed');
    const decision = await decide(record ? { case: record, openTasks: open, task, timer: null, timersDueWith: [], pendingTimers: [] } : null, this);
    if (decision.commit) {
      const { commit } = decision;
      JSON.stringify(commitPayload(commit.next, commit.effects, commit.audits, commit.answer));
      this.#cases.set(commit.caseId, { ...record!, ...commit.next });
      this.#apply(commit.effects);
    }
    return decision.result;
  }

  #apply(effects: readonly { type: string }[]): void {
    for (const e of effects as { type: string; task?: TaskRecord; taskId?: string; assigneeId?: string }[]) {
      if (e.type === 'task.open' && e.task) {
        this.#tasks.set(e.task.id, { ...e.task, status: 'open', assigneeId: null, outcome: null, completedAt: null });
        this.#byCase.set(e.task.caseId, [...(this.#byCase.get(e.task.caseId) ?? []), e.task.id]);
      }
      const t = e.taskId ? this.#tasks.get(e.taskId) : undefined;
      if (t && e.type === 'task.claim') this.#tasks.set(t.id, { ...t, status: 'claimed', assigneeId: (e.assigneeId ?? null) as never });
      if (t && e.type === 'task.complete') this.#tasks.set(t.id, { ...t, status: 'completed' });
    }
  }
}
