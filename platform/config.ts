import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where `npm start` keeps its PostgreSQL, Redis and dev secret (git-ignored). */
export const DEV_DATA_DIR = '.data/dev';
const DEV_SECRET_FILE = `${DEV_DATA_DIR}/jwt-secret`;
const DEV_LICENCE_KEY_FILE = `${DEV_DATA_DIR}/licence-signing-key.pem`;

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

/** The algorithms licences may be signed with (`TONGBAN_LICENCE_SIGNING_ALGORITHM`; the names licences record). */
export const LICENCE_SIGNING_ALGORITHMS = ['Ed25519', 'SM2-SM3'] as const;
export type LicenceSigningAlgorithm = (typeof LICENCE_SIGNING_ALGORITHMS)[number];

/**
 * What licences are signed with: the algorithm (`TONGBAN_LICENCE_SIGNING_ALGORITHM`, Ed25519 unless it says
 * `SM2-SM3`) and its private key — for Ed25519 a PKCS#8 PEM, for SM2 64 hex digits — from
 * `TONGBAN_LICENCE_SIGNING_KEY` (the key itself) or `TONGBAN_LICENCE_SIGNING_KEY_FILE` (a path to it). Without
 * either, in dev mode only, an Ed25519 key generated once into .data/dev, so that every process of `npm start`
 * signs with it and its licences verify across restarts; an SM2 key is always the deployment's own.
 */
export function licenceSigningKey(options: { dev: boolean }): { algorithm: LicenceSigningAlgorithm; key: string } {
  const named = process.env['TONGBAN_LICENCE_SIGNING_ALGORITHM'] ?? 'Ed25519';
  const algorithm = LICENCE_SIGNING_ALGORITHMS.find((a) => a === named);
  if (!algorithm) throw new Error(`TONGBAN_LICENCE_SIGNING_ALGORITHM is ${named}: it may be ${LICENCE_SIGNING_ALGORITHMS.join(' or ')}`);
  const configured = process.env['TONGBAN_LICENCE_SIGNING_KEY'];
  if (configured) return { algorithm, key: configured };
  const file = process.env['TONGBAN_LICENCE_SIGNING_KEY_FILE'];
  if (file) return { algorithm, key: readFileSync(file, 'utf8') };
  if (!options.dev || algorithm !== 'Ed25519') throw new Error('TONGBAN_LICENCE_SIGNING_KEY or TONGBAN_LICENCE_SIGNING_KEY_FILE is not set');
  if (!existsSync(DEV_LICENCE_KEY_FILE)) {
    mkdirSync(dirname(DEV_LICENCE_KEY_FILE), { recursive: true });
    const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // `wx`: of two processes starting together, the second keeps the first one's key.
    try {
      writeFileSync(DEV_LICENCE_KEY_FILE, key, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { algorithm, key: readFileSync(DEV_LICENCE_KEY_FILE, 'utf8') };
}

export const httpPort = (): number => Number(process.env['PORT'] ?? 3000);

/**
 * How many requests a minute one credential may send to one API process (`TONGBAN_RATE_LIMIT_PER_MINUTE`): 1,200
 * unless set, a burst of a minute's worth and then 20 a second — far above what a person clicking through the workspace
 * or a department system working its inbox sends, far below a flood. `0` turns the limit off (a benchmark's load
 * generator, or a gateway in front that limits instead). Per process: N API processes allow N times as many.
 */
export function callerRateLimitPerMinute(): number {
  const configured = process.env['TONGBAN_RATE_LIMIT_PER_MINUTE'];
  const perMinute = configured === undefined || configured === '' ? DEFAULT_CALLER_RATE_LIMIT_PER_MINUTE : Number(configured);
  if (!Number.isInteger(perMinute) || perMinute < 0) throw new Error('TONGBAN_RATE_LIMIT_PER_MINUTE must be a whole number of requests (0: no limit)');
  return perMinute;
}

const DEFAULT_CALLER_RATE_LIMIT_PER_MINUTE = 1200;

/**
 * How many API processes `npm run api` runs on its port (`TONGBAN_API_PROCESSES`, 1 unless set). More than one: a
 * `node:cluster` primary forks that many, each with its own pools and caches (`apps/api-cluster.ts`). Anything but a
 * whole number of at least 1 is refused.
 */
export function apiProcessCount(): number {
  const configured = process.env['TONGBAN_API_PROCESSES'];
  if (configured === undefined || configured === '') return 1;
  if (!/^[1-9][0-9]*$/.test(configured)) throw new Error(`TONGBAN_API_PROCESSES must be a whole number of processes, 1 or more, not ${configured}`);
  return Number(configured);
}

/** What an upload of a material's file may be, and how it is scanned (`docs/materials.md`). */
export interface MaterialConfig {
  /** `TONGBAN_MATERIAL_MAX_BYTES`, 20 MiB by default. */
  readonly maxBytes: number;
  /** `TONGBAN_MATERIAL_SCAN_COMMAND`, e.g. `clamdscan --no-summary -`: none, every file is clean. */
  readonly scanCommand: string | null;
  /** An S3-compatible store for the files (`TONGBAN_S3_BUCKET` and the rest); none: PostgreSQL keeps them. */
  readonly s3: S3Config | null;
}

/** An S3-compatible object store: `TONGBAN_S3_ENDPOINT`, `TONGBAN_S3_BUCKET`, `TONGBAN_S3_REGION`, `TONGBAN_S3_ACCESS_KEY_ID`, `TONGBAN_S3_SECRET_ACCESS_KEY`. */
export interface S3Config {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export function materialConfig(): MaterialConfig {
  const configured = process.env['TONGBAN_MATERIAL_MAX_BYTES'];
  const maxBytes = configured ? Number(configured) : 20 * 1024 * 1024;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new Error('TONGBAN_MATERIAL_MAX_BYTES must be a whole number of bytes');
  return { maxBytes, scanCommand: process.env['TONGBAN_MATERIAL_SCAN_COMMAND'] || null, s3: s3Config() };
}

/** The S3-compatible store when `TONGBAN_S3_BUCKET` is set: then its endpoint and keys are required too. */
function s3Config(): S3Config | null {
  const bucket = process.env['TONGBAN_S3_BUCKET'];
  if (!bucket) return null;
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: an S3-compatible store (TONGBAN_S3_BUCKET) needs it`);
    return value;
  };
  return {
    endpoint: required('TONGBAN_S3_ENDPOINT'),
    bucket,
    region: process.env['TONGBAN_S3_REGION'] || 'us-east-1',
    accessKeyId: required('TONGBAN_S3_ACCESS_KEY_ID'),
    secretAccessKey: required('TONGBAN_S3_SECRET_ACCESS_KEY'),
  };
}

/**
 * The bearer token `GET /metrics` asks for (`TONGBAN_METRICS_TOKEN`), the scraper's own; null when unset (the endpoint
 * is then off). At least 16 characters, so that it cannot be guessed in the scrapes the rate limit allows.
 */
export function metricsToken(): string | null {
  const token = process.env['TONGBAN_METRICS_TOKEN'];
  if (!token) return null;
  if (token.length < 16 || /\s/.test(token)) throw new Error('TONGBAN_METRICS_TOKEN must be at least 16 characters, without spaces');
  return token;
}
