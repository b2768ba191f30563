import { table } from '../bench/stats.js';
import type { CheckResult } from './invariants.js';
import type { LoadFigures } from './mixed-load.js';

/** How many violations of each check the tables show (the rest are counted). */
const SHOWN = 5;

/** What the checks looked at and found, one row per check, with the first few violations. */
export function checksTable(results: readonly CheckResult[]): string {
  return table(
    ['check', 'looked at', 'violations', 'first violations'],
    results.map((r) => [
      `\`${r.name}\``,
      `${r.lookedAt.toLocaleString('en-US')} ${r.unit}`,
      r.violations.length === 0 ? '0' : `**${r.violations.length}**`,
      r.violations.slice(0, SHOWN).map((v) => `${v.caseId ?? ''} ${v.what}`.trim().replaceAll('|', '\\|')).join('; ') || '—',
    ]),
  );
}

/** The faults injected, by kind. */
export function injectionsTable(injected: Readonly<Record<string, number>>): string {
  const rows = Object.entries(injected);
  return table(['injected', 'times'], rows.length > 0 ? rows : [['nothing', 0]]);
}

/** What the load sent and how it was answered. */
export function loadTable(figures: LoadFigures, cases: { started: number; closed: number; seconds: number }): string {
  return table(
    ['load', 'value'],
    [
      ['cases started / closed by the end', `${cases.started} / ${cases.closed}`],
      ['commands (each sent again with its Idempotency-Key until answered)', Object.values(figures.byCommand).reduce((a, b) => a + b, 0)],
      ['requests sent (commands, with their retries)', `${figures.sent} (${(figures.sent / cases.seconds).toFixed(1)}/s)`],
      ['accepted (2xx)', figures.accepted],
      ['refused (4xx)', `${figures.refused}${Object.keys(figures.refusals).length > 0 ? ` — ${Object.entries(figures.refusals).map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''}`],
      ['503 (during injections), retried', figures.unavailable],
      ['no answer (a process killed), retried', figures.unreachable],
      ['other 5xx', figures.failed],
      ['reads', figures.reads],
      ['by command', Object.entries(figures.byCommand).map(([k, n]) => `${k} ${n}`).join(', ')],
    ],
  );
}
