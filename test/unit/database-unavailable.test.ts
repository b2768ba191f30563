import { describe, expect, it } from 'vitest';
import { databaseUnavailableCode, isConnectionLost } from '../../db/database-unavailable.js';

/** An error as postgres.js or Node raises it: a message and a `code` (a SQLSTATE for the server's errors). */
const failure = (code: string, message = `failure ${code}`) => Object.assign(new Error(message), { code });

describe('databaseUnavailableCode', () => {
  it.each([
    // postgres.js: the connection closed under a query, the pool ended, a connection destroyed, no connection in time.
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    'CONNECTION_DESTROYED',
    'CONNECT_TIMEOUT',
    // Node's socket: nothing listens (a restart), the peer went away, the host cannot be reached or found.
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    // Class 08, connection exception.
    '08000',
    '08003',
    '08006',
    '08001',
    '08004',
    '08P01',
    // Shutting down (admin, crash), not accepting connections yet.
    '57P01',
    '57P02',
    '57P03',
    // Insufficient resources: disk full, out of memory, too many connections.
    '53000',
    '53100',
    '53200',
    '53300',
    // A server refusing writes (default_transaction_read_only, a standby after a failover).
    '25006',
  ])('%s is the database unavailable', (code) => {
    expect(databaseUnavailableCode(failure(code))).toBe(code);
  });

  it.each([
    ['a unique violation', '23505'],
    ['a check violation', '23514'],
    ['a serialization failure', '40001'],
    ['a syntax error', '42601'],
    ['an undefined table', '42P01'],
    ['a query canceled (statement timeout)', '57014'],
    ['a commit refused by its own statement', 'P0001'],
    ['too many parameters', 'MAX_PARAMETERS_EXCEEDED'],
    ['a look-alike that is not a SQLSTATE of class 08', '080'],
  ])('%s (%s) is not', (_, code) => {
    expect(databaseUnavailableCode(failure(code))).toBeNull();
  });

  it('finds the driver’s error wrapped as a cause (drizzle’s DrizzleQueryError), but not one without a code', () => {
    expect(databaseUnavailableCode(new Error('Failed query: select 1', { cause: failure('57P01') }))).toBe('57P01');
    expect(databaseUnavailableCode(new Error('outer', { cause: new Error('middle', { cause: failure('ECONNREFUSED') }) }))).toBe('ECONNREFUSED');
    expect(databaseUnavailableCode(new Error('boom'))).toBeNull();
    expect(databaseUnavailableCode(new Error('Failed query', { cause: failure('23505') }))).toBeNull();
  });

  it('takes anything thrown, not only errors, and does not follow a cause chain forever', () => {
    for (const thrown of [undefined, null, 'ECONNREFUSED', 42, { code: 42 }]) expect(databaseUnavailableCode(thrown)).toBeNull();
    expect(databaseUnavailableCode({ code: '57P01' })).toBe('57P01');
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(databaseUnavailableCode(loop)).toBeNull();
  });
});

describe('isConnectionLost', () => {
  it.each(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED'])('%s: the connection is gone, never to be written to again', (code) => {
    expect(isConnectionLost(new Error('Failed query', { cause: failure(code) }))).toBe(true);
  });

  it.each(['57P01', '57P02', '08006', '57P03', '53100', '53200', '53300', '25006', '23505', '40001'])('%s: the server answered on a live connection (rolled back, given back)', (code) => {
    expect(isConnectionLost(failure(code))).toBe(false);
  });
});
