import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import type { Actor, Role } from '../engine/actor.js';
import { departmentCode, userId } from '../engine/ids.js';
import type { Clock } from '../engine/clock.js';
import type { Sql } from '../db/connection.js';
import { users } from '../db/schema/index.js';
import { problem, problemType } from './problem.js';

export interface AuthConfig {
  /** HS256 secret (at least 32 characters). */
  readonly jwtSecret: string;
}

export type AuthEnv = { Variables: { actor: Actor } };

/** The user a token names is re-read after this long, so a deactivated user or a moved one stops acting. */
const USER_TTL_MS = 30_000;

/**
 * Bearer-token authentication: a JWT (HS256) whose `sub` names an active user. The user's department and
 * roles come from the database, never from the client, so a token cannot claim another department.
 */
export function authenticate(sql: Sql, config: AuthConfig, clock: Clock): MiddlewareHandler<AuthEnv> {
  const db = drizzle(sql);
  const cache = new Map<string, { at: number; actor: Promise<Actor | null> }>();
  const load = (id: string): Promise<Actor | null> => {
    const now = clock.now().getTime();
    const hit = cache.get(id);
    if (hit && now - hit.at < USER_TTL_MS) return hit.actor;
    const actor = db
      .select()
      .from(users)
      .where(eq(users.id, id))
      .then(([u]) => (u && u.active ? { userId: userId(u.id), departmentCode: departmentCode(u.departmentCode), roles: u.roles as Role[] } : null));
    cache.set(id, { at: now, actor });
    actor.catch(() => cache.delete(id));
    return actor;
  };

  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) return unauthorized(c, 'Send Authorization: Bearer <token>.');
    let claims: Record<string, unknown>;
    try {
      claims = await verify(token, config.jwtSecret, 'HS256');
    } catch {
      return unauthorized(c, 'The token is invalid or expired.');
    }
    // A token without an expiry would be valid forever: refuse it.
    if (typeof claims['exp'] !== 'number') return unauthorized(c, 'The token has no expiry.');
    const subject = claims['sub'];
    const actor = typeof subject === 'string' ? await load(subject) : null;
    if (!actor) return unauthorized(c, 'The token names no active user.');
    c.set('actor', actor);
    await next();
  };
}

function unauthorized(c: Parameters<MiddlewareHandler>[0], detail: string): Response {
  c.header('WWW-Authenticate', 'Bearer');
  return problem(c, { type: problemType('unauthenticated'), title: 'Authentication required', status: 401, detail });
}

/**
 * Mints a token for a user, valid for `ttlSeconds` from the clock's now.
 *
 * @example const token = await mintToken('fire.handler', secret, clock);
 */
export function mintToken(user: string, secret: string, clock: Clock, ttlSeconds = 12 * 3600): Promise<string> {
  const now = Math.floor(clock.now().getTime() / 1000);
  return sign({ sub: user, iat: now, exp: now + ttlSeconds }, secret, 'HS256');
}
