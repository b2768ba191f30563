import { describe, expect, it } from 'vitest';
import { CATALOGUE_DEFAULTS } from '../../test/unit/support/catalogue-entry.js';
import { endingsOf, workflowModel } from '../../test/unit/support/workflow-model.js';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { constructionPermit, constructionPermitItem } from '../../workflows/construction-permit.js';
import { shippedDefinitions, shippedServiceItems } from '../../workflows/index.js';
import { roadOccupation, roadOccupationItem } from '../../workflows/road-occupation.js';
import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../definitions/case-machine.js';
import { onOutcome, onReturn, taskState } from '../definitions/definition-parts.js';
import { grantedState, notAcceptedState, refusedState } from '../definitions/final-states.js';
import type { ProcessDefinition } from '../definitions/process-definition.js';
import { InvalidCommandError, InvalidTimeLimitError } from '../errors.js';
import { JOINT_EXTENSION, type ServiceItem } from '../service-item.js';
import { chinaCalendar } from '../time/china-calendar.js';
import { DEFAULT_COUNTING_RULE } from '../time/counting-rule.js';
import { DEFAULT_LADDER } from '../time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../time/legal-clock.js';
import { WorkingCalendar } from '../time/working-calendar.js';
import { simulateDefinition, type SimulatedPath, type Simulation } from './simulate-definition.js';

/**
 * Simulations from Monday 28 September 2026 (LEGAL-TIME.md): 1–7 October are off for National Day and
 * Saturday 10 October is a make-up working day (调休), so every due date past the 30th skips the holiday.
 */
const MONDAY_BEFORE_NATIONAL_DAY = beijing('2026-09-28T09:00');
const NATIONAL_DAY = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];

const simulations = new Map<ProcessDefinition, Simulation>();
/** A shipped definition simulated from the Monday before National Day, once per file. */
function simulated(definition: ProcessDefinition): Simulation {
  let simulation = simulations.get(definition);
  if (!simulation) {
    const item = shippedServiceItems.find((i) => i.definitionKey === definition.key);
    if (!item) throw new Error(`No shipped item runs ${definition.key}`);
    simulations.set(definition, (simulation = simulateDefinition(definition, item, cn, MONDAY_BEFORE_NATIONAL_DAY)));
  }
  return simulation;
}

const pathTo = (simulation: Simulation, label: string): SimulatedPath => {
  const path = simulation.paths.find((p) => p.ending.label === label);
  if (!path) throw new Error(`No path ${label}; found ${simulation.paths.map((p) => p.ending.label).join(', ')}`);
  return path;
};
const dueDates = (path: SimulatedPath) => path.moves.map((m) => [m.move, m.dueDate]);
const everyDueDate = (simulation: Simulation) => simulation.paths.flatMap((p) => [...p.moves.flatMap((m) => m.dueDate ?? []), p.limits.legal.dueDate, p.limits.committed.dueDate]);

describe('the construction permit from the Monday before National Day', () => {
  const simulation = simulated(constructionPermit);

  it('goes every way into every final state, each move made on the last day the law allows', () => {
    expect(simulation.paths.map((p) => p.ending.label)).toEqual(['issued <- period:publicNotice', 'refused <- refusal:approve', 'refused <- decision:reject', 'notAccepted <- acceptance:reject']);
    expect({ unreached: simulation.unreached, capped: simulation.capped }).toEqual({ unreached: [], capped: false });
    const issued = pathTo(simulation, 'issued <- period:publicNotice');
    expect(issued.ending).toEqual({ state: 'issued', outcome: 'approved', move: 'period:publicNotice', label: 'issued <- period:publicNotice' });
    // Accepted on the 28th, day 1 is the 29th; the reviews count 8, 9, 10 (Saturday, worked), 12 and 13 October.
    expect(dueDates(issued)).toEqual([
      ['acceptance:approve', '2026-09-29'],
      ...['planning', 'ecology', 'fire', 'civil-air-defence', 'water'].map((d) => [`review.${d}:approve`, '2026-10-13']),
      ['decision:approve', '2026-10-16'],
      ['period:publicNotice', '2026-10-26'],
    ]);
    expect(issued.moves.every((m) => m.onTime && m.takenAt === m.dueAt)).toBe(true);
    expect(issued.moves[1]).toMatchObject({ kind: 'task', title: '规划审查 Planning review', department: 'planning', openedAt: beijing('2026-09-30T00:00').toISOString() });
    expect(everyDueDate(simulation).filter((date) => NATIONAL_DAY.includes(date) || !cn.isWorkingDay(date))).toEqual([]);
  });

  it('the public notice moves the legal due date; the committed one was spent before it began', () => {
    const refused = pathTo(simulation, 'refused <- decision:reject');
    expect(refused.limits.legal).toMatchObject({ budgetWorkingDays: 15, pausedWorkingDays: 0, dueDate: '2026-10-23' });
    const issued = pathTo(simulation, 'issued <- period:publicNotice');
    // Not counted: the notice's five days (20–26 October), the Monday it was received on (the decision came at
    // the first instant of Saturday the 17th) and the 27th, the day its timer fired at midnight.
    expect(issued.limits.legal).toMatchObject({ budgetWorkingDays: 15, pausedWorkingDays: 7, dueDate: '2026-11-03', provisional: false });
    expect(issued.limits.committed).toMatchObject({ budgetWorkingDays: 10, pausedWorkingDays: 0, dueDate: '2026-10-16' });
    expect({ finishedOn: issued.finishedOn, within: issued.withinLimits }).toEqual({ finishedOn: '2026-10-27', within: { legal: true, committed: false } });
    expect(refused.withinLimits).toEqual({ legal: true, committed: true });
  });

  it('answers plain JSON', () => {
    expect(JSON.parse(JSON.stringify(simulation))).toEqual(simulation);
  });
});

