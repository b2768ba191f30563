import { connect } from '../db/connection.js';
import type { BenchArgs } from './args.js';
import { runLoad, type CaseFlow, type LoadResult, type OpenTask } from './case-load.js';
import { JsonClient } from './http-client.js';
import { recordResults } from './results.js';
import { fmt, median, table } from './stats.js';
import { startBenchServices, startPeerServer, startServer, type BenchServer } from './system.js';
import { tongbanFlow } from './tongban-flow.js';

/**
 * `npm run bench -- peer [--full]`: the same joint approval (acceptance → 5 parallel reviews → joint
 * decision, 8 commands per case, no claims: the peer has none) on three systems, in turn within each
 * round so that they share the machine's mood:
 *   - tongban: our API + workers (relay, timer worker, reconciler) — the real system;
 *   - tongban without workers: the API alone (commands still write the outbox; nothing relays it);
 *   - bpmn-engine: recover from jsonb, signal, persist, one transaction per step (peer-server.ts).
 * Same load generator, same concurrency, same PostgreSQL cluster (durable), pools of the same size.
 */
export async function peerBenchmark(args: BenchArgs): Promise<void> {
  const rounds = args.number('rounds', args.full ? 5 : 3);
  const seconds = args.number('seconds', args.full ? 30 : 15);
  const concurrency = args.number('concurrency', 32);
  const poolSize = 20;
  const services = await startBenchServices();
  try {
    const url = await services.freshDatabase('bench_peer');
    const driverSql = connect(url, { max: 4 });
    await driverSql`create table if not exists peer_cases (id uuid primary key, state jsonb not null, version int not null, updated_at timestamptz not null)`;

    const systems: { name: string; start: () => Promise<BenchServer>; flow: (s: BenchServer) => Promise<CaseFlow & { close(): void }> }[] = [
      {
        name: 'tongban (API + workers)',
        start: () => startServer({ databaseUrl: url, redisUrl: services.redisUrl, prefix: `{bench-p-${Date.now()}}`, poolSize }),
        flow: (s) => tongbanFlow({ apiUrl: s.url, secret: s.secret, driverSql, timerEngine: null, maxSockets: concurrency, claims: false }),
      },
      {
        name: 'tongban (API only, relay off)',
        start: () => startServer({ databaseUrl: url, redisUrl: services.redisUrl, prefix: `{bench-p-${Date.now()}}`, poolSize, workers: false }),
        flow: (s) => tongbanFlow({ apiUrl: s.url, secret: s.secret, driverSql, timerEngine: null, maxSockets: concurrency, claims: false }),
      },
      { name: 'bpmn-engine 25.0.1 (state as jsonb)', start: () => startPeerServer({ databaseUrl: url, poolSize }), flow: async (s) => peerFlow(s.url, concurrency) },
    ];
    const results = new Map<string, LoadResult[]>(systems.map((s) => [s.name, []]));
    const cpu = new Map<string, number[]>(systems.map((s) => [s.name, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const system of systems) {
        const server = await system.start();
        const flow = await system.flow(server);
        try {
          await runLoad(flow, { concurrency, warmupMs: 0, durationMs: 3_000 }); // JIT, prepared statements, pools
          const before = await server.stats();
          const result = await runLoad(flow, { concurrency, warmupMs: 2_000, durationMs: seconds * 1000 });
          const after = await server.stats();
          results.get(system.name)!.push(result);
          // Server CPU per command over the whole measured run (warm-up included on both sides of the ratio).
          const total = result.commands * ((seconds + 2) / seconds);
          cpu.get(system.name)!.push(((after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs) * 1000) / total);
          console.log(`round ${round} ${system.name}: ${fmt(result.commandsPerSec)} commands/s, ${fmt(result.decidedPerSec)} cases/s, p50/p99 ${fmt(result.latency.p50)}/${fmt(result.latency.p99)} ms ${JSON.stringify(result.errors)}`);
        } finally {
          flow.close();
          await server.stop();
        }
      }
    }
    await driverSql.end();
    const ours = median(results.get(systems[0]!.name)!.map((r) => r.commandsPerSec));
    const markdown = [
      `Load: ${concurrency} cases in flight, each acceptance → 5 parallel reviews → joint decision (8 HTTP commands, no claims), ` +
        `${rounds} rounds × ${seconds} s per system, systems in turn within each round. Figures are medians over rounds.`,
      '',
      table(
        ['system', 'commands/s', 'cases/s', 'p50 ms', 'p99 ms', 'server CPU per command', '÷ tongban'],
        systems.map((s) => {
          const rs = results.get(s.name)!;
          const cps = median(rs.map((r) => r.commandsPerSec));
          return [
            s.name,
            fmt(cps),
            fmt(median(rs.map((r) => r.decidedPerSec))),
            fmt(median(rs.map((r) => r.latency.p50))),
            fmt(median(rs.map((r) => r.latency.p99))),
            `${fmt(median(cpu.get(s.name)!))} µs`,
            (cps / ours).toFixed(2),
          ];
        }),
      ),
      '',
      'Per round (commands/s): ' + systems.map((s) => `${s.name}: ${results.get(s.name)!.map((r) => fmt(r.commandsPerSec)).join(', ')}`).join('; '),
    ].join('\n');
    console.log(`\n${markdown}`);
    recordResults('peer', { command: args.command, mode: args.full ? 'full' : 'quick', machine: services.machine, markdown, raw: Object.fromEntries(results) });
  } finally {
    await services.stop();
  }
}

/** The peer driven exactly like ours: its answers name the open tasks, so no task read is needed. */
function peerFlow(url: string, maxSockets: number): CaseFlow & { close(): void } {
  const client = new JsonClient(url, maxSockets);
  const open = new Map<string, OpenTask[]>();
  const remember = (caseId: string, keys: string[]) => open.set(caseId, keys.map((key) => ({ id: key, key })));
  const ok = <T>(what: string, res: { status: number; body: T }): T => {
    if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    return res.body;
  };
  return {
    name: 'bpmn-engine',
    async start() {
      const body = ok('start', await client.send<{ caseId: string; open: string[] }>('POST', '/peer/cases', '', {}));
      remember(body.caseId, body.open);
      return body.caseId;
    },
    openTasks: async (caseId) => open.get(caseId) ?? [],
    claim: null,
    async complete(caseId, task) {
      const body = ok('complete', await client.send<{ state: string; open: string[] }>('POST', `/peer/cases/${caseId}/tasks/${encodeURIComponent(task.key)}/complete`, '', {}));
      if (body.open.length === 0) open.delete(caseId);
      else remember(caseId, body.open);
      return body;
    },
    finish: null,
    close: () => client.close(),
  };
}
