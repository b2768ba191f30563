/**
 * `npm run bench -- <name> [--full] [options]`: runs one benchmark, prints its figures with the machine and
 * writes them to bench/RESULTS.md. Benchmarks are run on demand, never as timed tests.
 */
import { parseArgs } from './args.js';

const BENCHMARKS: Record<string, { describe: string; run: (args: ReturnType<typeof parseArgs>) => Promise<void> }> = {
  commands: { describe: 'HTTP command throughput and latency, pgbench ceiling in the same run, profile', run: async (a) => (await import('./commands.js')).commandsBenchmark(a) },
  ceiling: { describe: 'same as commands (the ceiling ratio is measured inside it, in the same rounds)', run: async (a) => (await import('./commands.js')).commandsBenchmark(a) },
  timers: { describe: 'pending deadlines at scale, firing lateness under load, simultaneous deadlines', run: async (a) => (await import('./timers.js')).timersBenchmark(a) },
  queries: { describe: 'inbox, overdue list and per-department counts at scale, with EXPLAIN plans', run: async (a) => (await import('./queries.js')).queriesBenchmark(a) },
  micro: { describe: 'CPU per command of the engine decision and of the HTTP layer, in one process without I/O', run: async (a) => (await import('./micro.js')).microBenchmark(a) },
  calendar: { describe: 'due-date computations per second (pure CPU), then the recount of open deadlines after a calendar import', run: async (a) => (await import('./calendar.js')).calendarBenchmark(a) },
  peer: { describe: 'the same joint approval on bpmn-engine, state in PostgreSQL, side by side with ours', run: async (a) => (await import('./peer.js')).peerBenchmark(a) },
};

const args = parseArgs(process.argv.slice(2));
const bench = BENCHMARKS[args.name];
if (!bench) {
  console.error(`usage: npm run bench -- <name> [--full]\n${Object.entries(BENCHMARKS).map(([k, b]) => `  ${k.padEnd(9)} ${b.describe}`).join('\n')}`);
  process.exit(2);
}
try {
  await bench.run(args);
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
