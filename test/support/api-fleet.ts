import { createEngineFixture, MONDAY_MORNING, type EngineFixture } from './engine-fixture.js';
import { Fleet, type ApiProcess } from './fleet.js';

/** API processes of a fleet (no workers) on a database of their own, seeded, with the fleet's clock at Monday morning. */
export interface ApiFleet {
  readonly f: EngineFixture;
  readonly fleet: Fleet;
  readonly apis: readonly ApiProcess[];
  /** Kills the processes and drops the database. */
  close(): Promise<void>;
}

/**
 * Starts `count` API processes (in parallel) on a new database, each with `env` added to its environment.
 *
 * @example
 * let w: ApiFleet;
 * beforeAll(async () => { w = await startApiFleet('retries'); }, 60_000);
 * afterAll(() => w?.close());
 */
export async function startApiFleet(prefix: string, env: Record<string, string> = {}, count = 2): Promise<ApiFleet> {
  const f = await createEngineFixture();
  const fleet = new Fleet({ databaseUrl: f.db.url, prefix, now: MONDAY_MORNING });
  try {
    const apis = await Promise.all(Array.from({ length: count }, () => fleet.api(env)));
    return { f, fleet, apis, close: async () => void (await fleet.close(), await f.close()) };
  } catch (error) {
    await fleet.close();
    await f.close();
    throw error;
  }
}
