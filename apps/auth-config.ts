import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type AuthConfig } from '../api/auth.js';
import { jwtSecret } from '../platform/config.js';

/**
 * How the API checks bearer tokens: tokens signed by an identity provider when TONGBAN_JWT_PUBLIC_KEY
 * (PEM, with TONGBAN_JWT_ALG RS256 or ES256) is set, else the HS256 secret.
 */
export function authConfig(options: { dev: boolean }): AuthConfig {
  const pem = process.env['TONGBAN_JWT_PUBLIC_KEY'];
  if (pem) {
    const alg = process.env['TONGBAN_JWT_ALG'] ?? 'RS256';
    if (alg !== 'RS256' && alg !== 'ES256') throw new Error('TONGBAN_JWT_ALG must be RS256 or ES256');
    return { jwtPublicKey: { pem, alg }, ...tokenLifetime() };
  }
  return { jwtSecret: jwtSecret(options), ...tokenLifetime() };
}

/** The longest lifetime (`exp − iat`) a bearer token may have: TONGBAN_JWT_MAX_LIFETIME_SECONDS, or 12 hours. */
export function tokenLifetime(): { maxTokenLifetimeSeconds: number } {
  const seconds = Number(process.env['TONGBAN_JWT_MAX_LIFETIME_SECONDS'] ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error('TONGBAN_JWT_MAX_LIFETIME_SECONDS must be a positive whole number of seconds');
  return { maxTokenLifetimeSeconds: seconds };
}
