import { connect } from '../db/connection.js';
import { verifyAllCases, verifyCaseAudit, type AuditVerdict } from '../db/audit-verification.js';
import { verifySecurityLog } from '../db/security-log.js';
import { databaseUrl, type CliCommand } from './cli-command.js';
import { UsageError, type CliIo, type ExitCode } from './cli-io.js';

/**
 * `npm run tongban -- audit verify [caseId]`: verifies the hash-chained audit trail of every case (or of one) and the
 * security log in the database named by DATABASE_URL, printing a line per broken chain and a summary.
 *
 * Exit codes: 0 every chain verified, 1 at least one is broken, 2 nothing could be verified (no
 * DATABASE_URL, a malformed or unknown case id, or the database failed).
 */
export const AUDIT_VERIFY: CliCommand = {
  name: 'audit verify',
  usage: '[caseId]',
  summary: "verify every case's hash-chained audit trail (or one case's) and the security log, on DATABASE_URL",
  details: ['Exit 1 when a chain is broken (each first broken link printed), 2 when nothing could be verified.'],
  run: ({ positionals }, io) => verifyAudit(positionals, io),
};

const EXPLAINED: Record<string, string> = {
  hash: 'the event does not match its hash (edited)',
  link: 'the event does not follow the one before it (an event was removed or moved)',
  sequence: 'an event is missing, or the chain does not end at the head kept on the case',
};

const brokenLine = (v: Extract<AuditVerdict, { ok: false }>): string =>
  `BROKEN case ${v.caseId} at seq ${v.brokenAtSeq}: ${v.reason} — ${EXPLAINED[v.reason]} (${v.length} events stored, head at seq ${v.headSeq})`;

async function verifyAudit(args: readonly string[], io: CliIo): Promise<ExitCode> {
  if (args.length > 1) throw new UsageError('audit verify takes at most one case id');
  const [only] = args;
  const sql = connect(databaseUrl(io), { max: 1 });
  try {
    if (only !== undefined) {
      const verdict = await verifyCaseAudit(sql, only);
      if (!verdict) {
        io.err(`audit verify: no case ${only}`);
        return 2;
      }
      io.out(verdict.ok ? `ok: case ${verdict.caseId}, ${verdict.length} events verified` : brokenLine(verdict));
      return verdict.ok ? 0 : 1;
    }
    const security = await verifySecurityLog(sql);
    io.out(
      security.ok
        ? `audit verify: security log, ${security.length} events verified`
        : `BROKEN security log at seq ${security.brokenAtSeq}: ${security.reason} — ${EXPLAINED[security.reason]} (head at seq ${security.headSeq})`,
    );
    const sweep = await verifyAllCases(sql, (verdict) => {
      if (!verdict.ok) io.out(brokenLine(verdict));
    });
    io.out(`audit verify: ${sweep.cases} cases, ${sweep.events} events, ${sweep.broken} broken`);
    return sweep.broken === 0 && security.ok ? 0 : 1;
  } catch (error) {
    io.err(`audit verify: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await sql.end();
  }
}
