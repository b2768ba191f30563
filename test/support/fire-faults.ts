import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, existsSync, openSync } from 'node:fs';
import type { Sql } from '../../db/connection.js';
import type { Engine } from '../../engine/engine.js';

/**
 * Faults a fleet workers process (test/support/worker-process.ts) injects into its own timer firing, chosen by its
 * environment, so that a fault test stops the process at an exact point instead of killing it after a random sleep.
 * Test code only: the product's engine, store and worker know nothing of them.
 *
 * - `TONGBAN_TEST_HALT_FIRE=before-commit`: every fire stops inside its transaction, after the commit statement has
 *   written the case (holding its row lock) and before COMMIT is sent; the process prints `halted before-commit
 *   <timerId>` and waits there for ever, for the test to SIGKILL it (PostgreSQL then rolls the transaction back).
 * - `TONGBAN_TEST_HALT_FIRE=after-commit`: every fire stops once committed, before its job is acknowledged; prints
 *   `halted after-commit <timerId>`.
 * - `TONGBAN_TEST_BLOCK_FIRE_UNTIL=<path>`: the first fire of the fleet (of all the processes given the same path:
 *   the one that creates `<path>.taken` first) blocks its whole event loop (a synchronous wait, as a runaway
 *   computation would) before it starts, until the file `<path>` exists; it prints `blocked <timerId>` first, then
 *   fires as usual and prints `after waking <timerId> changed=<whether the fire changed anything>`. The others fire
 *   as usual.
 */
export interface FireFaults {
  /** The engine the timer worker is given: the fleet's, with the chosen halt or block around each fire. */
  engine(inner: Pick<Engine, 'execute'>): Pick<Engine, 'execute'>;
  /** The pool the case store is given: the fleet's, holding back COMMIT for `before-commit`. */
  sql(inner: Sql): Sql;
}

type Halt = 'before-commit' | 'after-commit';

const forever = () => new Promise<never>(() => {});

export function fireFaults(env: NodeJS.ProcessEnv = process.env): FireFaults {
  const halt = env['TONGBAN_TEST_HALT_FIRE'] as Halt | undefined;
  if (halt !== undefined && halt !== 'before-commit' && halt !== 'after-commit') throw new Error(`TONGBAN_TEST_HALT_FIRE=${String(halt)}: before-commit or after-commit`);
  const releaseFile = env['TONGBAN_TEST_BLOCK_FIRE_UNTIL'];
  // The timer a transaction fires, so that the pool knows whose COMMIT it holds back.
  const firing = new AsyncLocalStorage<string>();
  let triedToBlock = false;
  return {
    engine: (inner) => ({
      async execute(command, options) {
        if (command.type !== 'timer.fire') return inner.execute(command, options);
        if (releaseFile !== undefined && !triedToBlock) {
          triedToBlock = true;
          if (!takeFirst(`${releaseFile}.taken`)) return inner.execute(command, options);
          console.log(`blocked ${command.timerId}`);
          blockUntilExists(releaseFile);
          const result = await inner.execute(command, options);
          console.log(`after waking ${command.timerId} changed=${result.changed}`);
          return result;
        }
        const result = await firing.run(command.timerId, () => inner.execute(command, options));
        if (halt === 'after-commit') {
          console.log(`halted after-commit ${command.timerId}`);
          return forever();
        }
        return result;
      },
    }),
    sql: (inner) => {
      if (halt !== 'before-commit') return inner;
      const reserve = async () => {
        const conn = await inner.reserve();
        let written: Promise<unknown> = Promise.resolve();
        return new Proxy(conn, {
          get(target, property, receiver) {
            if (property !== 'unsafe') return Reflect.get(target, property, receiver) as unknown;
            return (query: string, ...rest: unknown[]) => {
              const timer = firing.getStore();
              if (timer === undefined || query !== 'commit') {
                const sent = (target.unsafe as (...args: unknown[]) => Promise<unknown>)(query, ...rest);
                written = sent;
                return sent;
              }
              // The commit statement was sent just before (pipelined): once it has written, stop short of COMMIT.
              return written.then(() => {
                console.log(`halted before-commit ${timer}`);
                return forever();
              });
            };
          },
        });
      };
      return new Proxy(inner, { get: (target, property, receiver) => (property === 'reserve' ? reserve : (Reflect.get(target, property, receiver) as unknown)) });
    },
  };
}

/** Creates `path` unless it exists (atomically, across processes): whether this call created it. */
function takeFirst(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx'));
    return true;
  } catch {
    return false;
  }
}

/** Blocks the thread (no event loop turn at all) until `path` exists, looking every 10 ms. */
function blockUntilExists(path: string): void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(path)) Atomics.wait(nap, 0, 0, 10);
}
