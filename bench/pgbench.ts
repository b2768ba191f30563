import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Sql } from '../db/connection.js';

/**
 * pgbench TPC-B against the benchmark's own PostgreSQL: the ceiling our commands/s is compared to, in the
 * same run. Its database (`pgbench`) is separate from the engine's; it is initialised once at scale 20 and
 * reused.
 *
 * pgbench comes from Debian: `/usr/bin/pgbench` is postgresql-client-common's wrapper (pg_wrapper) and the
 * binary itself is in the server package (`postgresql-15` on bookworm), so we install the distribution's
 * `postgresql` metapackage when it is missing and we are root, with services kept from starting as
 * scripts/bootstrap.mjs does for redis. pgbench's client version does not need to match the server's.
 */
export async function ensurePgbench(): Promise<string> {
  const found = findPgbench();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('pgbench is missing: run `sudo apt-get install -y postgresql` (it ships pgbench)');
  console.log('pgbench is missing: installing the postgresql package with apt-get (its service is not started)');
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', 'postgresql'], { stdio: 'inherit', env });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
  const installed = findPgbench();
  if (!installed) throw new Error('pgbench is still missing after installing postgresql');
  return installed;
}

/** The real binary (not the wrapper, which wants a local cluster configuration to pick a version). */
function findPgbench(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(`${base}/${v}/bin/pgbench`)) return `${base}/${v}/bin/pgbench`;
  return null;
}

export interface PgbenchTarget {
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
  readonly database: string;
}

/** Creates and initialises the `pgbench` database at `scale` unless it already holds that scale. */
export async function preparePgbench(admin: Sql, databaseUrl: string, scale: number): Promise<PgbenchTarget> {
  const binary = await ensurePgbench();
  const url = new URL(databaseUrl);
  const database = 'pgbench';
  const env = { ...process.env, PGHOST: url.hostname, PGPORT: url.port, PGUSER: decodeURIComponent(url.username), PGPASSWORD: decodeURIComponent(url.password) };
  const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
  if (!exists) await admin.unsafe(`create database ${database}`);
  let branches = -1;
  try {
    const out = execFileSync(binary.replace(/pgbench$/, 'psql'), ['-Atc', 'select count(*) from pgbench_branches', database], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    branches = Number(out.trim());
  } catch {
    branches = -1;
  }
  if (branches !== scale) {
    console.log(`pgbench: initialising scale ${scale}…`);
    await promisify(execFile)(binary, ['-i', '-q', '-s', String(scale), database], { env });
  }
  return { binary, env, database };
}

/** One TPC-B run; returns TPS (without initial connection time). */
export async function runPgbench(t: PgbenchTarget, opts: { clients: number; threads: number; seconds: number }): Promise<number> {
  const args = ['-c', String(opts.clients), '-j', String(opts.threads), '-T', String(opts.seconds), t.database];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(t.binary, args, { env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench exited ${code}: ${out.slice(-500)}`))));
  });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
  if (!tps) throw new Error(`could not read pgbench's TPS from: ${output.slice(-500)}`);
  return Number(tps);
}
