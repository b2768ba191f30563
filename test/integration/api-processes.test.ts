import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../../platform/free-port.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_LICENCE_KEY } from '../support/licence-signer.js';
import { TEST_JWT_SECRET } from '../support/test-auth.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm run api`'s entry point run as bootstrap runs it, but under `node --import tsx` so that the pid signalled is the
 * primary itself; its JSON log lines collected as they come.
 */
function startApi(env: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  // The test's key and secret, so that nothing is written to .data/dev.
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api.ts'], {
    cwd: root,
    env: { ...inherited, TONGBAN_JWT_SECRET: TEST_JWT_SECRET, TONGBAN_LICENCE_SIGNING_KEY: TEST_LICENCE_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const events = (event: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((e) => e['event'] === event);
  return { child, exited, events, stderr: () => stderr };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run api with TONGBAN_API_PROCESSES', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  // Each process compiles the app (tsx) and prepares the database: 20 s apiece on a loaded 2-core box.
  it('serves one port from two processes, restarts one that dies while the other answers, and stops both on SIGTERM', { timeout: 240_000 }, async () => {
    const port = await getFreePort();
    const api = startApi({ DATABASE_URL: db.url, PORT: String(port), TONGBAN_API_PROCESSES: '2' });
    try {
      await expect.poll(() => api.events('api.cluster-listening'), { timeout: 90_000 }).toEqual([expect.objectContaining({ processes: 2 })]);
      const [first, second] = api.events('api.process-started').map((e) => e['pid'] as number);
      expect([first, second].every((pid) => pid !== undefined && pid !== api.child.pid && isAlive(pid))).toBe(true);

      process.kill(first!, 'SIGKILL');
      // Once the primary has seen the death: a connection it handed to the process as it died is lost with it (Node's
      // round-robin hand-off waits for an answer that never comes), which a load balancer's retry covers, not this.
      await expect.poll(() => api.events('api.process-exited'), { timeout: 10_000 }).toEqual([expect.objectContaining({ pid: first, signal: 'SIGKILL', restartInMs: 1_000 })]);
      // New connections each time: the primary hands every one to the process that is left.
      for (let i = 0; i < 10; i++) {
        const answer = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(10_000) });
        expect(answer.status).toBe(200);
      }
      await expect.poll(() => api.events('api.process-started').length, { timeout: 10_000 }).toBe(3);
      const restarted = api.events('api.process-started')[2]!['pid'] as number;
      await expect.poll(() => api.events('api.listening').length, { timeout: 90_000 }).toBe(3);
      expect(isAlive(restarted)).toBe(true);

      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      expect([second!, restarted].filter(isAlive)).toEqual([]);
      // The primary and each process it forked ran a shutdown: the API processes closed their pools.
      expect(api.events('shutdown.started')).toHaveLength(3);
      expect(api.events('shutdown.step-failed')).toEqual([]);
    } finally {
      api.child.kill('SIGKILL');
    }
  });

  it('stops with exit code 1 when a process fails its start, restarting nothing', { timeout: 60_000 }, async () => {
    const closedPort = await getFreePort();
    const api = startApi({ DATABASE_URL: `postgres://tongban@127.0.0.1:${closedPort}/none`, PORT: String(await getFreePort()), TONGBAN_API_PROCESSES: '2' });
    try {
      expect(await api.exited).toBe(1);
      expect(api.events('api.start-failed').length).toBeGreaterThan(0);
      expect(api.events('api.process-started')).toHaveLength(2);
    } finally {
      api.child.kill('SIGKILL');
    }
  });

  it.each(['0', 'two'])('refuses TONGBAN_API_PROCESSES=%s in one line, forking nothing', async (value) => {
    const api = startApi({ DATABASE_URL: db.url, TONGBAN_API_PROCESSES: value });
    expect(await api.exited).toBe(1);
    expect(api.stderr().trimEnd().split('\n')).toEqual([`api: TONGBAN_API_PROCESSES must be a whole number of processes, 1 or more, not ${value}`]);
    expect(api.events('api.process-started')).toEqual([]);
  });
});
