import { payloadList, rowIn, type EffectWriters } from './effect-writer.js';

const LAST_CLOCKS = `${payloadList('caseClocks')}->(-1)->'clocks'`;

/**
 * `case.clocks` has no arm of its own: the case row is written once per statement (`case_written`), as for
 * `case.reschedule`, so the row's update (and a new case's insert) sets the column from the list's last row
 * when there is one (a command's steps may pause and resume), else as it was.
 */
export const CASE_CLOCKS_COLUMN = `clocks = coalesce(${LAST_CLOCKS}, clocks)`;

/** The clocks a new case is inserted with: its own, unless its first step already changed them. */
export const newCaseClocks = (given: string): string => `coalesce(${LAST_CLOCKS}, ${given})`;

/** The case's clocks paused or resumed (`pauseCaseClocks`, `resumeCaseClocks`): their new value, on the case row. */
export const CASE_CLOCKS_WRITER = {
  'case.clocks': {
    write: rowIn('caseClocks', (e) => ({ clocks: e.clocks })),
    arms: () => [],
  },
} satisfies Partial<EffectWriters>;
