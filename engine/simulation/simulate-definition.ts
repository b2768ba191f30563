import { getShortestPaths } from 'xstate/graph';
import { INTAKE_DEPARTMENT, type Answer } from '../definitions/case-machine.js';
import { declaredGuards } from '../definitions/declared-guards.js';
import { compileDefinition, type CompiledDefinition, type ProcessDefinition } from '../definitions/process-definition.js';
import type { MembershipParams } from '../definitions/review-membership.js';
import { InvalidCommandError } from '../errors.js';
import type { ServiceItem } from '../service-item.js';
import { deadline, WORKING_DAYS_LIMITS } from '../time/deadline.js';
import type { WorkingCalendar } from '../time/working-calendar.js';
import { endingOf, modelTraversal, retrace, type ModelPath } from './definition-model.js';
import type { ModelSnapshot } from './model-state.js';
import { progressVertex } from './progress-vertex.js';
import { actor } from './sandbox-actors.js';
import { simulatedPath } from './simulated-path.js';
import type { Simulation } from './simulation.js';

export type { SimulatedEnding, SimulatedLimit, SimulatedMove, SimulatedPath, Simulation } from './simulation.js';

export interface SimulationOptions {
  /**
   * The application's answers (e.g. `hasUndergroundSpace: true`); unless given, every answer that brings an
   * optional member into a joint review is `true`, so that the whole process is simulated.
   */
  readonly answers?: Readonly<Record<string, Answer>> | undefined;
  /** The department of the window that accepts the application (where `intake` tasks go); `intake` unless given. */
  readonly intakeDepartment?: string | undefined;
  /** Working days the applicant takes to answer a request for a supplement (补正); 0, the default, answers the same instant. */
  readonly supplementWorkingDays?: number | undefined;
  /** The most states of the model the walk tells apart before it stops (`capped`); 2,000 unless given. */
  readonly maxStates?: number | undefined;
}

/** Enough for every shipped definition (construction permit: some 140 states) many times over, and still quick. */
const MAX_STATES = 2000;
const MAX_STATES_LIMIT = 100_000;

/**
 * Simulates a definition (a draft or a published version) under a service item, on a calendar, from an
 * application accepted at `start`, on no real case: for each way into each final state (`refused <-
 * decision:reject`) the shortest path there is replayed on a sandbox case (`sandbox-case.ts`), each move made at
 * the last instant the law allows it (`simulated-path.ts`), and answered with its moves' due dates, the case's
 * legal and committed due dates as the pauses on the way moved them, the instant it finished and whether that
 * was within its limits.
 *
 * The walk (`xstate/graph`'s `getShortestPaths` over the definition's machine) offers every move the machine
 * takes but withdrawals (撤回) and the lead's changes of a review's members, which take back or re-plan rather
 * than move a case on; it tells states apart as `progressVertex` does, so five parallel reviews stay some 140
 * states; and it stops at `maxStates`, saying so (`capped`). Nothing is read from the catalogue or a database.
 *
 * @throws DefinitionInvalidError for a definition that does not compile; InvalidCommandError for a service item
 *   that runs another definition or counts on another calendar, or an option out of range; InvalidTimeLimitError
 *   for a start the calendar cannot count from.
 * @example
 * const simulation = simulateDefinition(draft, item, cnCalendar, new Date('2026-09-28T09:00:00+08:00'));
 * simulation.paths.map((p) => [p.ending.label, p.finishedOn, p.withinLimits.legal]);
 * // [['issued <- period:publicNotice', '2026-10-27', true], ['refused <- refusal:approve', '2026-10-17', true], …]
 */
