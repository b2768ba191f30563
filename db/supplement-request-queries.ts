import { and, asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import { caseVisibleTo } from './case-visibility.js';
import type { Sql } from './connection.js';
import { cases, supplementRequests, users, type RequestedMaterial } from './schema/index.js';

/** A supplement request (补正告知) as the case page shows it: what was asked, by whom, when, and whether it was answered. */
export interface SupplementRequestRow {
  readonly id: string;
  readonly taskId: string;
  readonly materials: readonly RequestedMaterial[];
  readonly requestedBy: string;
  /** Null for an id no user has. */
  readonly requestedByName: string | null;
  readonly requestedAt: Date;
  readonly answeredAt: Date | null;
}

/**
 * The supplement requests of a case the actor may read, oldest first (`supplement_requests_case_idx`); null when the case
 * is not visible to them (the API answers 404). The returns that make them and the supplements that answer them are the
 * engine's commands; this is the read.
 */
export async function listSupplementRequests(sql: Sql, actor: Actor, caseId: string): Promise<SupplementRequestRow[] | null> {
  const db = drizzle(sql);
  const [visible] = await db.select({ id: cases.id }).from(cases).where(and(eq(cases.id, caseId), caseVisibleTo(actor)));
  if (!visible) return null;
  return db
    .select({
      id: supplementRequests.id,
      taskId: supplementRequests.taskId,
      materials: supplementRequests.materials,
      requestedBy: supplementRequests.requestedBy,
      requestedByName: users.name,
      requestedAt: supplementRequests.requestedAt,
      answeredAt: supplementRequests.answeredAt,
    })
    .from(supplementRequests)
    .leftJoin(users, eq(users.id, supplementRequests.requestedBy))
    .where(eq(supplementRequests.caseId, caseId))
    .orderBy(asc(supplementRequests.requestedAt), asc(supplementRequests.id));
}
