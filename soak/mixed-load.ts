import { randomUUID } from 'node:crypto';
import { sign } from 'hono/jwt';
import type { Sql } from '../db/connection.js';
import { CONSTRUCTION_PERMIT_MATERIALS, EVERY_MEMBER_NEEDED } from '../workflows/construction-permit.js';

/**
 * A mixed load on construction permits through the API processes of a fleet, as their users make it: the window
 * starts cases, accepts them or returns them for a supplement (补正) and takes the supplement in; the member
 * departments claim their reviews and approve (mostly), return them to the lead department for correction or
 * reject them; the lead decides, or sends the decision back to the joint review; a few applicants withdraw
 * (撤件); supervisors and handlers read cases and inboxes. Each case moves one command at a time (a runner holds
 * it), chosen from its state as read in the database, so that what the workers fire meanwhile (rungs, deadlines,
 * the end of the public notice) is what the next command sees.
 *
 * Every POST carries an Idempotency-Key and is sent again, to any live API process, when the connection fails or
 * the answer is 503 (at-least-once in; the key makes it one effect). What was sent and how it was answered is
 * counted in {@link LoadFigures}; where each case was left, in {@link CaseTrack}.
 */
export interface MixedLoadOptions {
  /** The URLs of the API processes alive now (the load follows restarts). */
  readonly apis: () => readonly string[];
  readonly jwtSecret: string;
  /** The driver's own pool, to read each case's state and open tasks (not counted as load). */
  readonly sql: Sql;
  /** Random numbers in [0, 1): a seeded generator makes a run repeatable. */
  readonly random: () => number;
  /** Chance that a step withdraws the case instead (default 0.02). */
  readonly withdrawShare?: number;
  /** Chance that a case is left alone, where it is, after each step (default 0.05): its open tasks then climb their ladders. */
  readonly abandonShare?: number;
  /** Attempts per command across connection failures and 503s (default 8). */
  readonly attempts?: number;
}

/** Where the load left a case, and the last answer it had for it. */
export interface CaseTrack {
  readonly caseId: string;
  /** The last 2xx command answer: the case's status and state then. */
  last: { status: string; state: string; command: string };
  /** Set once the load will not move it again (closed, or left alone). */
  done: 'closed' | 'abandoned' | null;
  /** Commands answered 2xx. */
  commands: number;
  /** A command got no answer from any API process: it may have committed, so `last` may be behind the case. */
  lost: boolean;
  /** True when its last step found nothing to do: it waits for a timer (the public notice). */
  waiting: boolean;
  /** Not stepped again before (ms since the epoch): a waiting case is looked at again every 2 s. */
  nextStepAt: number;
}

/** What was sent, and how it was answered; `unavailable` are 503s, `unreachable` failed connections (each retried). */
export interface LoadFigures {
  sent: number;
  accepted: number;
  refused: number;
  unavailable: number;
  unreachable: number;
  failed: number;
  reads: number;
  byCommand: Record<string, number>;
  refusals: Record<string, number>;
}

type Answer = { status: number; body: Record<string, unknown> | null };

const { planningPermit, contract } = CONSTRUCTION_PERMIT_MATERIALS;
/** What the window keys in: every optional member of the joint review is needed, so five reviews open. */
const APPLICATION = {
  serviceItemCode: 'construction-permit',
  applicant: { name: '上海某建设有限公司', idNumber: '91310000MA1FL1234X', phone: '+86 21 5555 0000' },
  materials: [{ name: planningPermit, sha256: 'b'.repeat(64), sizeBytes: 2048 }],
  answers: EVERY_MEMBER_NEEDED,
};
/** The contract, as the applicant brings it again when asked for a supplement. */
const SUPPLEMENT = { name: contract, sha256: 'd'.repeat(64), sizeBytes: 2048 };

