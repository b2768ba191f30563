import { payloadList, rowIn, type EffectWriters } from './effect-writer.js';

const LAST_CLOCKS = `${payloadList('caseClocks')}->(-1)->'clocks'`;
const LAST_COLOUR = `${payloadList('caseWarned')}->(-1)->>'level'`;

/**
 * `case.clocks` has no arm of its own: the case row is written once per statement (`case_written`), as for
 * `case.reschedule`, so the row's update (and a new case's insert) sets the column from the list's last row
 * when there is one (a command's steps may pause and resume), else as it was.
 */
export const CASE_CLOCKS_COLUMN = `clocks = coalesce(${LAST_CLOCKS}, clocks), warning_level = coalesce(${LAST_COLOUR}, warning_level)`;

/** The clocks a new case is inserted with: its own, unless its first step already changed them. */
export const newCaseClocks = (given: string): string => `coalesce(${LAST_CLOCKS}, ${given})`;

/** The colour a new case is inserted with: green, unless its first step already coloured it. */
export const NEW_CASE_COLOUR = `coalesce(${LAST_COLOUR}, 'green')`;

/** The case's clocks paused or resumed (`pauseCaseClocks`, `resumeCaseClocks`): their new value, on the case row. */
export const CASE_CLOCKS_WRITER = {
  'case.clocks': {
    write: rowIn('caseClocks', (e) => ({ clocks: e.clocks })),
    arms: () => [],
  },
  /** The case's colour (the worst of its clocks still counting), on the case row like its clocks. */
  'case.warn': {
    write: rowIn('caseWarned', (e) => ({ level: e.level })),
    arms: () => [],
  },
} satisfies Partial<EffectWriters>;
