import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';

/** Where `apps/build-web.ts` puts the built workspace (TONGBAN_WEB_DIST elsewhere, e.g. for a second build in parallel). */
export const WORKSPACE_DIST = process.env['TONGBAN_WEB_DIST'] ?? fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Paths the workspace never answers: the API, its docs, the probes and the queue dashboard are routes of their own. */
const NOT_PAGES = /^\/(api|healthz|readyz|admin\/queues)(\/|$)/;

/** What Vite emits into `assets/`. */
const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/**
 * The workspace (web/, built into web/dist): hashed assets with a year's cache (their names change with their
 * content), and `index.html` for every other page path, never cached, so that a new build is picked up on the
 * next load. The pages route in the browser (vue-router's history mode), hence one document for all.
 */
export function workspaceRoutes(app: OpenAPIHono, dist = WORKSPACE_DIST): void {
  app.get('/assets/:file', async (c) => {
    // Vite's assets are one flat directory of hashed names: `basename` keeps a request inside it.
    const file = basename(c.req.param('file'));
    const type = ASSET_TYPES[extname(file)];
    const path = join(dist, 'assets', file);
    if (!type || !existsSync(path)) return c.notFound();
    return c.body(await readFile(path), 200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' });
  });
  app.get('*', (c) => {
    if (NOT_PAGES.test(c.req.path)) return c.notFound();
    const index = join(dist, 'index.html');
    if (!existsSync(index)) {
      return c.html('<!doctype html><title>通办 Tongban</title><p>The workspace is not built: <code>npm start</code> builds it (web/ → web/dist).</p>', 503);
    }
    // Read per request: a rebuild while the API runs is served at once (the file is small).
    return c.html(readFileSync(index, 'utf8'), 200, { 'cache-control': 'no-cache' });
  });
}
