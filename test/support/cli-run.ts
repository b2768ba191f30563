import { runCli } from '../../apps/cli.js';

/** How a run of the CLI ended, and what it printed. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where the CLI's requests go in a test: the in-memory app (`app.request`), as `fetch` would send them over HTTP. */
interface RequestTarget {
  request(url: string, init: RequestInit): Response | Promise<Response>;
}

/**
 * `npm run tongban -- <args>` in this process: the CLI's own code with its output captured, its environment as given
 * (nothing of the test process's), its requests answered by `app`. Spawning tsx costs seconds of CPU a run; this costs none.
 *
 * @example const run = await tongban(['case', 'show', caseId], { env: { TONGBAN_API_TOKEN: token }, app: f.app });
 */
export async function tongban(args: readonly string[], options: { env?: Record<string, string | undefined>; app?: RequestTarget; tty?: boolean } = {}): Promise<CliRun & { progress: string }> {
  let stdout = '';
  let stderr = '';
  let progress = '';
  const app = options.app;
  const code = await runCli(args, {
    env: options.env ?? {},
    fetch: async (url, init) => {
      if (!app) throw new Error('connect ECONNREFUSED (no API in this test)');
      return app.request(url, init);
    },
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
    tty: options.tty ?? false,
    progress: (line) => (progress += line),
  });
  return { code, stdout, stderr, progress };
}
