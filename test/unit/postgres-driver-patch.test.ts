import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * scripts/patch-postgres.mjs (postinstall) fixes two defects of postgres.js 3.4.9 that a PostgreSQL restart sets off: a
 * reconnected connection whose small writes never flush (a request hanging for good), and a flush onto a null socket
 * (the process ending). Scenario 6 (`faults/postgres-restart.test.ts`) meets them only now and then; this checks that
 * every build of the installed driver carries the fix.
 */
describe('the installed postgres.js', () => {
  it.each(['src', 'cjs/src', 'cf/src'])('%s: a closed connection forgets its pending write, and a late flush settles instead of throwing', (build) => {
    const code = readFileSync(`node_modules/postgres/${build}/connection.js`, 'utf8');
    expect(code.startsWith('/* tongban: patched (scripts/patch-postgres.mjs) */')).toBe(true);
    // Every cancelled flush forgets it: after a flush (as 3.4.9 did), and now after terminate() and closed() too.
    expect(code.match(/clearImmediate\(nextWriteTimer\)\n\s*chunk = nextWriteTimer = null/g)).toHaveLength(3);
    expect(code).toContain("if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))");
  });
});
