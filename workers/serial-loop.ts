/**
 * Runs a background task every `intervalMs`, and sooner when woken, never two runs at once: the relay
 * (poll + LISTEN wake-ups) and the reconciler (periodic tick) both need exactly this. A wake-up that
 * arrives during a run is remembered and causes one more run right after, so no wake-up is lost and a
 * burst of them costs one extra run. `stop()` waits for the run in flight.
 */
export class SerialLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts the loop with a first run now. */
  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Asks for a run as soon as possible. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
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
    } while (this.#again && !this.#stopped);
    this.#running = null;
    if (!this.#stopped) this.#timer = setTimeout(() => this.wake(), this.intervalMs);
  }
}