export class MixedLoad {
  readonly figures: LoadFigures = { sent: 0, accepted: 0, refused: 0, unavailable: 0, unreachable: 0, failed: 0, reads: 0, byCommand: {}, refusals: {} };
  readonly cases = new Map<string, CaseTrack>();
  readonly #opts: MixedLoadOptions;

  constructor(opts: MixedLoadOptions) {
    this.#opts = opts;
  }

  /** Starts a case at the window; its id, or null when no API process took it. */
  async startCase(): Promise<string | null> {
    const res = await this.#post('case.start', 'window.clerk', '/api/cases', APPLICATION);
    if (res?.status !== 201 || !res.body) return null;
    const caseId = String(res.body['caseId']);
    this.cases.set(caseId, { caseId, last: { status: String(res.body['status']), state: String(res.body['state']), command: 'case.start' }, done: null, commands: 1, lost: false, waiting: false, nextStepAt: 0 });
    return caseId;
  }

  /** The cases the load still moves. */
  moving(): CaseTrack[] {
    return [...this.cases.values()].filter((c) => c.done === null);
  }

  /**
   * One step of a case: the next command its state calls for (none while it waits for a timer: the public
   * notice); maybe a read. Marks the case done once it is closed or left alone.
   */
  async step(track: CaseTrack): Promise<void> {
    const random = this.#opts.random;
    const [row] = await this.#opts.sql<{ status: string; state: string }[]>`select status, state_label as state from cases where id = ${track.caseId}`;
    if (!row || row.status !== 'running') {
      track.done = 'closed';
      return;
    }
    if (random() < (this.#opts.withdrawShare ?? 0.02)) {
      await this.#command(track, 'case.withdraw', 'window.clerk', `/api/cases/${track.caseId}/withdrawal`, { reason: '申请人撤回申请 The applicant withdraws' });
      return;
    }
    if (row.state === 'supplement') {
      await this.#command(track, 'case.supplement', 'window.clerk', `/api/cases/${track.caseId}/supplements`, { materials: [SUPPLEMENT] });
    } else {
      const tasks = await this.#opts.sql<{ id: string; key: string; kind: string; department: string; status: string }[]>`
        select id, key, kind, department_code as department, status from tasks where case_id = ${track.caseId} and status in ('open', 'claimed') order by key`;
      const task = tasks[Math.floor(random() * tasks.length)];
      track.waiting = !task;
      if (task) await this.#act(track, task);
    }
    track.nextStepAt = Date.now() + (track.waiting ? 2_000 : 0);
    if (random() < 0.3) await this.#read(track.caseId);
    if (random() < (this.#opts.abandonShare ?? 0.05)) track.done = 'abandoned';
  }

  async #act(track: CaseTrack, task: { id: string; key: string; kind: string; department: string; status: string }): Promise<void> {
    const user = task.department === 'window' ? 'window.clerk' : task.kind === 'decision' ? `${task.department}.lead` : `${task.department}.handler`;
    const path = `/api/tasks/${task.id}`;
    if (task.kind === 'review' && task.status === 'open') {
      await this.#command(track, 'task.claim', user, `${path}/claim`, {});
      return;
    }
    const roll = this.#opts.random();
    const opinion = (text: string) => ({ opinion: { text } });
    if (task.key === 'acceptance' && roll < 0.2) {
      const request = { supplementRequest: { materials: [{ name: contract, reason: '合同未盖章 The contract is not sealed' }] } };
      await this.#command(track, 'task.return', user, `${path}/complete`, { outcome: 'return', ...opinion('请补正施工合同'), ...request });
    } else if (task.kind === 'review' && roll < 0.1) {
      await this.#command(track, 'task.return', user, `${path}/complete`, { outcome: 'return', ...opinion('图纸需修改 Drawings to correct') });
    } else if (task.kind === 'review' && roll < 0.14) {
      await this.#command(track, 'task.reject', user, `${path}/complete`, { outcome: 'reject', ...opinion('不符合消防要求 Not compliant') });
    } else if (task.key === 'decision' && roll < 0.15) {
      await this.#command(track, 'task.return', user, `${path}/complete`, { outcome: 'return', ...opinion('请重新审查 Review again') });
    } else {
      await this.#command(track, 'task.approve', user, `${path}/complete`, { outcome: 'approve', ...opinion('同意 Approved') });
    }
  }

  async #command(track: CaseTrack, command: string, user: string, path: string, body: unknown): Promise<void> {
    const res = await this.#post(command, user, path, body);
    if (!res) track.lost = true;
    else if (res.status < 300 && res.body) {
      track.last = { status: String(res.body['status']), state: String(res.body['state']), command };
      track.commands += 1;
    }
  }

  /** A read: the case as the supervisor sees it, or a department's inbox. */
  async #read(caseId: string): Promise<void> {
    const api = this.#api();
    if (!api) return;
    const [user, path] = this.#opts.random() < 0.5 ? ['supervisor', `/api/cases/${caseId}`] : ['fire.handler', '/api/tasks?view=todo&pageSize=20'];
    this.figures.reads += 1;
    try {
      const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${await this.#token(user)}` }, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
    } catch {
      // A read of a process being killed: nothing to count but the read.
    }
  }

