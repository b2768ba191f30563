import { spawn } from 'node:child_process';

/** What a scan found: a file is kept only when `clean`. */
export type ScanVerdict = 'clean' | 'infected';

/** The virus-scan hook point (病毒扫描): every upload passes it before it is kept. */
export interface MaterialScanner {
  scan(chunks: readonly Buffer[]): Promise<ScanVerdict>;
}

/** No scanner configured: every file is clean (a deployment without one says so by leaving the command out). */
export const NO_SCANNER: MaterialScanner = { scan: async () => 'clean' };

/** How long a scan may take before the upload fails (and nothing is kept). */
const SCAN_TIMEOUT_MS = 60_000;

/**
 * A scanner that runs `command` in a shell with the file on its standard input, as `clamdscan --no-summary -` takes
 * it: exit 0 clean, 1 infected; anything else (it could not scan, or took too long) fails the upload, never passes it.
 *
 * @example const scanner = commandScanner('clamdscan --no-summary -');
 */
export function commandScanner(command: string): MaterialScanner {
  return {
    scan: (chunks) =>
      new Promise((resolve, reject) => {
        const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'ignore', 'pipe'], timeout: SCAN_TIMEOUT_MS });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
        child.on('error', reject);
        child.on('close', (code, signal) => {
          if (code === 0) resolve('clean');
          else if (code === 1) resolve('infected');
          else reject(new Error(`The material scanner failed (${signal ?? `exit ${String(code)}`}): ${stderr.trim()}`));
        });
        // A scanner that stops reading early (it found what it looks for) closes its input: not an error of ours.
        child.stdin.on('error', () => {});
        for (const chunk of chunks) child.stdin.write(chunk);
        child.stdin.end();
      }),
  };
}
