import { errorFields, type Logger } from '../platform/logger.js';
import { whatIsWrong } from '../platform/readiness.js';
import { checkReadiness, type ReadinessSources } from './readiness.js';
import { SerialLoop } from './serial-loop.js';

export interface ReadinessReportOptions {
  readonly sources: ReadinessSources;
  readonly logger: Logger;
  /** How often to check (default 30 s); the first check comes one interval after the start. */
  readonly intervalMs?: number;
}

/**
 * The workers' readiness in their log, the same checks as the API's `/readyz`: `workers.not-ready` (warn,
 * naming what is wrong) at every check while not ready, `workers.ready` once when it is ready again. The
 * first check waits an interval, so that it does not report the reconciler's first tick as missing.
 * Delivering is the workers' whole work, so for them `degraded` (Redis, the reconciler or the outbox failing)
 * is not ready either; `status` in the line says which it is.
 */
export class ReadinessReport {
  readonly #loop: SerialLoop;
  readonly #intervalMs: number;
  #firstCheck: NodeJS.Timeout | undefined;
  #wasReady: boolean | null = null;

  constructor(private readonly opts: ReadinessReportOptions) {
    this.#intervalMs = opts.intervalMs ?? 30_000;
    this.#loop = new SerialLoop(() => this.report(), this.#intervalMs, (error) =>
      opts.logger.log('error', 'workers.readiness-failed', errorFields(error)),
    );
  }

  start(): void {
    this.#firstCheck = setTimeout(() => this.#loop.start(), this.#intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#firstCheck);
    await this.#loop.stop();
  }

  /** One check, logged. */
  async report(): Promise<void> {
    const readiness = await checkReadiness(this.opts.sources);
    const ready = readiness.status === 'ready';
    if (!ready) this.opts.logger.log('warn', 'workers.not-ready', { status: readiness.status, problems: whatIsWrong(readiness), checks: readiness.checks });
    else if (this.#wasReady !== true) this.opts.logger.log('info', 'workers.ready', { checks: readiness.checks });
    this.#wasReady = ready;
  }
}
