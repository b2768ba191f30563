/**
 * Runs a background task every `intervalMs`, and sooner when woken, never two runs at once: the relay
 * (poll + LISTEN wake-ups), the reconciler and the purge (periodic ticks) all need exactly this. A wake-up
 * that arrives during a run is remembered and causes one more run right after, so no wake-up is lost and a
 * burst of them costs one extra run. `stop()` waits for the run in flight; a long run ends sooner if its
 * task checks {@link SerialLoop.stopping} between batches.
 */
export class SerialLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #again = false;
  /**
   * `idle` (never started) is not stopping: work run by hand before the loop starts (tests, operations) runs
   * to its end.
   */
  #state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * True from `stop()` until the next `start()`. Work that walks many batches (a rebuild, a purge, a relay
   * flush), whether the loop or a caller runs it, stops after the current batch, so `stop()` returns soon.
   */
  get stopping(): boolean {
    return this.#state === 'stopped';
  }

  /** Starts the loop with a first run now. */
  start(): void {
    this.#state = 'started';
    this.wake();
  }

  /** Asks for a run as soon as possible. */
  wake(): void {
    if (this.#state !== 'started') return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#run();
  }

  /** Stops running the task; resolves once the run in flight, if any, has ended. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.task();
      } catch (error) {
        // A failed run (database or Redis away) is retried by the next tick, not by a tight loop.
        this.onError(error);
        this.#again = false;
      }
    } while (this.#again && this.#state === 'started');
    this.#running = null;
    if (this.#state === 'started') this.#timer = setTimeout(() => this.wake(), this.intervalMs);
  }
}
