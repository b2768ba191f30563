import type { MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import type { Actor } from '../engine/access/actor.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { ApiQueries } from '../db/api-queries.js';
import { problem, problemType } from './problem.js';

/** How bearer tokens are checked: an HS256 shared secret, or the public key of an identity provider. */
export interface AuthConfig {
  /** HS256 secret (at least 32 characters). */
  readonly jwtSecret?: string;
  /** PEM public key (SPKI) and its algorithm, when tokens are signed elsewhere. */
  readonly jwtPublicKey?: { readonly pem: string; readonly alg: 'RS256' | 'ES256' };
  /** The longest lifetime (`exp − iat`) a token may have; {@link DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} unless set. */
  readonly maxTokenLifetimeSeconds?: number;
  /**
   * Demo sign-in (`npm start` and tests only): anyone may list the active people and take a token as one of
   * them (`api/routes/demo-sign-in.ts`). Needs `jwtSecret`; never on where real people sign in.
   */
  readonly demoSignIn?: boolean;
  /**
   * Where people sign in when tokens come from an identity provider: the sign-in page links there, and the provider
   * sends people back to `/sign-in#access_token=<JWT>` (in the fragment, so the token reaches no server log).
   */
  readonly identityProvider?: { readonly name: string; readonly signInUrl: string };
}

/** A working day: a stolen token stops working by the next one, and nobody signs in twice a shift. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

export type AuthEnv = { Variables: { actor: Actor } };

/**
 * Credentials are re-read after this long: a deactivated user, a moved one or a revoked key stops acting
 * within 30 seconds without a database read on every request.
 */
const PRINCIPAL_TTL_MS = 30_000;

/**
 * Authentication of every protected route:
 * - `Authorization: Bearer <JWT>` — a person; the token (with an expiry) names an active user;
 * - `Authorization: ApiKey tbk.<id>.<secret>` — a department system, scoped to one department and a set
 *   of operations.
 * Department and roles always come from the database.
 */
export function authenticate(principals: Pick<ApiQueries, 'userActor' | 'apiKeyActor'>, config: AuthConfig, clock: WallClock): MiddlewareHandler<AuthEnv> {
  const cache = new Map<string, { at: number; actor: Promise<Actor | null> }>();
  const cached = (key: string, load: () => Promise<Actor | null>): Promise<Actor | null> => {
    const now = clock.now().getTime();
    const hit = cache.get(key);
    if (hit && now - hit.at < PRINCIPAL_TTL_MS) return hit.actor;
    const actor = load();
    cache.set(key, { at: now, actor });
    actor.catch(() => cache.delete(key));
    return actor;
  };
  const verifier = jwtVerifier(config, clock);

  return async (c, next) => {
    const [scheme, credential] = (c.req.header('authorization') ?? '').split(/\s+/, 2);
    let actor: Actor | null = null;
    if (scheme?.toLowerCase() === 'apikey' && credential) {
      actor = await cached(`key:${credential}`, () => principals.apiKeyActor(credential));
      if (!actor) return unauthorized(c, 'The API key is unknown or revoked.');
    } else if (scheme?.toLowerCase() === 'bearer' && credential) {
      const subject = await verifier(credential);
      if (typeof subject !== 'string') return unauthorized(c, subject.problem);
      actor = await cached(`user:${subject}`, () => principals.userActor(subject));
      if (!actor) return unauthorized(c, 'The token names no active user.');
    } else {
      return unauthorized(c, 'Send Authorization: Bearer <token> (people) or ApiKey <key> (department systems).');
    }
    c.set('actor', actor);
    await next();
  };
}

/** Verified tokens remembered per process; a token is immutable, so only its expiry needs re-checking. */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * The token's subject, or why it is refused. A signature is checked once per token and process (it costs
 * more than the rest of a request's authentication); the expiry is checked on every request.
 */
function jwtVerifier(config: AuthConfig, clock: WallClock): (token: string) => Promise<string | { problem: string }> {
  const key = config.jwtPublicKey?.pem ?? config.jwtSecret;
  const alg = config.jwtPublicKey?.alg ?? 'HS256';
  if (!key) throw new Error('Configure a JWT secret or public key');
  const maxLifetime = config.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const verified = new Map<string, { subject: string; expiresMs: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known) return known.expiresMs > clock.now().getTime() ? known.subject : { problem: 'The token is invalid or expired.' };
    let claims: Record<string, unknown>;
    try {
      claims = await verify(token, key, alg);
    } catch {
      return { problem: 'The token is invalid or expired.' };
    }
    // A token without an expiry would be valid forever: refuse it.
    const exp = claims['exp'];
    if (typeof exp !== 'number') return { problem: 'The token has no expiry.' };
    // A far-off expiry is nearly as bad, and is only visible against the issue time.
    const iat = claims['iat'];
    if (typeof iat !== 'number') return { problem: 'The token has no issue time (iat).' };
    if (exp - iat > maxLifetime) return { problem: `The token lives longer than the ${maxLifetime} seconds allowed; ask for a shorter-lived one.` };
    const subject = claims['sub'];
    if (typeof subject !== 'string') return { problem: 'The token names no user.' };
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
    verified.set(token, { subject, expiresMs: exp * 1000 });
    return subject;
  };
}

function unauthorized(c: Parameters<MiddlewareHandler>[0], detail: string): Response {
  c.header('WWW-Authenticate', 'Bearer, ApiKey');
  return problem(c, { type: problemType('unauthenticated'), title: 'Authentication required', status: 401, code: 'TB-UNAUTHENTICATED', detail });
}

/**
 * Mints an HS256 token for a user, valid for `ttlSeconds` from the clock's now (dev mode and tests).
 *
 * @example const token = await mintToken('fire.handler', secret, clock);
 */
export function mintToken(user: string, secret: string, clock: WallClock, ttlSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS): Promise<string> {
  const now = Math.floor(clock.now().getTime() / 1000);
  return sign({ sub: user, iat: now, exp: now + ttlSeconds }, secret, 'HS256');
}
