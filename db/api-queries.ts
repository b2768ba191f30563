import { createApiKey, listApiKeys, revokeApiKey } from './api-key-store.js';
import { verifyVisibleCaseAudit } from './audit-verification.js';
import { exportCases } from './case-export.js';
import { findApplicant, findVisibleCase } from './case-queries.js';
import { listPublishedDefinitions, listServiceItems } from './catalog-queries.js';
import type { Sql } from './connection.js';
import { findKeptAnswer, keepAnswer } from './idempotency-keys.js';
import { apiKeyActor, userActor } from './principals.js';
import { countHit } from './rate-limit-windows.js';
import { departmentExists } from './reference-data.js';
import { listSecurityEvents, verifySecurityLog } from './security-log.js';
import { findDepartmentTask, listDepartmentTasks } from './task-queries.js';
import { findIncident, listIncidents } from './timer-incidents.js';

/**
 * Every query the API runs besides the engine's commands. Each lives in the module of what it reads or
 * writes and takes the pool first; {@link createApiQueries} binds it, so the API holds named queries,
 * never the pool.
 */
const API_QUERIES = {
  // who a credential stands for
  userActor,
  apiKeyActor,
  // what a request's Idempotency-Key keeps, and per-caller rate limits
  findKeptAnswer,
  keepAnswer,
  countHit,
  // cases, tasks and incidents as their readers may see them
  findVisibleCase,
  findApplicant,
  verifyVisibleCaseAudit,
  exportCases,
  listDepartmentTasks,
  findDepartmentTask,
  listIncidents,
  findIncident,
  // the catalogue and reference data
  listServiceItems,
  listPublishedDefinitions,
  departmentExists,
  // department systems' keys and the security log
  createApiKey,
  listApiKeys,
  revokeApiKey,
  listSecurityEvents,
  verifySecurityLog,
} as const;

/** A query with its pool bound: the same function without its first parameter. */
type OnPool<Q> = Q extends (sql: Sql, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The API's queries, bound to one pool (see {@link API_QUERIES} for where each lives). */
export type ApiQueries = { readonly [Name in keyof typeof API_QUERIES]: OnPool<(typeof API_QUERIES)[Name]> };

/**
 * The API's queries on `sql`. Built once per API process; a test builds them on a closed pool to see how
 * the API answers a database that fails.
 *
 * @example
 * const queries = createApiQueries(sql);
 * const task = await queries.findDepartmentTask(actor.departmentCode, id);
 */
export function createApiQueries(sql: Sql): ApiQueries {
  const bound = Object.entries(API_QUERIES).map(([name, query]) => [name, (...args: unknown[]) => (query as (sql: Sql, ...rest: unknown[]) => unknown)(sql, ...args)]);
  return Object.fromEntries(bound) as ApiQueries;
}
