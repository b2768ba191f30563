import { and, asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import type { CaseParties } from '../engine/access/material-visibility.js';
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

/** The case the requests belong to, as far as who sees which material asked for depends on it (`materialNeeds`). */
export interface SupplementRequestCase extends CaseParties {
  readonly definitionKey: string;
  readonly definitionVersion: number;
}

/**
 * The supplement requests of a case the actor may read, oldest first (`supplement_requests_case_idx`), with every material
 * asked for, and the case's definition and parties, by which the API keeps only the materials the reader sees; null when
 * the case is not visible to them (the API answers 404). The returns that make them and the supplements that answer them
 * are the engine's commands; this is the read.
 */
export async function listSupplementRequests(
  sql: Sql,
  actor: Actor,
  caseId: string,
): Promise<{ readonly case: SupplementRequestCase; readonly requests: SupplementRequestRow[] } | null> {
  const db = drizzle(sql);
  const [visible] = await db
    .select({ definitionKey: cases.definitionKey, definitionVersion: cases.definitionVersion, leadDepartment: cases.leadDepartment, intakeDepartment: cases.intakeDepartment })
    .from(cases)
    .where(and(eq(cases.id, caseId), caseVisibleTo(actor)));
  if (!visible) return null;
  const requests = await db
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
  return { case: visible, requests };
}
