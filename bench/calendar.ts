import { cpus, loadavg, totalmem } from 'node:os';
import { chinaCalendar } from '../engine/time/china-calendar.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { deadline } from '../engine/time/deadline.js';
import { explainDueDate } from '../engine/time/due-date-explanation.js';
import { WorkingCalendar } from '../engine/time/working-calendar.js';
import type { BenchArgs } from './args.js';
import { calendarRecomputeBenchmark } from './calendar-recompute.js';
import type { Machine } from './machine.js';
import { recordResults } from './results.js';
import { fmt, median, table } from './stats.js';

/**
 * `npm run bench -- calendar [--full]`: the pure computations (below), then the recount of open deadlines
 * after an import (`calendar-recompute.ts`).
 */
export async function calendarBenchmark(args: BenchArgs): Promise<void> {
  computationsBenchmark(args);
  await calendarRecomputeBenchmark(args);
}

/**
 * Due-date computations per second on the `cn` calendar, one core, no I/O — `deadline()` (what the engine
 * stores) for N = 20 and N = 365, and `explainDueDate()` (the explainer route, which lists every day) for
 * N = 20. Starts are spread over 2026 and 2027, so part of every batch counts past the horizon on the
 * statutory estimate. Median of the rounds (`--rounds`, `--seconds`).
 */
function computationsBenchmark(args: BenchArgs): void {
  const rounds = args.number('rounds', 5);
  const seconds = args.number('seconds', 1);
  // Pure CPU: no PostgreSQL or Redis is started, so the machine line says so.
  const machine: Machine = { cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / (1 << 30)), node: process.version, postgres: 'not used', redis: 'not used', loadAverage: loadavg().map((l) => l.toFixed(2)).join(' ') };
  const calendar = new WorkingCalendar(chinaCalendar());
  const from = Date.parse('2026-01-01T00:00:00+08:00');
  const starts = Array.from({ length: 4096 }, (_, i) => new Date(from + ((i * 7_919_993_117) % (730 * 86_400_000))));
  const cases = [
    { what: 'deadline(), N = 20', run: (start: Date) => deadline(calendar, start, 20, DEFAULT_COUNTING_RULE).due },
    { what: 'deadline(), N = 365', run: (start: Date) => deadline(calendar, start, 365, DEFAULT_COUNTING_RULE).due },
    { what: 'explainDueDate(), N = 20', run: (start: Date) => explainDueDate(calendar, start, 20, DEFAULT_COUNTING_RULE).due },
  ];
  const rows: (string | number)[][] = [];
  const raw: Record<string, number[]> = {};
  for (const c of cases) {
    const perSecond = Array.from({ length: rounds + 1 }, () => rate(starts, c.run, seconds)).slice(1); // the first round warms up
    raw[c.what] = perSecond;
    rows.push([c.what, fmt(median(perSecond)), perSecond.map((r) => fmt(r)).join(', ')]);
    console.log(`${c.what}: ${fmt(median(perSecond))}/s`);
  }
  const provisional = starts.filter((s) => deadline(calendar, s, 20, DEFAULT_COUNTING_RULE).derivation.provisional).length;
  const markdown = [
    `Calendar \`cn\` (chinese-days 2004–2026, horizon ${calendar.horizon}); ${starts.length} starts spread over 2026–2027 (${provisional} of them provisional for N = 20); default rule (cut-off 17:00). One core, ${rounds} rounds of ${seconds} s after one warm-up round. Target: ≥ 200,000/s for N = 20.`,
    '',
    table(['computation', 'per second (median)', 'rounds'], rows),
  ].join('\n');
  console.log(`\n${markdown}`);
  recordResults('calendar', { command: args.command, mode: 'quick', machine, markdown, raw: { rounds: raw, provisional } });
}

/** Computations per second over `seconds`, cycling through the starts; the result is kept so none is optimised away. */
function rate(starts: readonly Date[], run: (start: Date) => unknown, seconds: number): number {
  let done = 0;
  let sink: unknown;
  const begin = performance.now();
  const stop = begin + seconds * 1000;
  while (performance.now() < stop) {
    for (const start of starts) sink = run(start);
    done += starts.length;
  }
  if (sink === undefined) throw new Error('no result');
  return done / ((performance.now() - begin) / 1000);
}
