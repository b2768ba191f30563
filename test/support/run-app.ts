import { spawn } from 'node:child_process';

/** How a command-line entry point ended, and what it printed. */
export interface AppRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an entry point of `apps/` as `npm run` does (tsx in a process of its own), with DATABASE_URL set to
 * `databaseUrl`, or unset when it is null.
 *
 * @example const run = await runApp('apps/audit-verify.ts', [caseId], f.db.url);
 */
export function runApp(entry: string, args: readonly string[], databaseUrl: string | null): Promise<AppRun> {
  const env = { ...process.env };
  delete env['DATABASE_URL'];
  if (databaseUrl) env['DATABASE_URL'] = databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/.bin/tsx', entry, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
