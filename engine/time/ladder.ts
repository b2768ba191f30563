import { InvalidTimeLimitError } from '../errors.js';

/**
 * A warning ladder (预警): the rungs a clock passes on its way to and past its due date — yellow before it, red
 * at it and further rungs after it — each reached once, on the clock's working time (a paused clock climbs
 * nothing). Electronic supervision (电子监察) shows a case and each of its steps green, yellow or red.
 *
 * The day rules are the clock's (`legal-clock.ts`): a working day counts from its beginning, so a rung "N
 * working days left" is reached at the local midnight that begins the counted day after which N remain; "P %
 * consumed" at the midnight beginning the day that brings the count to P % of budget + extensions; "N working
 * days overdue" at the end of the N-th working day after the due date (0: the due instant itself). A rung before
 * the due is never reached on the day of receipt (nothing is consumed yet): at the earliest on counted day 1.
 */
export const WARNING_COLOURS = ['green', 'yellow', 'red'] as const;
export type WarningColour = (typeof WARNING_COLOURS)[number];

export type RungTrigger =
  | { readonly remainingWorkingDays: number }
  | { readonly consumedPercent: number }
  | { readonly overdueWorkingDays: number };

/** Who a rung tells: the department holding the step, its lead, the case's lead department, the supervisors. */
export const RUNG_AUDIENCES = ['department', 'department-lead', 'lead-department', 'supervisors'] as const;
export type RungAudience = (typeof RUNG_AUDIENCES)[number];

export interface Rung {
  /** Unique in its ladder, e.g. `yellow`, `red`, `red+3`. */
  readonly name: string;
  readonly colour: Exclude<WarningColour, 'green'>;
  /** Reached at the earliest of these. */
  readonly when: readonly RungTrigger[];
  /** Told when it is reached. */
  readonly notify: readonly RungAudience[];
  /**
   * Where the service item's law says so (and only in its ladder: a definition cannot grant it), the step is
   * deemed decided when a task's clock reaches the rung: 视为同意 (tacit approval — e.g. a department that does
   * not answer a joint review in time is deemed to agree) or tacit refusal, with the legal basis, for the tasks
   * of the kinds named (reviews and countersigns when none are).
   */
  readonly tacit?: TacitDecision | undefined;
  /**
   * Told again: at most `times` reminders, one every `everyWorkingHours` working hours after the rung was
   * reached (the window's hours on working days: `working-hours.ts`), recorded on the ledger as `<rung>#<n>`.
   */
  readonly remind?: { readonly times: number; readonly everyWorkingHours: number } | undefined;
}

export interface TacitDecision {
  readonly outcome: 'approve' | 'reject';
  readonly legalBasis: string;
  readonly taskKinds?: readonly string[] | undefined;
}

/** Each rung is placed by its own triggers, in any order; rungs reached at one instant are told in the ladder's order. */
export type Ladder = readonly Rung[];

/** A rung reached, on the clock's ledger: it is never reached twice. */
export interface RungReached {
  readonly rung: string;
  readonly at: string;
}

/**
 * The ladder every clock climbs unless its service item or its task says otherwise: yellow when 2 working days
 * are left or 80 % is consumed (the department is told), red when the due passes (the department and the case's
 * lead department), and 3 working days overdue (its lead and the supervisors).
 */
export const DEFAULT_LADDER: Ladder = [
  { name: 'yellow', colour: 'yellow', when: [{ remainingWorkingDays: 2 }, { consumedPercent: 80 }], notify: ['department'] },
  { name: 'red', colour: 'red', when: [{ overdueWorkingDays: 0 }], notify: ['department', 'lead-department'] },
  { name: 'red+3', colour: 'red', when: [{ overdueWorkingDays: 3 }], notify: ['department-lead', 'supervisors'] },
];

/** The worst of several colours (a case is as late as its latest clock); green for none. */
export function worstColour(colours: readonly WarningColour[]): WarningColour {
  return colours.reduce<WarningColour>((worst, c) => (WARNING_COLOURS.indexOf(c) > WARNING_COLOURS.indexOf(worst) ? c : worst), 'green');
}

/**
 * Refuses a ladder that could not be placed: no rungs named twice, whole numbers of days, percentages from 1
 * to 100, at least one trigger per rung, a tacit decision only with its outcome and legal basis.
 *
 * @throws InvalidTimeLimitError naming the rung.
 */
export function validateLadder(ladder: Ladder): Ladder {
  const names = new Set<string>();
  for (const [i, rung] of ladder.entries()) {
    if (names.has(rung.name)) throw new InvalidTimeLimitError(`Rung ${rung.name} is named twice`, ['ladder', i, 'name']);
    names.add(rung.name);
    if (rung.when.length === 0) throw new InvalidTimeLimitError(`Rung ${rung.name} has no trigger`, ['ladder', i, 'when']);
    for (const t of rung.when) {
      const [value, min, max] = 'consumedPercent' in t ? [t.consumedPercent, 1, 100] : [Object.values(t)[0] as number, 0, 3650];
      if (!Number.isInteger(value) || value < min || value > max) throw new InvalidTimeLimitError(`Rung ${rung.name}: ${JSON.stringify(t)} must be a whole number from ${min} to ${max}`, ['ladder', i, 'when']);
    }
    const { times = 1, everyWorkingHours = 1 } = rung.remind ?? {};
    if (!Number.isInteger(times) || times < 1 || times > 20 || !Number.isInteger(everyWorkingHours) || everyWorkingHours < 1 || everyWorkingHours > 2000) {
      throw new InvalidTimeLimitError(`Rung ${rung.name}: reminders are 1 to 20 times, every whole number of working hours (1 to 2,000)`, ['ladder', i, 'remind']);
    }
    if (rung.name.includes('#')) throw new InvalidTimeLimitError(`Rung ${rung.name}: # marks its reminders on the ledger`, ['ladder', i, 'name']);
    if (rung.tacit && (!['approve', 'reject'].includes(rung.tacit.outcome) || rung.tacit.legalBasis.trim() === '')) {
      throw new InvalidTimeLimitError(`Rung ${rung.name}: a tacit decision approves or rejects, on a legal basis`, ['ladder', i, 'tacit']);
    }
  }
  return ladder;
}
