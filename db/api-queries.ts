import { createApiKey, listApiKeys, revokeApiKey } from './api-key-store.js';
import { verifyVisibleCaseAudit } from './audit-verification.js';
import { exportCases } from './case-export.js';
import { importCalendarYear } from './calendar-import.js';
import { findCalendar, listCalendars } from './calendars.js';
import { findVisibleCaseAtRest } from './case-at-rest-queries.js';
import { findApplicant, findVisibleCase, findVisibleCaseClocks } from './case-queries.js';
import { listCaseCopies, listCopiedToMe } from './copy-queries.js';
import { listPublishedDefinitions, listServiceItems } from './catalog-queries.js';
import { findDefinitionDesign, listDefinitionDesigns, publishDefinitionDraft, saveDefinitionDraft } from './definition-designs.js';
import {
  casesNotOfDefinition,
  casesToMigrate,
  findDefinitionMigration,
  finishDefinitionMigration,
  listDefinitionMigrations,
  recordMigrationBatch,
  startDefinitionMigration,
} from './definition-migration-queries.js';
import { catalogueReferences, findServiceItemVersion, listServiceItemVersions, publishServiceItemDraft, saveServiceItemDraft } from './service-item-designs.js';
import type { Sql } from './connection.js';
import { listDepartments } from './department-queries.js';
import { listSupplementRequests } from './supplement-request-queries.js';
import { findCaseServiceItem, findMaterialFile, findUploads } from './material-queries.js';
import { findKeptAnswer, keepAnswer } from './idempotency-keys.js';
import { countInbox } from './inbox-views.js';
import type { PgCatalog } from './pg-catalog.js';
import { apiKeyActor, userActor } from './principals.js';
import { countUnreadNotifications, listNotifications, markNotificationsRead } from './notification-queries.js';
import { countHit, windowHits } from './rate-limit-windows.js';
import { answerFixTask, findCaseByNumber, listFixTasks, readCaseProgress, recordRating, replaceQueryCode } from './applicant-queries.js';
import { departmentExists } from './reference-data.js';
import { listSecurityEvents, verifySecurityLog } from './security-log.js';
import { findSupervisionNotice, listSupervisionNotices } from './supervision-notice-queries.js';
import { countSupervision, listSupervisedCases, listSupervisedTasks } from './supervision-queries.js';
import { supervisionTrend } from './supervision-trend-queries.js';
import { findDepartmentTask, listInboxTasks } from './task-queries.js';
import { findIncident, listIncidents } from './timer-incidents.js';
import { findUserProfile, listActiveUsers, listDepartmentPeople } from './user-queries.js';
import { findWebhookDelivery, listWebhookDeliveries, replayDeadLetters } from './webhook-deliveries.js';
import { findHolderLicences, findLicence, revokeLicence } from './licence-queries.js';
import { changeWebhookSubscription, createWebhookSubscription, findWebhookSubscription, listWebhookSubscriptions, rotateWebhookSecret } from './webhook-subscriptions.js';
import { activeSubstitutionsFor, cancelSubstitution, createSubstitution, listSubstitutions, substitutionBetween } from './substitution-queries.js';

/**
 * Every query the API runs besides the engine's commands. Each lives in the module of what it reads or
 * writes and takes the pool first; {@link createApiQueries} binds it, so the API holds named queries,
 * never the pool.
 */
