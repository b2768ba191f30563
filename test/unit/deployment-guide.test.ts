import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Keeps the deployment guide (docs/deployment.md) and its examples (deploy/) true to the code: an operator who
 * copies them sets only settings a process reads, and runs only commands package.json has.
 */
const GUIDE = 'docs/deployment.md';
const EXAMPLES = readdirSync('deploy').map((name) => join('deploy', name));
const DOCUMENTS = [GUIDE, ...EXAMPLES];
/** Where the processes read their settings. */
const SETTING_READERS = ['platform', 'apps', 'api', 'workers', 'db'];

const text = (file: string): string => readFileSync(file, 'utf8');

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * The environment variables a document names: every `TONGBAN_*`, every name given a value (`NAME=value` in an
 * environment file, a unit's `Environment=`, a Containerfile's `ENV`, a command line) and every name in backticks
 * with an underscore (`DATABASE_URL`, `DB_POOL_SIZE`).
 */
function settingsNamed(document: string): Set<string> {
  const patterns = [/\bTONGBAN_[A-Z0-9_]+\b/g, /(?<=^|[\s'"`=#])[A-Z][A-Z0-9_]*(?==)/gm, /(?<=`)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?=`)/g];
  return new Set(patterns.flatMap((pattern) => document.match(pattern) ?? []));
}

/** Whether the code reads `name` from the environment: `process.env.NAME`, `process.env['NAME']`, or `'NAME'` handed to a reader. */
function isRead(name: string, code: string): boolean {
  return new RegExp(`process\\.env(?:\\.${name}\\b|\\[['"]${name}['"]\\])|['"\`]${name}['"\`]`).test(code);
}

const scripts = (JSON.parse(text('package.json')) as { scripts: Record<string, string> }).scripts;

describe('the deployment guide and its examples', () => {
  const code = SETTING_READERS.flatMap(sources).map(text).join('\n');

  it.each(DOCUMENTS)('%s names only settings the processes read', (document) => {
    const named = [...settingsNamed(text(document))];
    expect(named.filter((name) => !isRead(name, code))).toEqual([]);
  });

  it('finds the settings a document names', () => {
    expect([...settingsNamed(text(GUIDE))]).toEqual(expect.arrayContaining(['DATABASE_URL', 'DB_POOL_SIZE', 'NODE_ENV', 'TONGBAN_JWT_SECRET']));
    expect([...settingsNamed(text('deploy/tongban.env.example'))]).toEqual(expect.arrayContaining(['PORT', 'TONGBAN_IDP_SIGN_IN_URL']));
  });

  it.each(DOCUMENTS)('%s runs only npm scripts package.json has, or what one of them runs', (document) => {
    const body = text(document);
    const npmRuns = [...body.matchAll(/\bnpm run (?:-s )?([a-z][\w:-]*)/g)].map((m) => m[1] ?? '');
    const bootstrapTargets = [...body.matchAll(/scripts\/bootstrap\.mjs"?,? "?([a-z][\w:-]*)/g)].map((m) => `node scripts/bootstrap.mjs ${m[1] ?? ''}`);
    expect(npmRuns.filter((name) => !(name in scripts))).toEqual([]);
    expect(bootstrapTargets.filter((command) => !Object.values(scripts).includes(command))).toEqual([]);
  });

  it('relies on the install stamp scripts/bootstrap.mjs keeps', () => {
    const stamps = new Set(DOCUMENTS.flatMap((document) => text(document).match(/node_modules\/\.[\w-]+/g) ?? []));
    expect([...stamps].filter((stamp) => !text('scripts/bootstrap.mjs').includes(`'${stamp.replace('node_modules/', '')}'`))).toEqual([]);
  });
});
