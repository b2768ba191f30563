import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../engine/access/actor.js';
import { hasRole } from '../engine/access/actor.js';
import { cases } from './schema/index.js';

/**
 * The SQL condition "this actor may read this case" (deny by default): supervisors read across
 * departments; everyone else reads the cases their department takes part in — as lead, as the intake
 * window, or through a task of their own — and the cases copied (抄送) to them or to their department,
 * read-only. The department is the authenticated user's, never the client's.
 */
export function caseVisibleTo(actor: Actor): SQL {
  if (hasRole(actor, 'supervisor')) return sql`true`;
  return sql`(${caseTakesPartBy(actor)}
    or exists (select 1 from case_copies cc where cc.case_id = ${cases.id} and (cc.recipient_user = ${actor.userId} or cc.recipient_department = ${actor.departmentCode})))`;
}

/**
 * The SQL condition "the actor's department takes part in this case" (lead, intake window, a task of its own), or the
 * actor reads across departments (a supervisor): who sees all of a case's copies and their read receipts.
 */
export function caseTakesPartBy(actor: Actor): SQL {
  if (hasRole(actor, 'supervisor')) return sql`true`;
  const dept = actor.departmentCode;
  return sql`(${cases.leadDepartment} = ${dept} or ${cases.intakeDepartment} = ${dept}
    or exists (select 1 from tasks t where t.case_id = ${cases.id} and t.department_code = ${dept}))`;
}
