import { caseColour, COMMITTED_CLOCK, taskClockId } from '../engine/case-clocks.js';
import { isOpenCase } from '../engine/case-record.js';
import type { Catalog } from '../engine/case-store.js';
import { clockColour } from '../engine/time/ladder-rungs.js';
import { clockStatus, type ClockStatus, type LegalClock } from '../engine/time/legal-clock.js';
import type { CaseRows } from './case-rows.js';
import type { Violation } from './invariants.js';

/**
 * `clock-ledgers`: each clock of a case (`cases.clocks`, `engine/time/legal-clock.ts`) is a ledger written in order:
 * 1. every instant parses; no pause, extension, rung or stop before the start;
 * 2. pauses in order, not overlapping: each ends no earlier than it began, only the last may be open, and the next
 *    begins no earlier than the one before ended;
 * 3. extensions in order, each a whole number ≥ 1 of working days, within the extension policy (times and days);
 * 4. a stop comes after every pause and extension;
 * 5. rungs reached: each ledger name once, each a rung of its ladder (a reminder `<rung>#<n>` only after its rung,
 *    n within the rung's reminders), in the order reached;
 * 6. totals agree: the clock reads (`clockStatus`) at the check's instant without error, consumed + remaining =
 *    budget + extensions, 0 ≤ consumed ≤ that; stopped when `stoppedAt` is set, else paused when a pause is open;
 * 7. the rows follow it: an open case's `warning_level` is the worst colour of its clocks still counting and its
 *    `due_at` the committed clock's due while that counts; an open task's `warning_level` is its clock's colour and
 *    its `due_at` the clock's due while that counts.
 */
