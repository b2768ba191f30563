#!/usr/bin/env node
// Entry point of every npm script: makes a fresh Debian machine with only Node 20 able to run
// `npm start` and `npm test`. It runs before node_modules exists, so it uses Node built-ins only.
//
// Usage: node scripts/bootstrap.mjs <start|api|workers|tokens|test|bench|soak|…> [args...]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianNeeds } from './bootstrap-needs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** What each target runs, relative to the repository root. */
const targets = {
  start: [bin('tsx'), 'apps/start.ts'],
  api: [bin('tsx'), 'apps/api.ts'],
  workers: [bin('tsx'), 'apps/workers.ts'],
  tokens: [bin('tsx'), 'apps/tokens.ts'],
  tongban: [bin('tsx'), 'apps/tongban.ts'],
  // Kept because the workspace's calendar page names it: the CLI's `calendar import`.
  'calendar:import': [bin('tsx'), 'apps/tongban.ts', 'calendar', 'import'],
  'web:build': [bin('tsx'), 'apps/build-web.ts'],
  'web:dev': [bin('vite'), '--config', 'web/vite.config.ts'],
  test: [bin('vitest'), 'run'],
  bench: [bin('tsx'), 'bench/main.ts'],
  soak: [bin('tsx'), 'soak/main.ts'],
};

const [target, ...extraArgs] = process.argv.slice(2);
let aptUpdated = false;
if (!target || !(target in targets)) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(targets).join('|')}> [args...]`);
  process.exit(2);
}

try {
  await ensureNodeModules();
  for (const { program, pkg, alternative } of debianNeeds(target, process.env)) await ensureDebianPackage(program, pkg, alternative);
  // The workspace (web/) is built into web/dist when its sources or the API's document changed.
  if (target === 'start' || target === 'test') await check('building the workspace', process.execPath, [bin('tsx'), 'apps/build-web.ts']);
  // Binaries in node_modules/.bin are Node scripts: running them with this Node avoids npx and PATH lookups.
  const [command, ...args] = targets[target];
  const { code, signal } = await run(process.execPath, [command, ...args, ...extraArgs]);
  // Mirror how the target ended, so that npm and shells see the same status.
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
} catch (error) {
  console.error(`[bootstrap] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

/** Runs `npm ci` when node_modules is missing or was installed from another package-lock.json. */
async function ensureNodeModules() {
  const stamp = join(root, 'node_modules', '.tongban-lock-hash');
  const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lockHash) return;
  console.error('[bootstrap] node_modules is missing or stale: running npm ci');
  await check('npm ci', 'npm', ['ci']);
  writeFileSync(stamp, `${lockHash}\n`);
}

/**
 * Installs a Debian package when its program is not on PATH, or its file (an absolute path) is missing
 * (as root; otherwise says what to install). We always run our own redis-server process; chromium and the
 * font are only for the browser tests.
 */
async function ensureDebianPackage(program, pkg, alternative) {
  if (program.startsWith('/') ? existsSync(program) : onPath(program)) return;
  if (process.getuid?.() !== 0) {
    console.error(`[bootstrap] ${program} is missing: run \`sudo apt-get install -y ${pkg}\`${alternative ? ` (${alternative})` : ''}`);
    process.exit(1);
  }
  console.error(`[bootstrap] ${program} is missing: installing ${pkg} with apt-get`);
  // policy-rc.d exit 101 is Debian's switch for "do not start services from package scripts":
  // the packaged redis service (port 6379) is never used, so it should neither run nor fail the install.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) await check('apt-get update', 'apt-get', ['update'], { env });
    aptUpdated = true;
    await check(`apt-get install ${pkg}`, 'apt-get', ['install', '-y', '--no-install-recommends', pkg], { env });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

/**
 * Runs a command with the terminal attached. SIGINT/SIGTERM/SIGHUP are forwarded and we keep waiting:
 * the child may be stopping databases, and it decides when it is done.
 */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const forward = (signal) => child.kill(signal);
    for (const signal of signals) process.on(signal, forward);
    const settle = (finish) => (...results) => {
      for (const signal of signals) process.off(signal, forward);
      finish(...results);
    };
    child.once('error', settle((error) => reject(new Error(`could not run ${command}: ${error.message}`))));
    child.once('exit', settle((code, signal) => resolve({ code, signal })));
  });
}

async function check(what, command, args, options) {
  const { code, signal } = await run(command, args, options);
  if (code !== 0) throw new Error(`${what} failed (${signal ?? `exit ${code}`})`);
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
