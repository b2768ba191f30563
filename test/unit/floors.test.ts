import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The floors of the house (docs/architecture.md): a folder imports only the folders this table lets it,
 * and no set of files imports itself round in a circle. What the table does not list is refused.
 */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  engine: [],
  diagram: [],
  platform: ['engine'],
  workflows: ['engine'],
  db: ['engine', 'platform'],
  api: ['engine', 'db', 'platform', 'diagram'],
  workers: ['engine', 'db', 'platform'],
  apps: ['engine', 'platform', 'workflows', 'db', 'api', 'workers', 'diagram'],
};

const SOURCE = /\.(ts|mts)$/;
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The files a source file imports, as repository paths (`.js` specifiers name `.ts` files). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
    .map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
}

const floorOf = (path: string) => path.split(/[\\/]/)[0] ?? '';

const files = Object.keys(MAY_IMPORT).flatMap(sources);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => SOURCE.test(i))]));

describe('the floors of the house', () => {
  it.each(files)('%s imports only from the floors below it', (file) => {
    const allowed = [floorOf(file), ...(MAY_IMPORT[floorOf(file)] ?? [])];
    const upward = (graph.get(file) ?? []).filter((target) => !allowed.includes(floorOf(target)));
    expect(upward, `${file} may import only ${allowed.join(', ')}`).toEqual([]);
  });

  it('has no circle of imports', () => {
    const circles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('runs SQL only in db/ (platform/ may talk to PostgreSQL to create the embedded database)', () => {
    const speaksSql = files
      .filter((file) => !['db', 'platform'].includes(floorOf(file)))
      .filter((file) => /from '(postgres|drizzle-orm(\/[^']*)?)'|(?<!`)\bsql`/.test(readFileSync(file, 'utf8')));
    expect(speaksSql).toEqual([]);
  });

  it('keeps the workspace (web/) apart: it reaches the server only over HTTP, through its typed client, and shares only the drawing of diagrams (diagram/)', () => {
    const webFiles = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === 'dist' ? [] : walk(join(dir, e.name))) : /\.(ts|vue)$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    })('web');
    const RELATIVE = /(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;
    const outward = webFiles.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(RELATIVE)].map((m) => normalize(join(dirname(file), m[1] ?? ''))).filter((target) => !['web', 'diagram'].includes(floorOf(target))).map((target) => `${file} -> ${target}`),
    );
    expect(webFiles.length).toBeGreaterThan(5);
    expect(outward).toEqual([]);
  });

  it("keeps each page of the workspace to itself: a page imports only its own folder and the shared pieces, never another page's files", () => {
    const PAGES = join('web', 'src', 'pages');
    const pageFiles = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|vue)$/.test(e.name) ? [join(dir, e.name)] : []));
    })(PAGES);
    // Shared: components/ (Vue components), lib/ (pure logic), the shell's typed client and catalogue, the modules at web/src/ root, diagram/.
    const shared = (target: string) =>
      ['components', 'lib', 'api', 'messages'].some((dir) => target.startsWith(join('web', 'src', dir) + '/')) || dirname(target) === join('web', 'src') || floorOf(target) === 'diagram';
    const RELATIVE = /(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;
    const borrowed = pageFiles.flatMap((file) => {
      const ownFolder = join(PAGES, relative(PAGES, file).split(/[\\/]/)[0] ?? '');
      return [...readFileSync(file, 'utf8').matchAll(RELATIVE)]
        .map((m) => normalize(join(dirname(file), m[1] ?? '')))
        .filter((target) => !target.startsWith(ownFolder + '/') && !shared(target))
        .map((target) => `${file} -> ${target}`);
    });
    expect(pageFiles.length).toBeGreaterThan(10);
    expect(borrowed).toEqual([]);
  });

  it('knows every top-level folder of source code', () => {
    const topLevel = readdirSync('.', { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .filter((e) => sources(e.name).length > 0)
      .map((e) => e.name);
    const outside = ['test', 'bench', 'soak', 'scripts', 'web'];
    expect(topLevel.filter((d) => !(d in MAY_IMPORT) && !outside.includes(d))).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
    expect(relative('.', files[0] ?? '')).not.toBe('');
  });
});
