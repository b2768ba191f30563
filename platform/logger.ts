export type LogLevel = 'info' | 'warn' | 'error';

/** Structured events: a dot-namespaced name and flat fields. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON line per event on stdout, which is what log collectors read without configuration.
 * The timestamp is the wall clock on purpose: it says when the process wrote the line, not domain time.
 *
 * @example jsonLogger().log('info', 'relay.batch', { rows: 500 })
 */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return {
    log(level, event, fields = {}) {
      write(JSON.stringify({ at: new Date().toISOString(), level, event, ...fields }));
    },
  };
}

/** The fields that say what went wrong, without the stack (one line per event). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  return { error: error.message, errorName: error.name, ...(code === undefined ? {} : { errorCode: code }) };
}
