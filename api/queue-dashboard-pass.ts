import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { QueueDashboardSource } from './api-deps.js';

/** Where the queue dashboard (bull-board) is served; its pass is sent there and nowhere else. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** How long a pass admits; the workspace renews it while its page shows the dashboard. */
export const PASS_LIFETIME_SECONDS = 15 * 60;

const COOKIE = 'tongban_queues';

/**
 * The dashboard's own page calls its API without our bearer token, so an administrator's workspace trades
 * the token for a pass: a signed cookie naming the person and when it ends, HttpOnly (no script reads it),
 * SameSite=Strict (no other site sends it) and scoped to {@link QUEUE_DASHBOARD_PATH}.
 *
 * @example const { expiresAt } = await issuePass(c, source, actor.userId, clock.now());
 */
export async function issuePass(c: Context, source: QueueDashboardSource, userId: string, now: Date): Promise<{ expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + PASS_LIFETIME_SECONDS * 1000);
  await setSignedCookie(c, COOKIE, `${expiresAt.getTime()}:${userId}`, await signingKey(source), {
    path: QUEUE_DASHBOARD_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: PASS_LIFETIME_SECONDS,
    secure: isHttps(c),
  });
  return { expiresAt };
}

/** Whom a request's pass names, or why it admits nobody. Whether that person may open the dashboard is the caller's to check. */
export type PassCheck = { readonly userId: string } | { readonly refused: string };

export async function readPass(c: Context, source: QueueDashboardSource, now: Date): Promise<PassCheck> {
  if (getCookie(c, COOKIE) === undefined) return { refused: 'No pass: open the queue dashboard from the Administration page of the workspace.' };
  const value = await getSignedCookie(c, await signingKey(source), COOKIE);
  if (!value) return { refused: 'The pass is not one this system signed (or was signed before its key changed): open the dashboard again.' };
  const separator = value.indexOf(':');
  const expiresMs = Number(value.slice(0, separator));
  if (!(expiresMs > now.getTime())) return { refused: 'The pass has expired: open the dashboard again from the workspace.' };
  return { userId: value.slice(separator + 1) };
}

/**
 * The key signing passes: random, kept in the queues' Redis, so that every API process on it signs and checks
 * alike, whether tokens are signed with a shared secret or by an identity provider (whose key cannot sign).
 * A pass opens nothing but what that Redis holds, so a key kept beside it guards nothing Redis does not
 * already. Emptying Redis makes a new key: open dashboards are then opened again from the workspace.
 */
async function signingKey(source: QueueDashboardSource): Promise<string> {
  const name = `${source.prefix}:queue-dashboard:pass-key`;
  const kept = await source.connection.get(name);
  if (kept) return kept;
  // NX: of processes racing to make the first key, one wins and all read its key.
  await source.connection.set(name, randomBytes(32).toString('base64url'), 'NX');
  const key = await source.connection.get(name);
  if (!key) throw new Error('Redis lost the pass key as it was made');
  return key;
}

/** Secure where the workspace is reached over HTTPS (directly or, as the proxy says, through it). */
const isHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
