import { randomUUID } from 'node:crypto';
import type { Actor, Role } from '../engine/access/actor.js';
import { TASK_ROLES } from '../engine/access/authorization-policy.js';
import { TASK_KINDS, type TaskKind } from '../engine/definitions/case-machine.js';
import { InvalidCommandError, SubstitutionEndedError, SubstitutionNotFoundError } from '../engine/errors.js';
import { departmentCode, userId, type UserId } from '../engine/ids.js';
import type { Substitution } from '../engine/substitution.js';
import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import { withSecurityEvent, type Tx } from './security-log.js';

/**
 * Out-of-office substitution windows (代理, table `substitutions`): a person names a substitute for a time, the
 * engine is handed the windows holding when a named signer's task opens or a task is taken over (接办), and the
 * workspace lists a person's windows both ways. Setting and cancelling a window are no case's events: each is
 * written to the security log in its own transaction.
 */

/** The longest window one may set: a long absence is a transfer of the work, not a substitution. */
const MAX_WINDOW_DAYS = 90;
/** How long an ended (or cancelled) window stays in a person's list. */
const RECENT_DAYS = 30;
const DAY_MS = 86_400_000;

/** A window as a person's list shows it: who is away, who stands in, when, why, and whether it was cancelled. */
export interface SubstitutionListing {
  readonly id: string;
  readonly absent: { readonly id: string; readonly name: string };
  readonly substitute: { readonly id: string; readonly name: string };
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly reason: string;
  readonly createdAt: Date;
  readonly cancelledAt: Date | null;
}

type Row = Record<string, unknown>;

/** The window with its substitute as the users table has them now (`Substitution`). */
const WITH_SUBSTITUTE = `select s.id, s.user_id, s.substitute_id, s.starts_at, s.ends_at, s.cancelled_at, u.department_code, u.roles
  from substitutions s join users u on u.id = s.substitute_id and u.active`;

const toSubstitution = (r: Row): Substitution => ({
  id: r['id'] as string,
  absentId: userId(r['user_id'] as string),
  substitute: { userId: userId(r['substitute_id'] as string), departmentCode: departmentCode(r['department_code'] as string), roles: r['roles'] as Role[] },
  startsAt: instant(r['starts_at']),
  endsAt: instant(r['ends_at']),
  cancelledAt: optionalInstant(r['cancelled_at']),
});

/**
 * The windows holding at `at` for these absent people, each with an active substitute: what the engine opens a named
 * signer's task with (`CaseReads.substitutionsAt`). `substitutions_user_idx` finds them by person and end.
 */
export async function substitutionsAt(sql: Sql, absentIds: readonly UserId[], at: Date): Promise<Substitution[]> {
  const rows = await sql.unsafe(`${WITH_SUBSTITUTE} where s.user_id = any($1::text[]) and s.ends_at > $2::timestamptz and s.starts_at <= $2::timestamptz and s.cancelled_at is null`, [
    [...absentIds],
    at.toISOString(),
  ]);
  return rows.map(toSubstitution);
}

/** The windows in which `substituteId` stands in for someone at `at`: whose tasks they see and may take over (接办). */
export async function activeSubstitutionsFor(sql: Sql, substituteId: string, at: Date): Promise<Substitution[]> {
  const rows = await sql.unsafe(
    `${WITH_SUBSTITUTE} where s.substitute_id = $1 and s.ends_at > $2::timestamptz and s.starts_at <= $2::timestamptz and s.cancelled_at is null order by s.starts_at, s.id`,
    [substituteId, at.toISOString()],
  );
  return rows.map(toSubstitution);
}

/**
 * The window a take-over (接办) of `absentId`'s task by `substituteId` relies on: the one holding at `at`, else the
 * pair's latest uncancelled one (the engine refuses it as outside its window), else null (they stand in for nobody).
 */
export async function substitutionBetween(sql: Sql, absentId: string, substituteId: string, at: Date): Promise<Substitution | null> {
  const [row] = await sql.unsafe(
    `${WITH_SUBSTITUTE} where s.user_id = $1 and s.substitute_id = $2 and s.cancelled_at is null
     order by (s.starts_at <= $3::timestamptz and s.ends_at > $3::timestamptz) desc, s.ends_at desc limit 1`,
    [absentId, substituteId, at.toISOString()],
  );
  return row ? toSubstitution(row) : null;
}

