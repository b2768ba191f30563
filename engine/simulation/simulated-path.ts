import { COMMITTED_CLOCK, LEGAL_CLOCK } from '../case-clocks.js';
import type { CaseEvent } from '../definitions/case-machine.js';
import { InvalidTimeLimitError } from '../errors.js';
import { clockStatus, type LegalClock } from '../time/legal-clock.js';
import { DAY_MS } from '../time/local-date.js';
import type { WorkingCalendar } from '../time/working-calendar.js';
import { moveOf } from './case-events.js';
import { endingOf, type ModelPath } from './definition-model.js';
import { SandboxCase, type SandboxStart } from './sandbox-case.js';
import type { SimulatedLimit, SimulatedMove, SimulatedPath } from './simulation.js';

/**
 * A path of the model replayed on a sandbox case, each move made at the last instant the law allows it: a task
 * completed at its due instant (the end of its last working day), a period ended when it is due, the applicant's
 * supplement `supplementWorkingDays` after the request (the same instant when 0), the lead's closing at once. A
 * move whose due instant an earlier move of the path already passed is made at once, and is late.
 */
export function simulatedPath(path: ModelPath, start: SandboxStart, supplementWorkingDays: number): SimulatedPath {
  const sandbox = new SandboxCase(start);
  const moves = path.steps.slice(1).map((step) => {
    const event = step.event as CaseEvent;
    const move = timed(sandbox, event, supplementWorkingDays);
    if (new Date(move.takenAt) > sandbox.clock.now()) sandbox.clock.set(new Date(move.takenAt));
    sandbox.send(event);
    return move;
  });
  const finished = sandbox.clock.now();
  const limit = (id: string) => limitAtEnd(sandbox.case.clocks, id, sandbox.calendar, finished);
  const limits = { legal: limit(LEGAL_CLOCK), committed: limit(COMMITTED_CLOCK) };
  const { status, stateLabel } = sandbox.case;
  if (status !== 'approved' && status !== 'refused') throw new Error(`The path to ${stateLabel} left the case ${status}`);
  const last = moves.at(-1)?.move ?? 'start';
  return {
    ending: { state: stateLabel, outcome: status, move: last, label: endingOf(path) ?? `${stateLabel} <- ${last}` },
    moves,
    limits,
    finishedAt: finished.toISOString(),
    finishedOn: sandbox.calendar.localDate(finished),
    withinLimits: { legal: finished <= new Date(limits.legal.dueAt), committed: finished <= new Date(limits.committed.dueAt) },
  };
}

/** When the move is made, and what it is made on, before the sandbox makes it. */
function timed(sandbox: SandboxCase, event: CaseEvent, supplementWorkingDays: number): SimulatedMove {
  const now = sandbox.clock.now();
  const move = moveOf(event);
  const at = (due: Date) => (due > now ? due : now);
  switch (event.type) {
    case 'task.approved':
    case 'task.rejected':
    case 'task.returned': {
      const task = sandbox.openTask(event.task);
      return waited(sandbox, { move, kind: 'task', title: task.title, department: task.departmentCode }, { openedAt: task.openedAt, dueAt: task.dueAt, dueDate: task.dueDerivation?.dueDate }, at(task.dueAt));
    }
    case 'period.ended': {
      const timer = sandbox.timerFor(event);
      const openedAt = timer.dueDerivation ? new Date(timer.dueDerivation.start) : null;
      return waited(sandbox, { move, kind: 'period', title: event.period, department: null }, { openedAt, dueAt: timer.dueAt, dueDate: timer.dueDerivation?.dueDate }, at(timer.dueAt));
    }
    case 'supplement.submitted':
      return unlimited({ move, kind: 'supplement', title: null, department: null }, supplementAt(sandbox.calendar, now, supplementWorkingDays));
    case 'review.closed':
      // The lead closes the reviews still open once a rejection is in: nothing waits for it.
      return unlimited({ move, kind: 'review', title: null, department: sandbox.case.leadDepartment }, now);
    default:
      throw new Error(`${move} is not a move a simulation makes (isSimulatedMove)`);
  }
}

type What = Pick<SimulatedMove, 'move' | 'kind' | 'title' | 'department'>;

function waited(sandbox: SandboxCase, what: What, limit: { openedAt: Date | null; dueAt: Date; dueDate: string | undefined }, takenAt: Date): SimulatedMove {
  const dueDate = limit.dueDate ?? sandbox.calendar.localDate(new Date(limit.dueAt.getTime() - 1));
  return { ...what, openedAt: limit.openedAt?.toISOString() ?? null, dueAt: limit.dueAt.toISOString(), dueDate, takenAt: takenAt.toISOString(), onTime: takenAt <= limit.dueAt };
}

const unlimited = (what: What, takenAt: Date): SimulatedMove => ({ ...what, openedAt: null, dueAt: null, dueDate: null, takenAt: takenAt.toISOString(), onTime: true });

/** The applicant answers a request for a supplement the given working days later, at the same hour (the same instant for 0). */
function supplementAt(calendar: WorkingCalendar, requested: Date, workingDays: number): Date {
  if (workingDays === 0) return requested;
  const day = calendar.localDay(requested);
  const answered = calendar.workingDayAfter(day, workingDays);
  if (answered === undefined) throw new InvalidTimeLimitError(`${workingDays} working days from ${calendar.localDate(requested)} reach past what calendar ${calendar.code} can count`, ['options', 'supplementWorkingDays']);
  return new Date(requested.getTime() + (answered - day) * DAY_MS);
}

/**
 * A case limit at the end: its clock's due date, counted over the pauses on the way. A clock stopped inside a
 * pause (the licence issued at the end of the public notice the clocks were paused for) has the pause end with it.
 */
function limitAtEnd(clocks: readonly LegalClock[], id: string, calendar: WorkingCalendar, end: Date): SimulatedLimit {
  const clock = clocks.find((c) => c.id === id);
  if (!clock) throw new Error(`The case has no ${id} clock`);
  const open = clock.pauses.at(-1);
  const read = open?.until === null ? { ...clock, pauses: [...clock.pauses.slice(0, -1), { ...open, until: clock.stoppedAt ?? end.toISOString() }] } : clock;
  const { due, budget } = clockStatus(read, calendar, end);
  if (!due) throw new Error(`The ${id} clock has no due date`);
  const { dueDate, pausedWorkingDays, provisional } = due.derivation;
  return { budgetWorkingDays: budget, pausedWorkingDays, dueAt: due.due.toISOString(), dueDate, provisional };
}
