import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The pure core stays pure (DESIGN.md rule 3): engine/ and workflows/ import no transport, queue or
 * database library (which folders they may import is `floors.test.ts`'s), and never read the wall clock — the lint rule Temporal keeps with
 * no-restricted-imports, kept here as a test since the project has no linter yet.
 */
const FORBIDDEN_PACKAGES = /^(hono|@hono\/.*|bullmq|ioredis|postgres|drizzle-orm(\/.*)?|pg)$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the pure core', () => {
  const files = [...sources('engine'), ...sources('workflows')];

  it.each(files)('%s imports nothing from the edges', (file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/^\s*import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
    expect(imports.filter((i) => FORBIDDEN_PACKAGES.test(i))).toEqual([]);
  });

  it.each(files)('%s never reads the wall clock', (file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(/Date\.now\(\)|new Date\(\)/);
  });

  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(20);
  });
});