/** A person's windows both ways — theirs (away) and those they stand in for — current, to come, and ended in the last 30 days. */
export async function listSubstitutions(sql: Sql, personId: string, now: Date): Promise<SubstitutionListing[]> {
  const rows = await sql.unsafe(`${LISTING} where (s.user_id = $1 or s.substitute_id = $1) and s.ends_at > $2::timestamptz order by s.starts_at, s.id`, [
    personId,
    new Date(now.getTime() - RECENT_DAYS * DAY_MS).toISOString(),
  ]);
  return rows.map(toListing);
}

/** A window of the person's own (as the absent person), whatever its state; null when there is none of theirs. */
async function findOwnSubstitution(sql: Sql, absentId: string, id: string): Promise<SubstitutionListing | null> {
  const [row] = await sql.unsafe(`${LISTING} where s.id = $1::uuid and s.user_id = $2`, [id, absentId]);
  return row ? toListing(row) : null;
}

const LISTING = `select s.id, s.user_id, a.name as absent_name, s.substitute_id, b.name as substitute_name, s.starts_at, s.ends_at, s.reason, s.created_at, s.cancelled_at
  from substitutions s join users a on a.id = s.user_id join users b on b.id = s.substitute_id`;

function toListing(r: Row): SubstitutionListing {
  return {
    id: r['id'] as string,
    absent: { id: r['user_id'] as string, name: r['absent_name'] as string },
    substitute: { id: r['substitute_id'] as string, name: r['substitute_name'] as string },
    startsAt: instant(r['starts_at']),
    endsAt: instant(r['ends_at']),
    reason: r['reason'] as string,
    createdAt: instant(r['created_at']),
    cancelledAt: optionalInstant(r['cancelled_at']),
  };
}

/** What a person asks for: a substitute, a window (from now when no start is given), and why. */
interface SubstitutionRequest {
  readonly actor: Actor;
  readonly substituteId: string;
  readonly startsAt: Date | null;
  readonly endsAt: Date;
  readonly reason: string;
  readonly now: Date;
}

/**
 * Sets a window, recorded on the security log in the same transaction, after checking it (422 naming the field,
 * nothing written): a window that ends after it starts, in the future, of at most {@link MAX_WINDOW_DAYS} days; a
 * substitute who is an active person of the department and handles every kind of task the absent person handles
 * (`TASK_ROLES`), so no task routed to them waits for someone who cannot act on it; no overlap with another window of
 * one's own; and no chain — the substitute is not away themselves then, and the absent person stands in for nobody
 * then — so that who holds a task for whom is one step, always. A start in the past counts from now: a window never
 * reaches back over tasks already opened. Both people's rows are locked (in id order) so that two requests cannot
 * each pass the overlap and chain checks the other breaks.
 */
export function createSubstitution(sql: Sql, request: SubstitutionRequest): Promise<SubstitutionListing> {
  const { actor, now, endsAt, reason } = request;
  const startsAt = request.startsAt && request.startsAt > now ? request.startsAt : now;
  if (request.startsAt && request.startsAt >= endsAt) throw new InvalidCommandError('The window must end after it starts.', ['endsAt']);
  if (endsAt <= now) throw new InvalidCommandError('The window must end in the future.', ['endsAt']);
  if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw new InvalidCommandError(`A window lasts at most ${MAX_WINDOW_DAYS} days; a longer absence is for the department's lead to transfer the work.`, ['endsAt']);
  }
  if (request.substituteId === actor.userId) throw new InvalidCommandError('You cannot stand in for yourself.', ['substituteId']);
  const id = randomUUID();
  return withSecurityEvent(
    sql,
    async (tx) => {
      const people = await tx.unsafe(`select id, name, department_code, roles, active from users where id = any($1::text[]) order by id for update`, [[actor.userId, request.substituteId]]);
      const me = people.find((p) => p['id'] === actor.userId);
      const substitute = people.find((p) => p['id'] === request.substituteId);
      assertCanStandIn(actor, request.substituteId, substitute);
      await assertFree(tx, actor.userId, request.substituteId, startsAt, endsAt);
      await tx.unsafe(`insert into substitutions (id, user_id, substitute_id, starts_at, ends_at, reason, created_at) values ($1, $2, $3, $4, $5, $6, $7)`, [
        id,
        actor.userId,
        request.substituteId,
        startsAt.toISOString(),
        endsAt.toISOString(),
        reason,
        now.toISOString(),
      ]);
      return {
        id,
        absent: { id: actor.userId, name: (me?.['name'] as string | undefined) ?? actor.userId },
        substitute: { id: request.substituteId, name: substitute?.['name'] as string },
        startsAt,
        endsAt,
        reason,
        createdAt: now,
        cancelledAt: null,
      };
    },
    (set) => ({
      type: 'substitution.set',
      actor,
      at: now,
      data: { substitutionId: set.id, absent: set.absent.id, substitute: set.substitute.id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), reason },
    }),
  );
}

