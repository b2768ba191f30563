import { readFileSync } from 'node:fs';
import { table } from './stats.js';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) of the API + workers process into where the time
 * goes: per library or directory of ours, and per phase of a command (HTTP, validation, transition, SQL
 * client, outbox relay/Redis, GC). Node internals and native code (socket writes, JSON.parse) are charged
 * to the nearest library or file of ours above them on the stack, since that is what made the call.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<pkg>` or our top-level directory; null for Node internals and native frames. */
function owner(url: string): string | null {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] as string;
  const ours = /\/work\/[^/]+\/(engine|db|api|workers|platform|workflows|bench)\//.exec(url) ?? /\/(engine|db|api|workers|platform|workflows|bench)\/[^/]+\.ts$/.exec(url);
  return ours ? `${ours[1]}/` : null;
}

const PHASES: readonly [string, RegExp][] = [
  ['HTTP (node:http, @hono/node-server, hono)', /^(hono|@hono\/node-server|node:http.*|node:_http.*)$/],
  ['validation (zod, @hono/zod-openapi)', /^(zod|@hono\/zod-openapi|@asteasolutions.*)$/],
  ['auth/permission/idempotency (api/)', /^api\/$/],
  ['transition (xstate)', /^xstate$/],
  ['engine/ (decide, plan effects, audit hash)', /^engine\/$/],
  ['SQL client (postgres.js, drizzle, db/)', /^(postgres|drizzle-orm|db\/)$/],
  ['relay, workers, Redis (workers/, bullmq, ioredis)', /^(bullmq|ioredis|workers\/|msgpackr|cluster-key-slot|redis-.*)$/],
  ['GC', /^GC$/],
  ['idle', /^idle$/],
];

export interface ProfileSummary {
  readonly busyMs: number;
  readonly totalMs: number;
  readonly byPhase: [string, number][];
  readonly byOwner: [string, number][];
  readonly topFunctions: [string, number][];
}

export function summariseProfile(path: string): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Each node's charge, computed once: its own owner, or the nearest owner above it.
  const charge = new Map<number, string>();
  const chargeOf = (id: number): string => {
    const known = charge.get(id);
    if (known) return known;
    const n = byId.get(id)!;
    const fn = n.callFrame.functionName;
    let label: string;
    if (fn === '(garbage collector)') label = 'GC';
    else if (fn === '(idle)') label = 'idle';
    else if (fn === '(program)') label = 'program (V8, not attributed)';
    else {
      const own = owner(n.callFrame.url);
      const up = parent.get(id);
      const internal = n.callFrame.url.startsWith('node:') ? n.callFrame.url.replace(/^node:(internal\/)?/, 'node:').split('/')[0] ?? 'node' : 'native';
      label = own ?? (up !== undefined && byId.get(up)?.callFrame.functionName !== '(root)' ? chargeOf(up) : internal);
      if (label === 'native' && n.callFrame.url.startsWith('node:')) label = internal;
    }
    charge.set(id, label);
    return label;
  };
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const label = chargeOf(id);
    owners.set(label, (owners.get(label) ?? 0) + ms);
    const n = byId.get(id)!;
    const fname = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/[^/]+\//, '')}:${n.callFrame.lineNumber + 1}`;
    functions.set(fname, (functions.get(fname) ?? 0) + ms);
  });
  const idle = owners.get('idle') ?? 0;
  const busyMs = totalMs - idle;
  const phases = new Map<string, number>();
  for (const [label, ms] of owners) {
    const phase = PHASES.find(([, re]) => re.test(label))?.[0] ?? `other: ${label}`;
    phases.set(phase, (phases.get(phase) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    busyMs,
    totalMs,
    byPhase: sorted(phases).filter(([k]) => k !== 'idle'),
    byOwner: sorted(owners).filter(([k]) => k !== 'idle'),
    topFunctions: sorted(functions).filter(([k]) => !k.startsWith('(idle)')).slice(0, 25),
  };
}

/** Markdown: shares of busy time, and per command when `commands` is given. */
export function profileReport(s: ProfileSummary, commands: number): string {
  const pct = (ms: number) => `${((100 * ms) / s.busyMs).toFixed(1)}%`;
  const per = (ms: number) => (commands > 0 ? `${((1000 * ms) / commands).toFixed(0)} µs` : '');
  const rows = (list: [string, number][], limit: number) => list.slice(0, limit).map(([k, ms]) => [k, pct(ms), per(ms)]);
  return [
    `busy ${(s.busyMs / 1000).toFixed(1)} s of ${(s.totalMs / 1000).toFixed(1)} s sampled; ${commands} commands → ${per(s.busyMs)} of API+workers CPU per command`,
    '',
    table(['phase', 'share of busy', 'per command'], rows(s.byPhase, 20)),
    '',
    table(['charged to', 'share of busy', 'per command'], rows(s.byOwner, 20)),
    '',
    table(['hottest functions (self time)', 'share of busy', 'per command'], rows(s.topFunctions, 20)),
  ].join('\n');
}