  /** A POST with its Idempotency-Key, sent again on a failed connection or a 503; null when every attempt failed so. */
  async #post(command: string, user: string, path: string, body: unknown): Promise<Answer | null> {
    const key = randomUUID();
    const f = this.figures;
    f.byCommand[command] = (f.byCommand[command] ?? 0) + 1;
    for (let attempt = 1; attempt <= (this.#opts.attempts ?? 8); attempt++) {
      const api = this.#api();
      if (api) {
        f.sent += 1;
        const res = await this.#send(api, user, path, body, key);
        if (res === null) f.unreachable += 1;
        else if (res.status === 503) f.unavailable += 1;
        else if (res.status < 300) {
          f.accepted += 1;
          return res;
        } else if (res.status < 500) {
          f.refused += 1;
          const reason = `${command} ${res.status} ${String(res.body?.['code'] ?? '')}`;
          f.refusals[reason] = (f.refusals[reason] ?? 0) + 1;
          return res;
        } else {
          f.failed += 1;
          return res;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
    return null;
  }

  async #send(api: string, user: string, path: string, body: unknown, key: string): Promise<Answer | null> {
    try {
      const res = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.#token(user)}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : null };
    } catch {
      return null;
    }
  }

  #api(): string | undefined {
    const apis = this.#opts.apis();
    return apis[Math.floor(this.#opts.random() * apis.length)];
  }

  /**
   * A token of the demo user for one request, valid for an hour of real time. Each is new (its own `jti`): the API
   * checks a token's signature and expiry on the real time but keeps it, once verified, until its expiry on the
   * engine's clock, which the soak moves days ahead; a token sent twice would be refused as expired.
   */
  #token(user: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return sign({ sub: user, iat: now, exp: now + 3_600, jti: randomUUID() }, this.#opts.jwtSecret, 'HS256');
  }
}

/**
 * `runners` runners, each taking the case still moving that waited longest, not held by another runner, and
 * stepping it, until `stop()` says so; `more()` is asked for a new case when none is ready (it starts one, or
 * returns false: none now).
 */
export async function runMixedLoad(load: MixedLoad, opts: { runners: number; stop: () => boolean; more: () => Promise<boolean> }): Promise<void> {
  const held = new Set<string>();
  const next = (): CaseTrack | undefined => {
    let best: CaseTrack | undefined;
    for (const c of load.moving()) if (!held.has(c.caseId) && c.nextStepAt <= Date.now() && (!best || c.nextStepAt < best.nextStepAt)) best = c;
    return best;
  };
  const runner = async (): Promise<void> => {
    while (!opts.stop()) {
      const track = next();
      if (!track) {
        if (!(await opts.more())) await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      held.add(track.caseId);
      try {
        await load.step(track);
      } finally {
        held.delete(track.caseId);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.runners }, runner));
}

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same load. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
