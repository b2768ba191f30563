// What each target of scripts/bootstrap.mjs needs from Debian before it runs. Node built-ins only, like
// bootstrap.mjs: it runs before node_modules exists.

/** The targets that run a redis-server of their own (the embedded defaults) unless REDIS_URL names one. */
const OWN_REDIS = new Set(['start', 'test', 'bench', 'soak']);

/**
 * The Debian packages `target` needs: each `{ program, pkg, alternative }`, the program on PATH (or the file, an
 * absolute path) that says it is installed. `npm run api`, `workers`, `tongban`… connect to the PostgreSQL and
 * Redis they are given and need none, so that a production host (no root, no apt) can run them.
 *
 * @example debianNeeds('start', process.env) // [{ program: 'redis-server', pkg: 'redis-server', alternative: 'or set REDIS_URL' }]
 */
export function debianNeeds(target, env) {
  const needs = [];
  if (OWN_REDIS.has(target) && !env.REDIS_URL) needs.push({ program: 'redis-server', pkg: 'redis-server', alternative: 'or set REDIS_URL' });
  // The web pages are tested in a real headless Chromium (Debian's, driven by playwright-core), whose
  // screenshots need a Chinese font to be readable (WenQuanYi Micro Hei: small, and enough for review).
  if (target === 'test') {
    needs.push({ program: 'chromium', pkg: 'chromium' }, { program: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', pkg: 'fonts-wqy-microhei' });
  }
  return needs;
}
