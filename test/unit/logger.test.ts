import { afterEach, describe, expect, it, vi } from 'vitest';
import { configuredLogLevel, jsonLogger, logLevelFrom, type LogLevel } from '../../platform/logger.js';
import { withRequestId } from '../../platform/request-context.js';

/** A logger at `level` whose lines are kept, parsed. */
function captured(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: jsonLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>), level) };
}

describe('logLevelFrom (TONGBAN_LOG_LEVEL)', () => {
  it('reads each level, and info when unset', () => {
    expect(['debug', 'info', 'warn', 'error'].map(logLevelFrom)).toEqual(['debug', 'info', 'warn', 'error']);
    expect(logLevelFrom(undefined)).toBe('info');
    expect(logLevelFrom('')).toBe('info');
  });

  it.each(['verbose', 'INFO', 'trace', ' info'])('refuses %j in one line naming the levels', (value) => {
    expect(() => logLevelFrom(value)).toThrow(`TONGBAN_LOG_LEVEL is ${JSON.stringify(value)}: it may be debug, info, warn, error`);
  });
});

describe('configuredLogLevel', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('stops the start with one line on stderr and exit code 1 for a bad TONGBAN_LOG_LEVEL', () => {
    vi.stubEnv('TONGBAN_LOG_LEVEL', 'loud');
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    expect(() => configuredLogLevel()).toThrow('exit 1');
    expect(stderr.mock.calls).toEqual([['TONGBAN_LOG_LEVEL is "loud": it may be debug, info, warn, error']]);
  });

  it('reads a good one', () => {
    vi.stubEnv('TONGBAN_LOG_LEVEL', 'warn');
    expect(configuredLogLevel()).toBe('warn');
  });
});

describe('jsonLogger', () => {
  it('writes one JSON line per event: at, level by name, the fields and event', () => {
    const { lines, logger } = captured('info');
    logger.log('warn', 'relay.failed', { rows: 3 });
    expect(lines).toEqual([{ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'warn', rows: 3, event: 'relay.failed' }]);
  });

  it('writes nothing below its level', () => {
    const { lines, logger } = captured('warn');
    logger.log('debug', 'a');
    logger.log('info', 'b');
    logger.log('warn', 'c');
    logger.log('error', 'd');
    expect(lines.map((l) => [l['level'], l['event']])).toEqual([['warn', 'c'], ['error', 'd']]);
  });

  it('names the request id of the work in hand, and none outside it', async () => {
    const { lines, logger } = captured('debug');
    await withRequestId('req-1', async () => {
      await Promise.resolve();
      logger.log('debug', 'inside');
    });
    logger.log('info', 'outside');
    expect(lines.map((l) => [l['event'], l['requestId']])).toEqual([['inside', 'req-1'], ['outside', undefined]]);
  });
});
