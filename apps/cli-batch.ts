import { ApiRefusal } from './cli-api-client.js';
import type { CliIo, ExitCode } from './cli-io.js';

/** How one item of a batch ended: done, refused by the API (a 4xx, with why) or failed (the API or the network broke). */
type Outcome = { readonly kind: 'done'; readonly line: string } | { readonly kind: 'refused' | 'failed'; readonly line: string };

const BAR_WIDTH = 30;

/** An item the CLI itself refuses before any request (e.g. a case with nothing to retry): counted among the refused. */
export class BatchRefusal extends Error {}

/**
 * Runs `act` on each item in turn (one request at a time: a batch must not crowd out the people at work), with a
 * progress bar on a terminal or a plain line per item otherwise, then a summary: how many done, refused (each with
 * why) and failed. Exit status 1 when any item was not done: the operator has something to look at.
 *
 * @example await runBatch(io, 'terminate', caseIds, (id) => api.post(`/cases/${id}/termination`, body).then(() => 'terminated'));
 */
export async function runBatch(io: CliIo, label: string, items: readonly string[], act: (item: string) => Promise<string>): Promise<ExitCode> {
  const outcomes: Array<Outcome & { readonly item: string }> = [];
  for (const [index, item] of items.entries()) {
    const outcome = await settle(() => act(item));
    outcomes.push({ ...outcome, item });
    if (io.tty) io.progress(bar(label, index + 1, items.length));
    else io.out(`${outcome.kind} ${item}: ${outcome.line}`);
  }
  if (io.tty && items.length > 0) io.progress('\n');
  const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  io.out(`${label}: ${items.length} in all, ${count('done')} done, ${count('refused')} refused, ${count('failed')} failed`);
  // On a terminal the bar stood in for the item lines: what went wrong is listed once more.
  if (io.tty) for (const o of outcomes) if (o.kind !== 'done') io.err(`${o.kind} ${o.item}: ${o.line}`);
  return outcomes.every((o) => o.kind === 'done') ? 0 : 1;
}

async function settle(act: () => Promise<string>): Promise<Outcome> {
  try {
    return { kind: 'done', line: await act() };
  } catch (error) {
    if (error instanceof BatchRefusal || (error instanceof ApiRefusal && error.status < 500)) return { kind: 'refused', line: error.message };
    return { kind: 'failed', line: error instanceof Error ? error.message : String(error) };
  }
}

function bar(label: string, done: number, total: number): string {
  const filled = Math.round((done / total) * BAR_WIDTH);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
}