export async function ledgerViolations(rows: CaseRows, catalog: Pick<Catalog, 'calendar'>, now: Date): Promise<{ lookedAt: number; violations: Violation[] }> {
  const c = rows.case;
  const clocks = c.clocks ?? [];
  const violations: Violation[] = [];
  const say = (clock: LegalClock, what: string) => violations.push({ caseId: c.id, what: `clock ${clock.id}: ${what}` });
  for (const clock of clocks) {
    for (const what of orderViolations(clock)) say(clock, what);
    let status: ClockStatus;
    try {
      status = clockStatus(clock, await catalog.calendar(clock.calendarCode), now);
    } catch (error) {
      say(clock, `does not read: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const total = status.budget + status.extensionWorkingDays;
    if (status.consumed + status.remaining !== total || status.consumed < 0 || status.consumed > total) {
      say(clock, `consumed ${status.consumed} + remaining ${status.remaining} against ${total} working days`);
    }
    const open = clock.pauses.at(-1)?.until === null;
    const expected = clock.stoppedAt !== null ? ['stopped'] : open ? ['paused'] : ['running', 'expired'];
    if (!expected.includes(status.state)) say(clock, `reads ${status.state}, its ledger says ${expected.join(' or ')}`);
    if (!isOpenCase(c.status)) continue;
    const counting = status.state === 'running' || status.state === 'expired';
    const dueMs = status.due?.due.getTime();
    if (clock.id === COMMITTED_CLOCK && c.status === 'running' && counting && dueMs !== c.dueAtMs) {
      say(clock, `due ${iso(dueMs)} but the case is due ${iso(c.dueAtMs)}`);
    }
    const task = rows.tasks.find((t) => (t.status === 'open' || t.status === 'claimed') && taskClockId(t.key) === clock.id);
    if (task && counting && dueMs !== task.dueAtMs) say(clock, `due ${iso(dueMs)} but task ${task.id} is due ${iso(task.dueAtMs)}`);
    if (task && clockColour(clock) !== task.warningLevel) say(clock, `colour ${clockColour(clock)} but task ${task.id} is ${task.warningLevel}`);
  }
  if (c.clocks && isOpenCase(c.status) && caseColour(clocks) !== c.warningLevel) {
    violations.push({ caseId: c.id, what: `warning_level ${c.warningLevel} but its clocks say ${caseColour(clocks)}` });
  }
  return { lookedAt: clocks.length, violations };
}

const iso = (ms: number | undefined) => (ms === undefined ? 'none' : new Date(ms).toISOString());

/** Rules 1–5 of {@link ledgerViolations}. */
function orderViolations(clock: LegalClock): string[] {
  const found: string[] = [];
  const at = (text: string | null | undefined, what: string): number => {
    const t = text ? Date.parse(text) : Number.NaN;
    if (!Number.isFinite(t)) found.push(`${what} is not an instant (${String(text)})`);
    return t;
  };
  const start = at(clock.start, 'start');
  let last = start;
  clock.pauses.forEach((p, i) => {
    const from = at(p.from, `pause ${i + 1} from`);
    if (from < last) found.push(`pause ${i + 1} begins at ${p.from}, before ${i === 0 ? 'the start' : `pause ${i} ended`}`);
    if (p.until === null) {
      if (i !== clock.pauses.length - 1) found.push(`pause ${i + 1} is open but is not the last`);
      last = Math.max(last, from);
    } else {
      const until = at(p.until, `pause ${i + 1} until`);
      if (until < from) found.push(`pause ${i + 1} ends at ${p.until}, before it began`);
      last = Math.max(last, until);
    }
  });
  let extended = 0;
  let previous = start;
  clock.extensions.forEach((e, i) => {
    const when = at(e.at, `extension ${i + 1}`);
    if (when < previous) found.push(`extension ${i + 1} at ${e.at} is out of order`);
    previous = Math.max(previous, when);
    if (!Number.isInteger(e.workingDays) || e.workingDays < 1) found.push(`extension ${i + 1} of ${e.workingDays} working days`);
    extended += e.workingDays;
  });
  if (clock.extensions.length > clock.extensionPolicy.maxTimes || extended > clock.extensionPolicy.maxWorkingDays) {
    found.push(`${clock.extensions.length} extensions of ${extended} working days beyond its policy (${clock.extensionPolicy.maxTimes} times, ${clock.extensionPolicy.maxWorkingDays} days)`);
  }
  if (clock.stoppedAt !== null && at(clock.stoppedAt, 'stoppedAt') < Math.max(last, previous)) found.push(`stopped at ${clock.stoppedAt}, before its last pause or extension`);
  const seen = new Set<string>();
  let reachedBefore = start;
  for (const w of clock.warnings ?? []) {
    const when = at(w.at, `rung ${w.rung}`);
    if (when < reachedBefore) found.push(`rung ${w.rung} reached at ${w.at}, before the start or the rung before it`);
    reachedBefore = Math.max(reachedBefore, when);
    if (seen.has(w.rung)) found.push(`rung ${w.rung} is on its ledger twice`);
    seen.add(w.rung);
    const [name = '', reminder] = w.rung.split('#');
    const rung = (clock.ladder ?? []).find((r) => r.name === name);
    if (!rung) found.push(`rung ${w.rung} is not on its ladder`);
    else if (reminder !== undefined && (!seen.has(name) || !(Number(reminder) >= 1 && Number(reminder) <= (rung.remind?.times ?? 0)))) found.push(`reminder ${w.rung} without its rung, or beyond its reminders`);
  }
  return found;
}

/** A rung reached for a clock: a task's clock is keyed by its task too (a reopened task starts its clock again). */
const reachKey = (clock: string, taskId: unknown, rung: string) => `${clock}|${typeof taskId === 'string' ? taskId : ''}|${rung}`;

/** `rungs-once` (rules in `invariants.ts`); looks at every rung reached in the audit. */
export function rungViolations(rows: CaseRows): { lookedAt: number; violations: Violation[] } {
  const violations: Violation[] = [];
  const say = (what: string) => violations.push({ caseId: rows.case.id, what });
  const standing = new Set<string>();
  const reaches = new Map<string, number>();
  let lookedAt = 0;
  for (const e of rows.events) {
    const { clock, rungs, cleared } = e.data;
    if (Array.isArray(rungs) && typeof clock === 'string') {
      for (const rung of rungs.map(String)) {
        lookedAt += 1;
        const key = reachKey(clock, e.data['taskId'], rung);
        if (standing.has(key)) say(`rung ${rung} of clock ${clock} reached again at seq ${e.seq} (${e.type})`);
        standing.add(key);
        reaches.set(key, (reaches.get(key) ?? 0) + 1);
      }
    }
    // Taken off by an extension (rung names of `clock`) or a recount (`<clock>/<rung>`): they may be reached again.
    if (Array.isArray(cleared)) {
      const off = cleared.map(String).map((entry) => (e.type === 'clock.extended' ? { clock: String(clock), rung: entry } : splitCleared(entry)));
      for (const key of [...standing]) {
        const [k, , r = ''] = key.split('|');
        if (off.some((o) => o.clock === k && o.rung === r.split('#')[0])) standing.delete(key);
      }
    }
  }
  for (const clock of rows.case.clocks ?? []) {
    for (const w of clock.warnings ?? []) {
      if (![...reaches.keys()].some((key) => key.startsWith(`${clock.id}|`) && key.endsWith(`|${w.rung}`))) say(`rung ${w.rung} is on clock ${clock.id}'s ledger but was never reached in the audit`);
    }
  }
  const told = new Map<string, number>();
  for (const n of rows.warnings) {
    const key = reachKey(String(n.data['clock']), n.data['taskId'], String(n.data['rung']));
    const audience = `${key}|${n.audience}|${n.departmentCode ?? ''}|${String(n.data['for'] ?? '')}`;
    told.set(audience, (told.get(audience) ?? 0) + 1);
  }
  for (const [audience, n] of told) {
    const key = audience.split('|').slice(0, 3).join('|');
    if (n > (reaches.get(key) ?? 0)) say(`warning ${audience} told ${n} times for ${reaches.get(key) ?? 0} reaches`);
  }
  for (const key of reaches.keys()) {
    if (!key.includes('#') && ![...told.keys()].some((audience) => audience.startsWith(`${key}|`))) say(`rung ${key} reached but nobody was told`);
  }
  return { lookedAt, violations };
}

function splitCleared(entry: string): { clock: string; rung: string } {
  const at = entry.lastIndexOf('/');
  return { clock: entry.slice(0, at), rung: entry.slice(at + 1) };
}
