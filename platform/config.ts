import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

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

export const httpPort = (): number => Number(process.env['PORT'] ?? 3000);
