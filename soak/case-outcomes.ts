import type { Sql } from '../db/connection.js';
import type { CheckResult, Violation } from './invariants.js';
import type { CaseTrack } from './mixed-load.js';

/**
 * `cases-where-left`: each case the load drove is where its last answered command left it, or completed once
 * from there — a public notice that ran out ends in the licence (`issued`, approved) — and every approved case
 * holds exactly one licence. A case whose last command went unanswered (every API process it tried was down) is
 * held to the licence rule only: that command may have committed. Run it once the workers have caught up with a
 * clock past every public notice.
 */
export async function caseOutcomes(sql: Sql, tracks: ReadonlyMap<string, CaseTrack>): Promise<CheckResult> {
  const rows = await sql<{ id: string; status: string; state: string; licences: number }[]>`
    select c.id, c.status, c.state_label as state, (select count(*) from licences l where l.case_id = c.id)::int as licences from cases c`;
  const violations: Violation[] = [];
  for (const row of rows) {
    if (row.status === 'approved' && row.licences !== 1) violations.push({ caseId: row.id, what: `approved with ${row.licences} licences` });
    const track = tracks.get(row.id);
    if (!track || track.lost) continue;
    const { status, state, command } = track.last;
    const expected = status === 'running' && state === 'publicNotice' ? { status: 'approved', state: 'issued' } : { status, state };
    if (row.status !== expected.status || row.state !== expected.state) {
      violations.push({ caseId: row.id, what: `${row.status} in ${row.state}, but its last command (${command}) left it ${status} in ${state}` });
    }
  }
  const stored = new Set(rows.map((r) => r.id));
  for (const id of [...tracks.keys()].filter((id) => !stored.has(id))) violations.push({ caseId: id, what: 'started (answered 201) but not stored' });
  return { name: 'cases-where-left', unit: 'cases', lookedAt: rows.length, violations };
}
