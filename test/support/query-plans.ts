import type { Sql } from '../../db/connection.js';

/** A node of an EXPLAIN (FORMAT JSON) plan, as far as the index tests read it. */
export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** A plan's nodes, the root first. */
export const planNodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(planNodes)];

/**
 * The plan of a statement as a prepared statement runs it (its text with `$n` parameters, as postgres.js sent it),
 * planned for its parameters (`force_custom_plan`) or for any (`force_generic_plan`, which a prepared statement
 * switches to after five runs).
 */
export function preparedPlan(sql: Sql, text: string, params: readonly unknown[], mode: 'force_custom_plan' | 'force_generic_plan'): Promise<PlanNode> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local plan_cache_mode = ${mode}`);
    await tx.unsafe(`prepare planned as ${text}`);
    const args = params.map((p) => (p === null ? 'null' : `'${String(p).replaceAll("'", "''")}'`)).join(', ');
    const [row] = await tx.unsafe(`explain (format json) execute planned(${args})`);
    await tx.unsafe('deallocate planned');
    return (row?.['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
  });
}
