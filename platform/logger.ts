import { pino } from 'pino';
import { currentRequestId } from './request-context.js';

/** The levels, least severe first: a logger set to one writes it and every level after it. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured events: a dot-namespaced name and flat fields. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

/**
 * A level as `TONGBAN_LOG_LEVEL` names it (none: `info`).
 *
 * @throws Error with one line naming the levels, for any other value.
 */
export function logLevelFrom(value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === value);
  if (!level) throw new Error(`TONGBAN_LOG_LEVEL is ${JSON.stringify(value)}: it may be ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** `TONGBAN_LOG_LEVEL`, or one line on stderr and exit code 1 before anything starts. */
export function configuredLogLevel(): LogLevel {
  try {
    return logLevelFrom(process.env['TONGBAN_LOG_LEVEL']);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

/**
 * One JSON line per event on stdout, which is what log collectors read without configuration, written by pino:
 * `at` (ISO time), `level` (its name), the fields, `requestId` when the line is written while serving a request
 * or a job that came from one (`request-context.ts`), and `event`. Events below `level` are not written.
 * The timestamp is the wall clock on purpose: it says when the process wrote the line, not domain time.
 *
 * @example jsonLogger().log('info', 'relay.batch', { rows: 500 })
 */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), level: LogLevel = configuredLogLevel()): Logger {
  const logger = pino(
    {
      level,
      base: null,
      messageKey: 'event',
      timestamp: () => `,"at":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId === undefined ? {} : { requestId };
      },
    },
    // pino writes synchronously to a plain stream: each line ends in a newline, which `write` adds itself.
    { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) },
  );
  return {
    log(lineLevel, event, fields = {}) {
      logger[lineLevel](fields, event);
    },
  };
}

/** The fields that say what went wrong, without the stack (one line per event). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  return { error: error.message, errorName: error.name, ...(code === undefined ? {} : { errorCode: code }) };
}