const API_QUERIES = {
  // who a credential stands for
  userActor,
  apiKeyActor,
  // who a person is, for the workspace; every active person, for the demo sign-in
  findUserProfile,
  listActiveUsers,
  // the people of one's own department, whom a task may be transferred to
  listDepartmentPeople,
  // substitution windows (代理): set, cancelled (security-logged) and listed by their people; the ones a take-over and the moves rely on
  listSubstitutions,
  createSubstitution,
  cancelSubstitution,
  substitutionBetween,
  activeSubstitutionsFor,
  // what a request's Idempotency-Key keeps, and per-caller rate limits
  findKeptAnswer,
  keepAnswer,
  countHit,
  windowHits,
  // the applicant's side (进度查询, 好差评): a case by its number, its progress, ratings and their fix tasks, query codes
  findCaseByNumber,
  readCaseProgress,
  recordRating,
  listFixTasks,
  answerFixTask,
  replaceQueryCode,
  // cases, tasks and incidents as their readers may see them
  findVisibleCase,
  findVisibleCaseClocks,
  findVisibleCaseAtRest,
  findApplicant,
  verifyVisibleCaseAudit,
  exportCases,
  listInboxTasks,
  countInbox,
  findDepartmentTask,
  listIncidents,
  findIncident,
  // material files (材料): the uploads a command attaches, a case's item they are named after, a material's file to download
  findUploads,
  findCaseServiceItem,
  findMaterialFile,
  // supplement requests (补正告知) of a case: what was asked, answered or not
  listSupplementRequests,
  // copies (抄送) as their recipients and the case's participants see them, with their read receipts
  listCopiedToMe,
  listCaseCopies,
  // notifications as their readers see them, and their read receipts
  listNotifications,
  countUnreadNotifications,
  markNotificationsRead,
  // supervision notices (督办) as supervisors and the departments holding them see them
  listSupervisionNotices,
  findSupervisionNotice,
  // what is late or about to be, and the on-time counts, as supervisors (and a lead, of their department) see them
  listSupervisedCases,
  listSupervisedTasks,
  countSupervision,
  supervisionTrend,
  // the catalogue and reference data
  listServiceItems,
  listPublishedDefinitions,
  // the designers' catalogue: item versions and definition drafts, saved and published (security-logged)
  listServiceItemVersions,
  findServiceItemVersion,
  saveServiceItemDraft,
  catalogueReferences,
  listDefinitionDesigns,
  findDefinitionDesign,
  saveDefinitionDraft,
  publishDefinitionDraft,
  // migrations of running cases between definition versions (流程版本迁移): their cases, progress (security-logged start)
  casesToMigrate,
  casesNotOfDefinition,
  startDefinitionMigration,
  recordMigrationBatch,
  finishDefinitionMigration,
  findDefinitionMigration,
  listDefinitionMigrations,
  departmentExists,
  listDepartments,
  listCalendars,
  findCalendar,
  // department systems' keys and the security log
  createApiKey,
  listApiKeys,
  revokeApiKey,
  listSecurityEvents,
  verifySecurityLog,
  // department systems' webhook subscriptions (security-logged) and their deliveries, dead letters replayed (security-logged)
  createWebhookSubscription,
  listWebhookSubscriptions,
  findWebhookSubscription,
  changeWebhookSubscription,
  rotateWebhookSecret,
  listWebhookDeliveries,
  findWebhookDelivery,
  replayDeadLetters,
  // electronic licences (电子证照): verified by number, found by holder for reuse, revoked (security-logged)
  findLicence,
  findHolderLicences,
  revokeLicence,
} as const;

/** A query with its pool bound: the same function without its first parameter. */
type OnPool<Q> = Q extends (sql: Sql, ...args: infer A) => infer R ? (...args: A) => R : never;

/** What the API's queries need of the engine's catalogue: its cached calendars (and dropping them) and compiled definitions. */
export type CatalogCache = Pick<PgCatalog, 'calendar' | 'forgetCalendars' | 'definition' | 'forgetServiceItem' | 'serviceItem'>;

/** The API's queries, bound to one pool (see {@link API_QUERIES} for where each lives). */
export type ApiQueries = { readonly [Name in keyof typeof API_QUERIES]: OnPool<(typeof API_QUERIES)[Name]> } & {
  /** What a calendar counts on, from the engine's catalogue: the due-date explainer counts as the engine does. */
  readonly workingCalendar: CatalogCache['calendar'];
  /** A published definition as the engine's catalogue compiled it: the case page's diagram and moves read the machine the engine runs. */
  readonly processDefinition: CatalogCache['definition'];
  /** A service item as the engine's catalogue has it (the version in force, or one pinned): the materials it lists. */
  readonly serviceItem: CatalogCache['serviceItem'];
  /** `importCalendarYear`, then this process's cached calendars dropped, so its next count uses the new year. */
  readonly importCalendarYear: OnPool<typeof importCalendarYear>;
  /** `publishServiceItemDraft`, then this process's cached item dropped, so its next case starts under the new version. */
  readonly publishServiceItemDraft: OnPool<typeof publishServiceItemDraft>;
};

/**
 * The API's queries on `sql`, and the calendars and definitions of the engine's catalogue. Built once per API process; a test
 * builds them on a closed pool to see how the API answers a database that fails.
 *
 * @example
 * const queries = createApiQueries(sql, runtime.catalog);
 * const task = await queries.findDepartmentTask(actor.departmentCode, id);
 */
export function createApiQueries(sql: Sql, catalog: CatalogCache): ApiQueries {
  const bound = Object.entries(API_QUERIES).map(([name, query]) => [name, (...args: unknown[]) => (query as (sql: Sql, ...rest: unknown[]) => unknown)(sql, ...args)]);
  return {
    ...(Object.fromEntries(bound) as Omit<ApiQueries, 'workingCalendar' | 'processDefinition' | 'serviceItem' | 'importCalendarYear' | 'publishServiceItemDraft'>),
    workingCalendar: (code) => catalog.calendar(code),
    processDefinition: (key, version) => catalog.definition(key, version),
    serviceItem: (code, version) => catalog.serviceItem(code, version),
    importCalendarYear: async (...args) => {
      const imported = await importCalendarYear(sql, ...args);
      catalog.forgetCalendars();
      return imported;
    },
    publishServiceItemDraft: async (...args) => {
      const published = await publishServiceItemDraft(sql, ...args);
      catalog.forgetServiceItem(published.code);
      return published;
    },
  };
}
