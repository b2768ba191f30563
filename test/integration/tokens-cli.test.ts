import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run tokens -- <args>` as bootstrap runs it, with a secret of its own (nothing written to .data/dev). */
function tokens(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const child = spawn(process.execPath, ['node_modules/.bin/tsx', 'apps/tokens.ts', ...args], {
    cwd: root,
    env: { ...env, TONGBAN_JWT_SECRET: 'test-secret-of-at-least-thirty-two-characters', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run tokens', () => {
  it('an unknown user gets one line naming the demo users, no stack trace, and exit status 1', async () => {
    const { code, stdout, stderr } = await tokens('fire.handlr');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^No demo user fire\.handlr; try one of: window\.clerk, .*fire\.handler, .*admin$/)]);
  });

  it('a known user gets one line with a token', async () => {
    const { code, stdout } = await tokens('fire.handler');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^fire\.handler +handler +ey[\w-]+\.[\w-]+\.[\w-]+$/)]);
  });
});
