import { Latencies, sleep } from './stats.js';

/** A task as the driver sees it: what the user would pick from the department's inbox. */
export interface OpenTask {
  readonly id: string;
  readonly key: string;
}

/**
 * How to drive one engine through the joint-approval process. Ours and the peer both implement it, so
 * both get exactly the same load: the same commands, in the same order, with the same concurrency.
 */
export interface CaseFlow {
  readonly name: string;
  /** Starts a case (as the intake clerk); returns its id. */
  start(): Promise<string>;
  /** The case's open tasks (how a runner learns task ids; not counted as a command). */
  openTasks(caseId: string): Promise<OpenTask[]>;
  /** Claims a task before completing it (签收); null when the engine has no claim step. */
  readonly claim: ((caseId: string, task: OpenTask, user: string) => Promise<void>) | null;
  complete(caseId: string, task: OpenTask, user: string): Promise<{ state: string }>;
  /** After the joint decision, e.g. fire the public-notice timer; counted as a command of kind `timer`. */
  readonly finish: ((caseId: string) => Promise<void>) | null;
}

export const REVIEW_DEPARTMENTS = ['planning', 'ecology', 'fire', 'civil-air-defence', 'water'] as const;

/** Who completes which task of the construction permit. */
export function userFor(key: string): string {
  if (key === 'acceptance') return 'window.clerk';
  if (key === 'decision') return 'housing.lead';
  if (key.startsWith('review.')) return `${key.slice('review.'.length)}.handler`;
  throw new Error(`no user for task ${key}`);
}

export interface LoadOptions {
  /** Cases in flight at once (closed loop: each runner drives one case at a time, command after command). */
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Commands per second across all runners; unset: as fast as the system answers. */
  readonly rate?: number;
}

export interface LoadResult {
  readonly flow: string;
  readonly concurrency: number;
  readonly targetRate: number | null;
  readonly seconds: number;
  /** HTTP commands (start, claim, complete) answered 2xx inside the window. */
  readonly commands: number;
  readonly commandsPerSec: number;
  /** Cases that reached the joint decision inside the window. */
  readonly decidedPerSec: number;
  /** Cases that also went through `finish` (licence issued) inside the window. */
  readonly finishedPerSec: number;
  readonly latency: ReturnType<Latencies['summary']>;
  readonly latencyByKind: Record<string, ReturnType<Latencies['summary']>>;
  readonly errors: Record<string, number>;
  /** CPU the load generator itself used, as a share of one core: it competes for the same 2 cores. */
  readonly driverCpuCores: number;
}

/** Runs `flow` under load: `concurrency` runners, each taking case after case through the whole process. */
export async function runLoad(flow: CaseFlow, opts: LoadOptions): Promise<LoadResult> {
  const begin = performance.now();
  const windowStart = begin + opts.warmupMs;
  const windowEnd = windowStart + opts.durationMs;
  const inWindow = (t: number) => t >= windowStart && t < windowEnd;
  const all = new Latencies();
  const byKind = new Map<string, Latencies>();
  const errors: Record<string, number> = {};
  let commands = 0;
  let decided = 0;
  let finished = 0;
  let nextSlot = begin;
  const interval = opts.rate ? 1000 / opts.rate : 0;
  let cpuAtWindow: NodeJS.CpuUsage | null = null;
  const cpuTimer = setTimeout(() => (cpuAtWindow = process.cpuUsage()), opts.warmupMs);

  /** One command: paced when a rate is set; latency from the moment it is sent to its answer. */
  const command = async <T>(kind: string, run: () => Promise<T>): Promise<T> => {
    if (interval > 0) {
      const now = performance.now();
      const slot = Math.max(nextSlot, now);
      nextSlot = slot + interval;
      if (slot > now) await sleep(slot - now);
    }
    const sent = performance.now();
    const value = await run();
    const done = performance.now();
    if (inWindow(done)) {
      // `timer` (the fired public notice) is not an HTTP command: kept apart from commands/s.
      if (kind !== 'timer') {
        commands++;
        all.add(done - sent);
      }
      let k = byKind.get(kind);
      if (!k) byKind.set(kind, (k = new Latencies()));
      k.add(done - sent);
    }
    return value;
  };

  const find = (tasks: readonly OpenTask[], key: string): OpenTask => {
    const task = tasks.find((t) => t.key === key);
    if (!task) throw new Error(`no open task ${key} in [${tasks.map((t) => t.key).join(', ')}]`);
    return task;
  };

  const oneCase = async (): Promise<void> => {
    const caseId = await command('start', () => flow.start());
    let tasks = await flow.openTasks(caseId);
    await command('complete', () => flow.complete(caseId, find(tasks, 'acceptance'), 'window.clerk'));
    tasks = await flow.openTasks(caseId);
    for (const dept of REVIEW_DEPARTMENTS) {
      const task = find(tasks, `review.${dept}`);
      if (flow.claim) await command('claim', () => flow.claim!(caseId, task, userFor(task.key)));
      await command('complete', () => flow.complete(caseId, task, userFor(task.key)));
    }
    tasks = await flow.openTasks(caseId);
    const decision = await command('complete', () => flow.complete(caseId, find(tasks, 'decision'), 'housing.lead'));
    if (decision.state !== 'publicNotice' && decision.state !== 'end') throw new Error(`after the decision the case is in ${decision.state}`);
    if (inWindow(performance.now())) decided++;
    if (flow.finish) {
      await command('timer', () => flow.finish!(caseId));
      if (inWindow(performance.now())) finished++;
    }
  };

  const runner = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      try {
        await oneCase();
      } catch (error) {
        const key = error instanceof Error ? error.message.slice(0, 120) : String(error);
        errors[key] = (errors[key] ?? 0) + 1;
        await sleep(10); // a failing system should not turn the runner into a busy loop
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, runner));
  clearTimeout(cpuTimer);
  const cpu = process.cpuUsage(cpuAtWindow ?? undefined);
  const seconds = opts.durationMs / 1000;
  const latencyByKind = Object.fromEntries([...byKind].map(([k, l]) => [k, l.summary()]));
  return {
    flow: flow.name,
    concurrency: opts.concurrency,
    targetRate: opts.rate ?? null,
    seconds,
    commands,
    commandsPerSec: commands / seconds,
    decidedPerSec: decided / seconds,
    finishedPerSec: finished / seconds,
    latency: all.summary(),
    latencyByKind,
    errors,
    driverCpuCores: (cpu.user + cpu.system) / 1000 / (performance.now() - windowStart),
  };
}
