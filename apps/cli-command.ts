import { readFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { UsageError, type CliIo, type ExitCode } from './cli-io.js';

/** An option's value as `parseArgs` gives it (our commands declare none `multiple`, so never an array). */
export type OptionValue = string | boolean | (string | boolean)[] | undefined;

/** What a command is given: its positional arguments and its options, checked against what it declares. */
export interface CliInput {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, OptionValue>>;
}

/** One command of `npm run tongban`: its words (`case terminate`), how it is called, what it does. */
export interface CliCommand {
  readonly name: string;
  /** The arguments after the name, as `--help` shows them. */
  readonly usage: string;
  /** One line for `help`. */
  readonly summary: string;
  /** More lines for `--help`: the options, the exit statuses, what it needs. */
  readonly details?: readonly string[];
  readonly options?: NonNullable<ParseArgsConfig['options']>;
  run(input: CliInput, io: CliIo): Promise<ExitCode>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids a batch acts on: those given as arguments and those of `file` (one a line; blank lines and `#` comments
 * skipped), every one checked before anything is done. None, or one that is not an id, is bad input.
 */
export async function idsOf(what: string, positionals: readonly string[], file: OptionValue): Promise<string[]> {
  const fromFile = typeof file === 'string' ? linesOf(await readText(file)) : [];
  const ids = [...positionals, ...fromFile];
  if (ids.length === 0) throw new UsageError(`name at least one ${what} id, or --file <ids.txt>`);
  const bad = ids.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new UsageError(`not a ${what} id: ${bad}`);
  return [...new Set(ids)];
}

/** An option the command cannot go without, as a string. */
export function required(input: CliInput, option: string): string {
  const value = input.values[option];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${option} is required`);
  return value;
}

/** A file the command reads: unreadable is bad input. */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The database the command acts on directly: `DATABASE_URL`, required. */
export function databaseUrl(io: CliIo): string {
  const url = io.env['DATABASE_URL'];
  if (!url) throw new UsageError('DATABASE_URL is not set: point it at the database (`npm start` prints it as "Database:")');
  return url;
}

const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
