/**
 * What a command of `npm run tongban` reads and writes, handed to it rather than taken from `process`, so that the
 * tests run the commands in-process against the in-memory API and a real database.
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How requests reach the API: the global `fetch`, or a test's in-memory app. */
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** A line of the result, on standard output. */
  out(line: string): void;
  /** A line about the run (refusals, errors, the usage), on standard error. */
  err(line: string): void;
  /** Whether standard error is a terminal: a batch draws its progress bar there, else it writes a plain line per item. */
  readonly tty: boolean;
  /** Draws the progress line again, in place (a terminal only). */
  progress(line: string): void;
}

/** Bad input: said in one line on standard error, exit status 2, nothing done. */
export class UsageError extends Error {}

/** The exit status of a command: 0 done, 1 something was refused or failed, 2 bad input (nothing done). */
export type ExitCode = 0 | 1 | 2;

/** The process's own streams, environment and `fetch`. */
export function processIo(): CliIo {
  return {
    env: process.env,
    fetch: (url, init) => fetch(url, init),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    tty: process.stderr.isTTY === true,
    progress: (line) => process.stderr.write(`\r\x1b[2K${line}`),
  };
}
