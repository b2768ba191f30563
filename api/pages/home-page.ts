import type { OpenAPIHono } from '@hono/zod-openapi';

/**
 * The front page: what is running and where to go. The case-handling workspace comes with its own issue;
 * until then people use the API docs page, which can call every route with a token.
 */
export function homeRoutes(app: OpenAPIHono): void {
  app.get('/', (c) =>
    c.html(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>通办 Tongban</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1c2430}
code{background:#eef1f5;padding:.1rem .3rem;border-radius:3px}a{color:#0b5cad}</style></head>
<body>
<h1>通办 Tongban</h1>
<p>Cross-department joint approval: one application, many departments, legal time limits in working days.</p>
<ul>
<li><a href="/api/docs">API docs</a> — authorize with a token, then try any route</li>
<li><a href="/api/openapi.json">OpenAPI 3.1 document</a></li>
</ul>
<p>Tokens for the demo users: run <code>npm run tokens</code> (or <code>npm run tokens -- fire.handler</code>).
Each user acts for one department: <code>window.clerk</code> takes applications in, <code>&lt;department&gt;.handler</code>
and <code>&lt;department&gt;.lead</code> work their department's inbox, <code>supervisor</code> reads across departments.</p>
</body></html>`),
  );
}