export function simulateDefinition(definition: ProcessDefinition, item: ServiceItem, calendar: WorkingCalendar, start: Date, options: SimulationOptions = {}): Simulation {
  const compiled = 'stateMachine' in definition ? (definition as CompiledDefinition) : compileDefinition(definition);
  if (item.definitionKey !== compiled.key) throw new InvalidCommandError(`Service item ${item.code} runs ${item.definitionKey}, not ${compiled.key}`, ['serviceItem', 'definitionKey']);
  if (item.calendarCode !== calendar.code) throw new InvalidCommandError(`Service item ${item.code} counts on calendar ${item.calendarCode}, not ${calendar.code}`, ['calendar']);
  // Refused before the walk, as the case's start would refuse it.
  deadline(calendar, start, item.legalLimitDays, item.countingRule);
  const supplementWorkingDays = wholeNumber(options.supplementWorkingDays ?? 0, 0, WORKING_DAYS_LIMITS.max, 'supplementWorkingDays');
  const maxStates = wholeNumber(options.maxStates ?? MAX_STATES, 1, MAX_STATES_LIMIT, 'maxStates');
  const answers = options.answers ?? everyMemberNeeded(compiled);
  const intakeDepartment = options.intakeDepartment ?? INTAKE_DEPARTMENT;
  const parties = { leadDepartment: item.leadDepartment, intakeDepartment };

  const traversal = modelTraversal(compiled, { parties, answers, vertex: progressVertex(compiled), offers: isSimulatedMove });
  let walked = 0;
  // `getShortestPaths` asks for the events of each state it tells apart once: past the cap it gets none.
  const events = (snapshot: ModelSnapshot) => (++walked > maxStates ? [] : traversal.events(snapshot));
  const found: ModelPath[] = getShortestPaths(compiled.stateMachine, { ...traversal, events });

  const finals = finalStates(compiled);
  const endings = shortestByEnding(found.flatMap((p) => (p.state.status === 'done' ? (retrace(compiled, p, { parties, answers }) ?? []) : []))).sort(
    (a, b) => finals.indexOf(String(a.state.value)) - finals.indexOf(String(b.state.value)) || a.weight - b.weight,
  );
  const sandbox = { definition: compiled, serviceItem: item, calendar, at: start, answers, clerk: actor(intakeDepartment, 'intake_clerk') };
  const paths = endings.map((path) => simulatedPath(path, sandbox, supplementWorkingDays));
  const reached = new Set(paths.map((p) => p.ending.state));
  return {
    definition: { key: compiled.key, version: compiled.version },
    serviceItem: item.code,
    calendar: { code: calendar.code, version: calendar.version, horizon: calendar.horizon },
    start: start.toISOString(),
    answers,
    paths,
    unreached: finals.filter((state) => !reached.has(state)),
    statesWalked: Math.min(walked, maxStates),
    capped: walked > maxStates,
  };
}

/** The shortest path of each ending (`refused <- decision:reject`) among the paths given; those ending elsewhere left out. */
function shortestByEnding(paths: readonly ModelPath[]): ModelPath[] {
  const byEnding = new Map<string, ModelPath>();
  for (const path of paths) {
    const ending = endingOf(path);
    if (ending === null) continue;
    const known = byEnding.get(ending);
    if (!known || path.weight < known.weight) byEnding.set(ending, path);
  }
  return [...byEnding.values()];
}

/** The moves a simulation walks: all but withdrawals (撤回) and the lead's changes of a review's members, which take back or re-plan. */
export const isSimulatedMove = (move: string): boolean => !/:(withdraw|join |leave )/.test(move);

/** The top-level final states, as the definition declares them. */
export function finalStates(definition: CompiledDefinition): string[] {
  return Object.entries(definition.stateMachine.root.states as Record<string, { readonly type: string }>)
    .filter(([, node]) => node.type === 'final')
    .map(([key]) => key);
}

/** Every answer that brings an optional member into a joint review, answered yes. */
export function everyMemberNeeded(definition: CompiledDefinition): Record<string, Answer> {
  const asked = declaredGuards<MembershipParams>(definition.machine, 'skipsReview').flatMap((m) => (m.whenAnswer === undefined ? [] : [m.whenAnswer]));
  return Object.fromEntries(asked.map((answer) => [answer, true]));
}

function wholeNumber(value: number, min: number, max: number, option: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidCommandError(`${option} must be a whole number from ${min} to ${max}, not ${value}`, ['options', option]);
  return value;
}
