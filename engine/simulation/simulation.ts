/**
 * What a simulation answers (`simulateDefinition`): plain data, instants as ISO 8601 strings and local dates as
 * `YYYY-MM-DD`, so that the API returns it as JSON as it is.
 */

/** How one simulated path ended: the final state, how the case ended there, and the move that took it there. */
export interface SimulatedEnding {
  /** The final state, e.g. `refused`. */
  readonly state: string;
  /** The case's status there, as the final state's outcome tag says. */
  readonly outcome: 'approved' | 'refused';
  /** The move into it, e.g. `decision:reject` (`start` for a definition that starts final). */
  readonly move: string;
  /** `refused <- decision:reject`: the ending as the model-based tests name it. */
  readonly label: string;
}

/** One move of a path, with when it had to be made and when the simulation made it. */
export interface SimulatedMove {
  /** The move, e.g. `review.fire:approve`, `supplement`, `period:publicNotice`, `jointReview:close`. */
  readonly move: string;
  /** What the move acts on: a task completed, a period ended, the applicant's supplement, the lead closing a review. */
  readonly kind: 'task' | 'period' | 'supplement' | 'review';
  /** The task's title (`消防设计审查 Fire protection review`) or the period's name; null for a supplement or a closing. */
  readonly title: string | null;
  /** The department that makes the move: the task's, the lead's for a closing; null for the applicant and a period. */
  readonly department: string | null;
  /** When the task opened or the period began; null when nothing was waiting with a limit (a supplement, a closing). */
  readonly openedAt: string | null;
  /** The task's or period's due instant (the end of its last working day); null when it has none. */
  readonly dueAt: string | null;
  /** Its last working day, local. */
  readonly dueDate: string | null;
  readonly takenAt: string;
  /** Made by its due instant (always, unless an earlier move of the path was made later than this one's due). */
  readonly onTime: boolean;
}

/** A case limit as it stands at the end of a path: its budget, moved by the pauses and extensions on the way. */
export interface SimulatedLimit {
  readonly budgetWorkingDays: number;
  /** The working days the pauses (补正, 公示, expert review …) left out of the count. */
  readonly pausedWorkingDays: number;
  readonly dueAt: string;
  readonly dueDate: string;
  /** Counted past the calendar's official data, on the statutory estimate. */
  readonly provisional: boolean;
}

export interface SimulatedPath {
  readonly ending: SimulatedEnding;
  readonly moves: readonly SimulatedMove[];
  /** The statutory limit (法定时限) and the committed one (承诺时限) at the end of the path. */
  readonly limits: { readonly legal: SimulatedLimit; readonly committed: SimulatedLimit };
  /** When the case reached its final state. */
  readonly finishedAt: string;
  readonly finishedOn: string;
  /** Finished by both limits' due instants. */
  readonly withinLimits: { readonly legal: boolean; readonly committed: boolean };
}

/** The answer of a simulation: a path for each way into each final state the walk found. */
export interface Simulation {
  readonly definition: { readonly key: string; readonly version: number };
  readonly serviceItem: string;
  readonly calendar: { readonly code: string; readonly version: string; readonly horizon: string };
  /** The instant the simulated application was accepted. */
  readonly start: string;
  /** The application's answers the cases were started with. */
  readonly answers: Readonly<Record<string, string | number | boolean>>;
  /** Ordered as the definition declares its final states, then shortest first. */
  readonly paths: readonly SimulatedPath[];
  /** The final states the definition declares that no path reached (unreachable, or left out by a capped walk). */
  readonly unreached: readonly string[];
  /** The states of the model the walk told apart. */
  readonly statesWalked: number;
  /** True when the walk stopped at `maxStates`: some ways into the final states may be missing. */
  readonly capped: boolean;
}
