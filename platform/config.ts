import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type AuthConfig } from '../api/auth.js';

/** Where `npm start` keeps its PostgreSQL, Redis and dev secret (git-ignored). */
export const DEV_DATA_DIR = '.data/dev';
const DEV_SECRET_FILE = `${DEV_DATA_DIR}/jwt-secret`;

/** Reads a required environment variable, or exits with one line saying what is missing. */
export function requireEnv(name: string, hint: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set: ${hint}`);
    process.exit(1);
  }
  return value;
}

/**
 * The JWT secret: `TONGBAN_JWT_SECRET` when set (production); otherwise, in dev mode only, a random one
 * kept in .data/dev so tokens printed by `npm run tokens` stay valid across restarts.
 */
export function jwtSecret(options: { dev: boolean }): string {
  const configured = process.env['TONGBAN_JWT_SECRET'];
  if (configured) {
    if (configured.length < 32) throw new Error('TONGBAN_JWT_SECRET must be at least 32 characters');
    return configured;
  }
  if (!options.dev) throw new Error('TONGBAN_JWT_SECRET is not set');
  if (!existsSync(DEV_SECRET_FILE)) {
    mkdirSync(dirname(DEV_SECRET_FILE), { recursive: true });
    writeFileSync(DEV_SECRET_FILE, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(DEV_SECRET_FILE, 'utf8').trim();
}

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

export const httpPort = (): number => Number(process.env['PORT'] ?? 3000);
