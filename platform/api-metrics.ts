import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseFigures, FigureSources } from './operations-figures.js';

/** Seconds: from a cached read (a few ms) to a command waiting on a locked case or a slow disk. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How long PostgreSQL and Redis may take to answer a scrape: a frozen server cannot hang the scrape past it. */
const FIGURES_WITHIN_MS = 2_000;

/**
 * The node process's own figures (CPU, memory, event-loop delay, heap), once per process: prom-client keeps
 * an event-loop monitor per registry it collects them in, and tests build many apps in one process.
 */
let processRegistry: Registry | undefined;
const processMetrics = (): Registry => {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
};

/**
 * The API process's metrics in Prometheus' text format (prom-client): what this process counted (requests and
 * commands, with latency histograms) and what the fleet's PostgreSQL and Redis hold, read at each scrape
 * (`FigureSources`). Counters are this process's: with several API processes, each is scraped on its own
 * (`docs/metrics.md`).
 *
 * @example
 * const metrics = new ApiMetrics({ database: () => readDatabaseFigures(sql, clock.now()) });
 * metrics.commands.observe({ operation: 'case.start', outcome: 'committed', code: '' }, 0.012);
 * const text = await metrics.scrape();
 */
export class ApiMetrics {
  readonly registry = new Registry();
  /** Each HTTP request answered by the app: its route's template (not its path), method and status class (`2xx`). */
  readonly requests = this.#latencies('tongban_http_request_duration_seconds', 'HTTP requests answered, by route template, method and status class, and how long each took.', [
    'route',
    'method',
    'status_class',
  ]);
  /** Each command this process ran on the engine: its operation (`task.complete`), outcome and, when refused, its code. */
  readonly commands = this.#latencies(
    'tongban_command_duration_seconds',
    'Commands run, by operation and outcome (committed, unchanged, refused, conflict, unavailable, failed) with the refusal code, and how long each took.',
    ['operation', 'outcome', 'code'],
  );
  /**
   * Each request the per-caller limit refused (429) before it reached the app (`api/caller-rate-limit.ts`): not in
   * `requests`, which the app counts, so a flood from one credential shows here.
   */
  readonly rateLimited = new Counter({
    name: 'tongban_http_rate_limited_total',
    help: 'Requests refused by the per-caller limit (429) before reaching the app.',
    registers: [this.registry],
  });
  /** The gauges without labels, which always have a value: NaN says "not read" where 0 would say "none". */
  readonly #labelless: Gauge[] = [];
  readonly #gauges = {
    openCases: this.#gauge('tongban_open_cases', 'Cases not ended, by status.', ['status']),
    openTasks: this.#gauge('tongban_open_tasks', 'Open and claimed tasks, by department and warning colour.', ['department', 'colour']),
    overdueTasks: this.#gauge('tongban_overdue_tasks', 'Open and claimed tasks past their due, by department.', ['department']),
    outboxUnrelayed: this.#gauge('tongban_outbox_unrelayed_rows', 'Outbox rows not yet relayed to Redis.'),
    outboxAge: this.#gauge('tongban_outbox_oldest_unrelayed_age_seconds', 'Age of the oldest outbox row not yet relayed (0 when none).'),
    lateTimers: this.#gauge('tongban_timers_late', 'Pending timers due before now: not fired yet.'),
    timerLateness: this.#gauge('tongban_timer_lateness_seconds', 'How long past its due the most overdue pending timer is (0 when none is late).'),
    incidents: this.#gauge('tongban_incidents_open', 'Timer incidents not resolved.'),
    connections: this.#gauge('tongban_postgres_connections', 'Connections of every Tongban process to PostgreSQL, by state (pg_stat_activity).', ['state']),
    sourceUp: this.#gauge('tongban_metrics_source_up', 'Whether a source of the figures answered this scrape (1) or not (0): postgres, redis.', ['source']),
  };
  /** Declared only where the process has Redis: without, their series are absent rather than 0. */
  readonly #deliveryGauges;
  #scraping: Promise<string> | null = null;

  constructor(private readonly sources: FigureSources) {
    this.#deliveryGauges = sources.delivery
      ? {
          queueJobs: this.#gauge('tongban_queue_jobs', 'Delivery jobs in Redis, by queue and state (waiting, active, delayed, failed).', ['queue', 'state']),
          reconcilerAge: this.#gauge('tongban_reconciler_last_run_age_seconds', 'Seconds since the reconciler last finished a tick (+Inf: not since Redis was emptied).'),
        }
      : null;
  }

  /**
   * Reads the figures and answers every metric in the text format. Scrapes arriving while one runs share its
   * answer, so a burst of them costs the database one read. A source that fails or does not answer in time leaves
   * its series out and reports `tongban_metrics_source_up{source} 0`; the in-process counters are answered anyway.
   */
  scrape(): Promise<string> {
    this.#scraping ??= this.#render().finally(() => {
      this.#scraping = null;
    });
    return this.#scraping;
  }

  /** Every metric name the scrape may answer (the names of histograms' `_bucket`, `_sum` and `_count` series excepted). */
  async metricNames(): Promise<string[]> {
    const all = [...(await this.registry.getMetricsAsJSON()), ...(await processMetrics().getMetricsAsJSON())];
    return all.map((m) => m.name);
  }

  async #render(): Promise<string> {
    const [database, delivery] = await Promise.all([settle(this.sources.database()), this.sources.delivery ? settle(this.sources.delivery()) : null]);
    for (const gauge of [...Object.values(this.#gauges), ...Object.values(this.#deliveryGauges ?? {})]) gauge.reset();
    for (const gauge of this.#labelless) gauge.set(NaN);
    this.#gauges.sourceUp.set({ source: 'postgres' }, database ? 1 : 0);
    if (database) this.#setDatabase(database);
    if (this.#deliveryGauges) this.#gauges.sourceUp.set({ source: 'redis' }, delivery ? 1 : 0);
    if (this.#deliveryGauges && delivery) {
      for (const { queue, state, count } of delivery.queues) this.#deliveryGauges.queueJobs.set({ queue, state }, count);
      this.#deliveryGauges.reconcilerAge.set(delivery.reconcilerAgeSeconds);
    }
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }

  #setDatabase(figures: DatabaseFigures): void {
    const g = this.#gauges;
    for (const { status, count } of figures.openCases) g.openCases.set({ status }, count);
    const overdue = new Map<string, number>();
    for (const { department, colour, count, overdue: late } of figures.openTasks) {
      g.openTasks.set({ department, colour }, count);
      overdue.set(department, (overdue.get(department) ?? 0) + late);
    }
    for (const [department, count] of overdue) g.overdueTasks.set({ department }, count);
    g.outboxUnrelayed.set(figures.outbox.unrelayed);
    g.outboxAge.set(figures.outbox.oldestAgeSeconds);
    g.lateTimers.set(figures.lateTimers.count);
    g.timerLateness.set(figures.lateTimers.oldestLatenessSeconds);
    g.incidents.set(figures.openIncidents);
    for (const { state, count } of figures.connections) g.connections.set({ state }, count);
  }

  #latencies<L extends string>(name: string, help: string, labelNames: readonly L[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  }

  #gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    const gauge = new Gauge({ name, help, labelNames, registers: [this.registry] });
    if (labelNames.length === 0) this.#labelless.push(gauge as Gauge);
    return gauge;
  }
}

/** The figures, or null when their source failed or did not answer within {@link FIGURES_WITHIN_MS}. */
async function settle<T>(figures: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), FIGURES_WITHIN_MS);
  });
  try {
    return await Promise.race([figures.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
