import type { Operation } from '../access/permission-matrix.js';
import type { CaseRef } from '../case-command.js';
import type { Decision, LockedCase } from '../case-store.js';
import type { CommandResult, DecisionEnv } from './decision.js';

/**
 * One operation on an existing case: the command it takes, the permission-matrix row it needs, how the
 * store finds (and locks) the case, and its pure decision. `decideCommand` checks the expected version and
 * the permission before `decide` runs; `decide` adds the department, task and state rules.
 *
 * Adding an operation is one module exporting one of these, one row in `CASE_OPERATIONS`
 * (`decide-command.ts`) and one route.
 */
export interface CaseOperation<C extends { readonly type: string }> {
  readonly type: C['type'];
  /** The matrix row; `null` for the system's own commands (a fired timer has no actor). */
  readonly permission: Operation | null;
  caseRef(command: C): CaseRef;
  decide(locked: LockedCase, command: C, env: DecisionEnv): Decision<CommandResult>;
}