describe('the road occupation from the Monday before National Day', () => {
  const simulation = simulated(roadOccupation);
  const deputyA = 'signOff.urban-management.deputy-a';

  it('goes every way into every final state the finer model of its own tests goes: each deputy, the meeting, both rejections, the window', () => {
    const exact = endingsOf(workflowModel(roadOccupation).getShortestPaths());
    expect(exact.size).toBe(8);
    expect(new Set(simulation.paths.map((p) => p.ending.label))).toEqual(exact);
  });

  it('the reviews are due on the Saturday worked after the holiday; the meeting finishes past the committed limit', () => {
    const issued = pathTo(simulation, `issued <- ${deputyA}:approve`);
    expect(dueDates(issued)).toEqual([
      ['acceptance:approve', '2026-09-29'],
      ['review.traffic-police:approve', '2026-10-10'],
      ['review.municipal-roads:approve', '2026-10-10'],
      [`${deputyA}:approve`, '2026-10-14'],
    ]);
    expect(issued.moves.at(-1)).toMatchObject({ title: '分管副局长签发（或签）Sign-off by a deputy director', department: 'urban-management' });
    expect(issued.withinLimits).toEqual({ legal: true, committed: true });
    const meeting = pathTo(simulation, 'refused <- jointReview.meeting:reject');
    expect({ finishedOn: meeting.finishedOn, committed: meeting.limits.committed.dueDate, within: meeting.withinLimits }).toEqual({
      finishedOn: '2026-10-24',
      committed: '2026-10-14',
      within: { legal: true, committed: false },
    });
    expect(everyDueDate(simulation).filter((date) => NATIONAL_DAY.includes(date) || !cn.isWorkingDay(date))).toEqual([]);
  });
});

describe('every shipped definition', () => {
  it.each(shippedDefinitions.map((d) => [d.key, d] as const))('%s reaches every final state it declares, uncapped', (_, definition) => {
    const simulation = simulated(definition);
    const declared = Object.entries(definition.machine.states ?? {}).flatMap(([key, state]) => ((state as { type?: string }).type === 'final' ? [key] : []));
    expect(new Set(simulation.paths.map((p) => p.ending.state))).toEqual(new Set(declared));
    expect({ unreached: simulation.unreached, capped: simulation.capped }).toEqual({ unreached: [], capped: false });
  });
});

/** A draft whose window may ask for a supplement (补正), the clocks paused until the applicant answers; the supplemented file is checked again. */
const supplementDraft: ProcessDefinition = {
  key: 'supplement-draft',
  version: 1,
  title: '补正草稿 Supplement draft',
  machine: {
    id: 'supplement-draft',
    context: { outcomes: {}, rejections: [] },
    initial: 'acceptance',
    states: {
      acceptance: taskState(
        { task: 'acceptance', kind: 'intake', title: '受理审查 Acceptance check', department: INTAKE_DEPARTMENT, workingDays: 1 },
        {
          'task.approved': onOutcome('acceptance', 'review'),
          'task.returned': onReturn({ task: 'acceptance', to: 'applicant', title: '退回申请人补正 Back to the applicant' }, 'supplement'),
          'task.rejected': onOutcome('acceptance', 'notAccepted'),
        },
      ),
      supplement: {
        entry: [{ type: 'pauseCaseClocks', params: { reason: 'supplement' } }, { type: 'notifyApplicant', params: { template: 'supplement.requested' } }],
        exit: ['resumeCaseClocks'],
        on: { 'supplement.submitted': 'recheck' },
      },
      recheck: taskState(
        { task: 'recheck', kind: 'intake', title: '补正材料复核 Supplement check', department: INTAKE_DEPARTMENT, workingDays: 1 },
        {
          'task.approved': onOutcome('recheck', 'review'),
          'task.returned': onReturn({ task: 'recheck', to: 'applicant', title: '再次补正 Back to the applicant again' }, 'supplement'),
          'task.rejected': onOutcome('recheck', 'notAccepted'),
        },
      ),
      review: taskState(
        { task: 'review', kind: 'review', title: '审查 Review', department: LEAD_DEPARTMENT, workingDays: 5 },
        { 'task.approved': onOutcome('review', 'granted'), 'task.rejected': onOutcome('review', 'refused') },
      ),
      granted: grantedState('licence.issued'),
      refused: refusedState(),
      notAccepted: notAcceptedState(),
    },
  },
};

