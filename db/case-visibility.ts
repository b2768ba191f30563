import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../engine/access/actor.js';
import { hasRole } from '../engine/access/actor.js';
import { cases } from './schema/index.js';

/**
 * The SQL condition "this actor may read this case" (deny by default): supervisors read across
 * departments; everyone else reads the cases their department takes part in — as lead, as the intake
 * window, or through a task of their own. The department is the authenticated user's, never the client's.
 */
export function caseVisibleTo(actor: Actor): SQL {
  if (hasRole(actor, 'supervisor')) return sql`true`;
  const dept = actor.departmentCode;
  return sql`(${cases.leadDepartment} = ${dept} or ${cases.intakeDepartment} = ${dept}
    or exists (select 1 from tasks t where t.case_id = ${cases.id} and t.department_code = ${dept}))`;
}
