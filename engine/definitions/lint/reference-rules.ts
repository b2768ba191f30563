import { COMMITTED_CLOCK, LEGAL_CLOCK, taskClockId } from '../../case-clocks.js';
import type { Ladder, RungTrigger } from '../../time/ladder.js';
import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../case-machine.js';
import type { DeclaredNamed, DeclaredParts } from './declared-parts.js';
import { finding, type LintFinding, type LintReferences } from './lint-finding.js';

/**
 * What a definition names outside itself, or elsewhere in itself, exists: the departments its steps go to, the
 * clocks it pauses, resumes and stops; and the warning ladders its steps climb end. The vocabulary check has
 * already matched the names of tasks, periods and countersign steps.
 */
export function referenceFindings(parts: DeclaredParts, references: LintReferences): LintFinding[] {
  return [...unknownDepartments(parts, references), ...unknownClocks(parts), ...unknownMaterials(parts, references), ...unendingLadders(parts, references)];
}

/**
 * The materials a task says its review needs (`OpenTaskParams.materials`) are among those its service item lists:
 * a name the item does not have would hide from the department a material it needs, or show it nothing at all.
 */
function unknownMaterials(parts: DeclaredParts, references: LintReferences): LintFinding[] {
  const listed = references.item?.materials;
  if (!listed) return [];
  const names = new Set(listed.map((m) => m.name));
  return parts.actions
    .filter((a) => a.type === 'openTask' && Array.isArray(a.params['materials']))
    .flatMap((a) =>
      (a.params['materials'] as unknown[]).flatMap((name, i) =>
        typeof name === 'string' && !names.has(name)
          ? [finding('unknown-material', `${a.path}.params.materials.${i}`, a.state, `Task ${String(a.params['task'])} needs material ${name}, which the service item does not list: ${[...names].join('; ')}.`)]
          : [],
      ),
    );
}

/** The steps a person works on: a task, or a countersign step's signers' tasks. */
export const isHumanStep = (a: DeclaredNamed): boolean => a.type === 'openTask' || a.type === 'openCountersign';

/** A department code a param names, where, and what names it. */
interface NamedDepartment {
  readonly code: unknown;
  readonly path: string;
  readonly state: string;
  readonly by: string;
}

const PLACEHOLDERS: readonly string[] = [LEAD_DEPARTMENT, INTAKE_DEPARTMENT];

function unknownDepartments(parts: DeclaredParts, references: LintReferences): LintFinding[] {
  const named: NamedDepartment[] = [...parts.actions, ...parts.guards].flatMap(({ type, params, path, state }): NamedDepartment[] => {
    const at = `${path}.params`;
    if (type === 'openTask') return [{ code: params['department'], path: `${at}.department`, state, by: `task ${String(params['task'])}` }];
    if (type === 'openCountersign' && Array.isArray(params['signers'])) {
      return params['signers'].map((s: { department?: unknown }, j) => ({ code: s.department, path: `${at}.signers.${j}.department`, state, by: `countersign ${String(params['step'])}` }));
    }
    if (type === 'joinsReview' || type === 'skipsReview') return [{ code: params['department'], path: `${at}.department`, state, by: `review ${String(params['review'])}` }];
    if (type === 'memberChangeable' && Array.isArray(params['optional'])) {
      return params['optional'].map((code, j) => ({ code, path: `${at}.optional.${j}`, state, by: `review ${String(params['review'])}` }));
    }
    return [];
  });
  return named
    .filter((d) => typeof d.code === 'string' && !PLACEHOLDERS.includes(d.code) && !references.departments.has(d.code))
    .map((d) => finding('unknown-department', d.path, d.state, `No department has the code ${String(d.code)}, which ${d.by} names.`));
}

const CLOCK_ACTIONS: readonly string[] = ['pauseClock', 'resumeClock', 'stopClock'];

/**
 * A clock named by `pauseClock`, `resumeClock` or `stopClock` is one the case keeps: its legal or committed limit,
 * the clock of a task the definition opens (`task:<key>`; a countersign's signers' are `task:<step>.<signer>`), or
 * one the definition starts (`startClock`).
 */
function unknownClocks(parts: DeclaredParts): LintFinding[] {
  const kept = new Set<string>([LEGAL_CLOCK, COMMITTED_CLOCK]);
  const steps: string[] = [];
  for (const { type, params } of parts.actions) {
    if (type === 'startClock') kept.add(String(params['clock']));
    if (type === 'openTask') kept.add(taskClockId(String(params['task'])));
    if (type === 'openCountersign') steps.push(taskClockId(`${String(params['step'])}.`));
  }
  const keeps = (clock: string) => kept.has(clock) || steps.some((prefix) => clock.startsWith(prefix));
  return parts.actions
    .filter((a) => CLOCK_ACTIONS.includes(a.type) && typeof a.params['clock'] === 'string' && !keeps(a.params['clock']))
    .map((a) =>
      finding(
        'unknown-clock',
        `${a.path}.params.clock`,
        a.state,
        `${a.type} names clock ${String(a.params['clock'])}, which the case never keeps: its clocks are ${LEGAL_CLOCK}, ${COMMITTED_CLOCK}, task:<key> of a task the definition opens and those it starts (startClock).`,
      ),
    );
}

/**
 * The ladders the steps climb end: a step's own, and the service item's when a step climbs it (has no ladder of
 * its own). A ladder ends with a rung at or after the due date (reached only once the step is overdue), and no rung
 * repeats another (the same triggers). That its rungs are few, their days whole and their reminders bounded is the
 * vocabulary's check of a step's ladder, and the catalogue's of the item's (`serviceItemProblems`).
 */
function unendingLadders(parts: DeclaredParts, references: LintReferences): LintFinding[] {
  const steps = parts.actions.filter(isHumanStep);
  const own = steps.flatMap((a) =>
    Array.isArray(a.params['ladder'])
      ? ladderProblems(a.params['ladder'] as Ladder).map((p) => finding('ladder-never-ends', `${a.path}.params.ladder${p.at}`, a.state, `The ladder of ${String(a.params['title'])}: ${p.problem}`))
      : [],
  );
  const item = references.item;
  if (!item || steps.every((a) => Array.isArray(a.params['ladder']))) return own;
  return [...own, ...ladderProblems(item.ladder).map((p) => finding('ladder-never-ends', `item.ladder${p.at}`, null, `The service item's ladder, which the steps without their own climb: ${p.problem}`))];
}

/** What stops a ladder from ending, with where in it (`''`: the ladder, `.2`: its third rung). */
function ladderProblems(ladder: Ladder): { at: string; problem: string }[] {
  const overdueOnly = (when: readonly RungTrigger[]) => when.length > 0 && when.every((t) => 'overdueWorkingDays' in t);
  const triggers = (when: readonly RungTrigger[]) => JSON.stringify(when.map((t) => JSON.stringify(t)).sort());
  const repeats = ladder.flatMap((rung, i) => {
    const earlier = ladder.slice(0, i).find((r) => triggers(r.when) === triggers(rung.when));
    return earlier ? [{ at: `.${i}`, problem: `rung ${rung.name} repeats rung ${earlier.name}: both are reached at the same point.` }] : [];
  });
  const last = ladder.some((r) => overdueOnly(r.when))
    ? []
    : [{ at: '', problem: 'no rung is reached at or after the due date (by overdueWorkingDays alone): nobody is told when the step is late.' }];
  return [...last, ...repeats];
}
