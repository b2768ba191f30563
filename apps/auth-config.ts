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
    return { jwtPublicKey: { pem, alg }, ...tokenLifetime(), ...identityProvider() };
  }
  return { jwtSecret: jwtSecret(options), ...tokenLifetime(), ...identityProvider() };
}

/**
 * The identity provider's sign-in page, when TONGBAN_IDP_SIGN_IN_URL is set (TONGBAN_IDP_NAME names it on the
 * button): the workspace's sign-in page links there, with `redirect_uri` added by the page.
 */
export function identityProvider(): { identityProvider?: { name: string; signInUrl: string } } {
  const signInUrl = process.env['TONGBAN_IDP_SIGN_IN_URL'];
  if (!signInUrl) return {};
  if (!/^https?:\/\//.test(signInUrl)) throw new Error('TONGBAN_IDP_SIGN_IN_URL must be an http(s) URL');
  return { identityProvider: { name: process.env['TONGBAN_IDP_NAME'] ?? '统一身份认证 Identity provider', signInUrl } };
}

/** The longest lifetime (`exp − iat`) a bearer token may have: TONGBAN_JWT_MAX_LIFETIME_SECONDS, or 12 hours. */
export function tokenLifetime(): { maxTokenLifetimeSeconds: number } {
  const seconds = Number(process.env['TONGBAN_JWT_MAX_LIFETIME_SECONDS'] ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error('TONGBAN_JWT_MAX_LIFETIME_SECONDS must be a positive whole number of seconds');
  return { maxTokenLifetimeSeconds: seconds };
}
