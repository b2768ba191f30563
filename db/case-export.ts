import type { Actor } from '../engine/access/actor.js';
import { maskIdNumber } from '../engine/access/personal-data-mask.js';
import type { Sql } from './connection.js';
import { optionalInstant } from './instants.js';
import { withSecurityEvent, type Tx } from './security-log.js';

export interface ExportFilter {
  readonly status?: string | undefined;
  readonly serviceItemCode?: string | undefined;
  readonly createdFrom?: Date | undefined;
  readonly createdTo?: Date | undefined;
}

export interface ExportedCase {
  readonly id: string;
  readonly serviceItemCode: string;
  readonly status: string;
  readonly state: string;
  readonly leadDepartment: string;
  readonly applicantName: string;
  readonly applicantIdNumber: string;
  readonly createdAt: string;
  readonly dueAt: string;
  readonly completedAt: string | null;
  readonly overdue: boolean;
}

/** An export is a bulk read: capped, so one request cannot pull the whole database. */
export const EXPORT_ROW_LIMIT = 10_000;

/**
 * Cases for a supervisor's export, with the export written to the security log in the same transaction
 * (who, when, which filter, how many rows). ID numbers are masked as the case view masks them.
 */
export function exportCases(sql: Sql, actor: Actor, filter: ExportFilter, now: Date): Promise<{ rows: ExportedCase[]; truncated: boolean }> {
  return withSecurityEvent(
    sql,
    async (tx: Tx) => {
      const rows = await tx.unsafe(
        `select id, service_item_code, status, state_label, lead_department, applicant->>'name' as applicant_name,
           applicant->>'idNumber' as applicant_id_number,
           created_at, due_at, completed_at, (status = 'running' and due_at < $5::timestamptz) as overdue
         from cases
         where ($1::text is null or status = $1) and ($2::text is null or service_item_code = $2)
           and ($3::timestamptz is null or created_at >= $3) and ($4::timestamptz is null or created_at < $4)
         order by created_at, id
         limit ${EXPORT_ROW_LIMIT + 1}`,
        [filter.status ?? null, filter.serviceItemCode ?? null, filter.createdFrom?.toISOString() ?? null, filter.createdTo?.toISOString() ?? null, now.toISOString()],
      );
      const iso = (v: unknown) => optionalInstant(v)?.toISOString() ?? null;
      const cases = rows.slice(0, EXPORT_ROW_LIMIT).map(
        (r): ExportedCase => ({
          id: r['id'] as string,
          serviceItemCode: r['service_item_code'] as string,
          status: r['status'] as string,
          state: r['state_label'] as string,
          leadDepartment: r['lead_department'] as string,
          applicantName: r['applicant_name'] as string,
          applicantIdNumber: maskIdNumber(r['applicant_id_number'] as string),
          createdAt: iso(r['created_at']) as string,
          dueAt: iso(r['due_at']) as string,
          completedAt: iso(r['completed_at']),
          overdue: r['overdue'] as boolean,
        }),
      );
      return { rows: cases, truncated: rows.length > EXPORT_ROW_LIMIT };
    },
    (result) => ({
      type: 'cases.exported',
      actor,
      at: now,
      data: { filter: { ...filter, createdFrom: filter.createdFrom?.toISOString(), createdTo: filter.createdTo?.toISOString() }, rows: result.rows.length, truncated: result.truncated },
    }),
  );
}