const supplementItem: ServiceItem = {
  ...CATALOGUE_DEFAULTS,
  code: 'supplement-draft',
  name: '补正草稿 Supplement draft',
  legalBasis: 'test',
  leadDepartment: 'housing',
  legalLimitDays: 20,
  committedLimitDays: 10,
  definitionKey: 'supplement-draft',
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  extension: JOINT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
  // What its window's return to the applicant names (一次性告知).
  materials: [{ name: '申请表 Application form', form: 'either', originals: 1, copies: 0, licenceType: null }],
};

describe('a draft with a supplement loop', () => {
  const MONDAY = beijing('2026-11-30T09:00');
  const afterSupplement = 'notAccepted <- recheck:reject';

  it('walks through the supplement to the ending only the supplemented file reaches, at the window it is told', () => {
    const simulation = simulateDefinition(supplementDraft, supplementItem, cn, MONDAY, { intakeDepartment: 'window' });
    expect(simulation.paths.map((p) => p.ending.label)).toEqual(['granted <- review:approve', 'refused <- review:reject', 'notAccepted <- acceptance:reject', afterSupplement]);
    expect(pathTo(simulation, afterSupplement).moves.map((m) => [m.move, m.kind, m.department])).toEqual([
      ['acceptance:return>applicant', 'task', 'window'],
      ['supplement', 'supplement', null],
      ['recheck:reject', 'task', 'window'],
    ]);
  });

  it('moves the due dates by the working days the applicant took; answered the same day, by none', () => {
    const sameDay = pathTo(simulateDefinition(supplementDraft, supplementItem, cn, MONDAY), afterSupplement);
    const threeDays = pathTo(simulateDefinition(supplementDraft, supplementItem, cn, MONDAY, { supplementWorkingDays: 3 }), afterSupplement);
    // Asked at the end of Tuesday 1 December; answered on Monday 7 December: the 3rd, 4th and 7th are not counted.
    expect(threeDays.moves[1]).toMatchObject({ move: 'supplement', takenAt: beijing('2026-12-07T00:00').toISOString() });
    expect([sameDay.limits.legal, threeDays.limits.legal].map((l) => [l.pausedWorkingDays, l.dueDate])).toEqual([
      [0, '2026-12-28'],
      [3, '2026-12-31'],
    ]);
    expect([sameDay.limits.committed, threeDays.limits.committed].map((l) => [l.pausedWorkingDays, l.dueDate])).toEqual([
      [0, '2026-12-14'],
      [3, '2026-12-17'],
    ]);
    expect(threeDays.moves[2]).toMatchObject({ move: 'recheck:reject', openedAt: beijing('2026-12-07T00:00').toISOString(), dueDate: '2026-12-08' });
  });
});

describe('what a simulation refuses', () => {
  it('a service item of another definition, a calendar the item does not count on, an option out of range, a start the calendar cannot count from', () => {
    const start = MONDAY_BEFORE_NATIONAL_DAY;
    expect(() => simulateDefinition(constructionPermit, roadOccupationItem, cn, start)).toThrow(InvalidCommandError);
    const other = new WorkingCalendar({ ...chinaCalendar(2024, 2026), code: 'cn-sh' });
    expect(() => simulateDefinition(constructionPermit, constructionPermitItem, other, start)).toThrow(/counts on calendar cn, not cn-sh/);
    for (const supplementWorkingDays of [-1, 1.5]) {
      expect(() => simulateDefinition(constructionPermit, constructionPermitItem, cn, start, { supplementWorkingDays })).toThrow(InvalidCommandError);
    }
    expect(() => simulateDefinition(constructionPermit, constructionPermitItem, cn, start, { maxStates: 0 })).toThrow(/maxStates must be a whole number/);
    expect(() => simulateDefinition(constructionPermit, constructionPermitItem, cn, new Date('1999-01-04T09:00:00+08:00'))).toThrow(InvalidTimeLimitError);
    expect(() => simulateDefinition(constructionPermit, constructionPermitItem, cn, new Date(Number.NaN))).toThrow(InvalidTimeLimitError);
  });

  it('says when the walk stopped short, and which final states it did not reach', () => {
    const simulation = simulateDefinition(constructionPermit, constructionPermitItem, cn, MONDAY_BEFORE_NATIONAL_DAY, { maxStates: 3 });
    expect({ capped: simulation.capped, statesWalked: simulation.statesWalked }).toEqual({ capped: true, statesWalked: 3 });
    expect(simulation.paths.map((p) => p.ending.label)).toEqual(['notAccepted <- acceptance:reject']);
    expect(simulation.unreached).toEqual(['issued', 'refused']);
  });
});