/** The kinds of task a person's roles handle (`TASK_ROLES`). */
const kindsHandledBy = (roles: readonly string[]): TaskKind[] => TASK_KINDS.filter((kind) => TASK_ROLES[kind].some((role) => roles.includes(role)));

function assertCanStandIn(actor: Actor, substituteId: string, substitute: Row | undefined): void {
  if (!substitute || substitute['active'] !== true) throw new InvalidCommandError(`No active person ${substituteId}.`, ['substituteId']);
  if (substitute['department_code'] !== actor.departmentCode) throw new InvalidCommandError(`${substituteId} is not of ${actor.departmentCode}, your department.`, ['substituteId']);
  const theirs = new Set(kindsHandledBy(substitute['roles'] as string[]));
  const missing = kindsHandledBy(actor.roles).filter((kind) => !theirs.has(kind));
  if (missing.length > 0) throw new InvalidCommandError(`${substituteId} cannot handle the ${missing.join(', ')} tasks you handle.`, ['substituteId']);
}

/** No overlap with another window of mine, and no chain: my substitute is not away then, and I stand in for nobody then. */
async function assertFree(tx: Tx, absentId: string, substituteId: string, startsAt: Date, endsAt: Date): Promise<void> {
  const overlapping = await tx.unsafe(
    `select user_id, substitute_id from substitutions
     where (user_id = any($1::text[]) or substitute_id = $2) and cancelled_at is null and starts_at < $4::timestamptz and ends_at > $3::timestamptz`,
    [[absentId, substituteId], absentId, startsAt.toISOString(), endsAt.toISOString()],
  );
  if (overlapping.some((w) => w['user_id'] === absentId)) throw new InvalidCommandError('You already have a substitute for part of this window: cancel that window first.', ['startsAt']);
  if (overlapping.some((w) => w['user_id'] === substituteId)) throw new InvalidCommandError(`${substituteId} is away for part of this window and cannot stand in for you then.`, ['substituteId']);
  if (overlapping.some((w) => w['substitute_id'] === absentId)) throw new InvalidCommandError('You stand in for someone for part of this window: a substitute cannot name their own.', ['startsAt']);
}

/**
 * Cancels a window of one's own (as the absent person), recorded on the security log: from now it holds no more; the
 * tasks opened for or taken over by the substitute stay theirs. Cancelling it again changes nothing; another's window
 * is not found (404), an ended one cannot be cancelled (409).
 */
export async function cancelSubstitution(sql: Sql, request: { readonly actor: Actor; readonly id: string; readonly now: Date }): Promise<SubstitutionListing> {
  const { actor, id, now } = request;
  const window = await findOwnSubstitution(sql, actor.userId, id);
  if (!window) throw new SubstitutionNotFoundError(id);
  if (window.cancelledAt) return window;
  if (window.endsAt <= now) throw new SubstitutionEndedError(id, window.endsAt);
  const cancelled = await withSecurityEvent(
    sql,
    async (tx) => {
      const rows = await tx.unsafe(`${LISTING} where s.id = $1::uuid for update of s`, [id]);
      const [row] = rows.length > 0 && rows[0]?.['cancelled_at'] === null ? await tx.unsafe(`update substitutions set cancelled_at = $2 where id = $1 returning id`, [id, now.toISOString()]) : [];
      // Cancelled by a twin request since it was read: nothing changes, and the log records nothing (the rollback).
      if (!row) throw new AlreadyCancelled();
      return { ...window, cancelledAt: now };
    },
    () => ({ type: 'substitution.cancelled', actor, at: now, data: { substitutionId: id, absent: actor.userId, substitute: window.substitute.id } }),
  ).catch(async (error: unknown) => {
    if (!(error instanceof AlreadyCancelled)) throw error;
    return (await findOwnSubstitution(sql, actor.userId, id)) ?? window;
  });
  return cancelled;
}

/** A twin cancellation committed first: this one rolls back and answers the window as cancelled. */
class AlreadyCancelled extends Error {}
