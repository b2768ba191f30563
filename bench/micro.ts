import { createApp } from '../api/app.js';
import { mintToken } from '../api/auth.js';
import { apiDeps } from '../apps/serve-api.js';
import { commitPayload } from '../db/commit-payload.js';
import { connect } from '../db/connection.js';
import { PgCatalog } from '../db/pg-catalog.js';
import type { CaseCreation } from '../engine/case-effect.js';
import type { CaseRecord, TaskRecord } from '../engine/case-record.js';
import type { CaseReads, CaseStore, Decision, LockedCase } from '../engine/case-store.js';
import { Engine } from '../engine/engine.js';
import { ephemeralEd25519Signer } from '../engine/licences/licence-signer.js';
import { demoActor } from '../apps/demo-users.js';
import { systemClock } from '../platform/system-clock.js';
import type { BenchArgs } from './args.js';
import { recordResults } from './results.js';
import { fmt, table } from './stats.js';
import { startBenchServices } from './system.js';
import { APPLICATION } from './tongban-flow.js';

/**
 * `npm run bench -- micro`: CPU per command of the parts that do not wait on I/O, measured in one process
 * so that the noisy machine's scheduling does not blur them (a CPU profile under load charges waiting for
 * a core to whatever syscall was running):
 *  - the engine's decision: restore snapshot, XState transition, effect planning, audit hash, commit
 *    payload and its JSON, on an in-memory store (no PostgreSQL);
 *  - the HTTP layer: Hono app in memory (`app.request`, no sockets), JWT check, zod validation, with the
 *    engine replaced by one that answers at once.
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
    const stub = { execute: async () => ({ caseId: 'x', version: 2, status: 'running', state: 'jointReview', changed: true }), startCase: async () => ({ caseId: 'x', version: 1, status: 'running', state: 'acceptance', changed: true }) } as unknown as Engine;
    const secret = 'b'.repeat(64);
    const app = createApp(apiDeps({ engine: stub, sql, clock: systemClock, catalog }, { auth: { jwtSecret: secret }, log: () => {} }));
    const token = await mintToken('fire.handler', secret, systemClock);
    const body = JSON.stringify({ outcome: 'approve', opinion: { text: '同意 Approved' } });
    const httpRun = async () => {
      const res = await app.request('/api/tasks/6f1c1d8e-0000-4000-8000-000000000099/complete', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      if (res.status !== 200) throw new Error(`stub answered ${res.status}: ${await res.text()}`);
      await res.text();
    };
    const httpUs = await cpuPer(iterations, 1, httpRun);
    await sql.end();
    const markdown = table(
      ['part (one process, no I/O)', 'CPU per command'],
      [
        ['engine decision: transition, planning, audit hash, commit payload + JSON (in-memory store)', `${fmt(engineUs)} µs`],
        ['HTTP in memory: Hono routing, JWT verify, zod validation, JSON response (stub engine)', `${fmt(httpUs)} µs`],
      ],
    );
    console.log(`\n${markdown}`);
    recordResults('micro', { command: args.command, mode: 'quick', machine: services.machine, markdown, raw: { engineUs, httpUs } });
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
