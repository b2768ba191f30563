import type { Sql } from '../db/connection.js';
import { SerialLoop } from './serial-loop.js';

/**
 * A {@link SerialLoop} that a PostgreSQL `NOTIFY` channel wakes too, besides its poll: the outbox relay (woken by
 * commits) and the deadline recompute walk (woken by calendar imports). The poll is the fallback for a lost
 * notification.
 */
export class ListeningLoop {
  readonly #loop: SerialLoop;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly channel: string,
    ...loop: ConstructorParameters<typeof SerialLoop>
  ) {
    this.#loop = new SerialLoop(...loop);
  }

  /** See {@link SerialLoop.stopping}: work that walks many batches checks it between them. */
  get stopping(): boolean {
    return this.#loop.stopping;
  }

  /** Listens on the channel and starts the loop (a first run now). */
  async start(): Promise<void> {
    // postgres.js re-listens after a reconnect and calls `onlisten` again: a run then catches up on whatever
    // was notified while the listening connection was down.
    const listening = await this.sql.listen(this.channel, () => this.#loop.wake(), () => this.#loop.wake());
    this.#unlisten = () => listening.unlisten();
    this.#loop.start();
  }

  /** Stops listening and running; waits for the run in flight. */
  async stop(): Promise<void> {
    // Stopping the loop first cuts a run in flight short at its current batch, while we unlisten.
    const stopped = this.#loop.stop();
    await this.#unlisten?.();
    this.#unlisten = null;
    await stopped;
  }
}
