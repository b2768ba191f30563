/**
 * What an operator watches that no single process counts: the fleet's state as PostgreSQL and Redis hold it, read
 * when `/metrics` is scraped (`db/operations-figures.ts`, `workers/delivery-figures.ts`) and turned into gauges
 * (`platform/api-metrics.ts`). Ages are in seconds at the instant of the read.
 */
export interface DatabaseFigures {
  /** Cases not ended, by status (`running`, `suspended`). */
  readonly openCases: readonly { readonly status: string; readonly count: number }[];
  /** Open and claimed tasks by department and warning colour (green, yellow, red), and how many of them are past their due. */
  readonly openTasks: readonly { readonly department: string; readonly colour: string; readonly count: number; readonly overdue: number }[];
  /** Outbox rows the relay has not handed to Redis yet, and the age of the oldest (0 when none). */
  readonly outbox: { readonly unrelayed: number; readonly oldestAgeSeconds: number };
  /** Pending timers due before now (late: not fired yet), and how late the latest-firing one is (0 when none). */
  readonly lateTimers: { readonly count: number; readonly oldestLatenessSeconds: number };
  /** Timer incidents (故障) not resolved. */
  readonly openIncidents: number;
  /** Connections of every Tongban process to PostgreSQL (`application_name = 'tongban'`), by state (`active`, `idle`, `idle in transaction`…). */
  readonly connections: readonly { readonly state: string; readonly count: number }[];
}

/** The delivery queues' sizes by job state, and the reconciler's heartbeat, as Redis holds them. */
export interface DeliveryFigures {
  readonly queues: readonly { readonly queue: string; readonly state: QueueJobState; readonly count: number }[];
  /** Seconds since the reconciler last finished a tick; +Infinity when it has not since Redis was emptied. */
  readonly reconcilerAgeSeconds: number;
}

export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/** Where the figures come from; `delivery` is absent where the process has no Redis (its series are then absent too). */
export interface FigureSources {
  readonly database: () => Promise<DatabaseFigures>;
  readonly delivery?: () => Promise<DeliveryFigures>;
}
