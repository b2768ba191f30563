import type { components } from '../api/schema.js';

/** A year of a calendar's official holiday arrangement, as `POST /api/calendars/{code}/years` takes it. */
export type CalendarYearImport = components['schemas']['CalendarYearImport'];

/** What is wrong with a pasted year: where (`holidays.3`), and the message key that says it (under `calendars.import.problem`). */
export interface YearProblem {
  readonly path: string;
  readonly problem: 'notJson' | 'notObject' | 'unknownField' | 'year' | 'dateList' | 'tooMany' | 'date' | 'outsideYear' | 'repeated' | 'both' | 'source' | 'replace' | 'calendar';
  readonly value?: string;
}

/** A pasted year, checked: the body to send (and the calendar it names, as `npm run calendar:import` files do), or every problem found. */
export type CheckedYear = { readonly body: CalendarYearImport; readonly calendar: string | null; readonly problems: readonly [] } | { readonly problems: readonly YearProblem[] };

/** The API's own limits on the body (it checks them again, with the calendar's rules: make-up days on weekends, statutory days off, no gap). */
const MAX_DATES = 366;
const MAX_SOURCE = 500;
const FIELDS = new Set(['year', 'holidays', 'makeUpWorkdays', 'source', 'replace', 'calendar']);

/**
 * Checks a pasted or uploaded year before it is sent, so that a typo is named at once (the field and the value)
 * rather than by a round trip. It accepts the file `npm run calendar:import` reads too: its `calendar` field
 * names the calendar, and is not part of the body.
 *
 * @example
 * checkCalendarYear('{"year": 2027, "holidays": ["2027-01-01"], "makeUpWorkdays": [], "source": "国办发明电〔2026〕1号"}');
 * // { body: { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [], source: '国办发明电〔2026〕1号' }, calendar: null, problems: [] }
 */
export function checkCalendarYear(text: string): CheckedYear {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problems: [{ path: '', problem: 'notJson' }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problems: [{ path: '', problem: 'notObject' }] };
  const input = parsed as Record<string, unknown>;
  const problems: YearProblem[] = Object.keys(input)
    .filter((field) => !FIELDS.has(field))
    .map((field) => ({ path: field, problem: 'unknownField' }));

  const year = input['year'];
  const validYear = typeof year === 'number' && Number.isInteger(year) && year >= 1000 && year <= 9999;
  if (!validYear) problems.push({ path: 'year', problem: 'year' });
  const holidays = dateList(input, 'holidays', validYear ? year : null, problems);
  const makeUpWorkdays = dateList(input, 'makeUpWorkdays', validYear ? year : null, problems);
  const off = new Set(holidays);
  makeUpWorkdays.forEach((date, i) => {
    if (off.has(date)) problems.push({ path: `makeUpWorkdays.${i}`, problem: 'both', value: date });
  });

  const source = input['source'];
  if (typeof source !== 'string' || source.trim() === '' || source.trim().length > MAX_SOURCE) problems.push({ path: 'source', problem: 'source' });
  const replace = input['replace'];
  if (replace !== undefined && typeof replace !== 'boolean') problems.push({ path: 'replace', problem: 'replace' });
  const calendar = input['calendar'];
  if (calendar !== undefined && (typeof calendar !== 'string' || calendar === '')) problems.push({ path: 'calendar', problem: 'calendar' });

  if (problems.length > 0) return { problems };
  const body: CalendarYearImport = { year: year as number, holidays, makeUpWorkdays, source: (source as string).trim(), ...(replace === undefined ? {} : { replace: replace as boolean }) };
  return { body, calendar: (calendar as string | undefined) ?? null, problems: [] };
}

/** The dates of `field`, each a real `YYYY-MM-DD` of `year`, once; what is wrong goes to `problems`. */
function dateList(input: Record<string, unknown>, field: 'holidays' | 'makeUpWorkdays', year: number | null, problems: YearProblem[]): string[] {
  const list = input[field];
  if (!Array.isArray(list)) {
    problems.push({ path: field, problem: 'dateList' });
    return [];
  }
  if (list.length > MAX_DATES) problems.push({ path: field, problem: 'tooMany' });
  const seen = new Set<string>();
  list.forEach((value: unknown, i) => {
    const path = `${field}.${i}`;
    if (typeof value !== 'string' || !isRealDate(value)) problems.push({ path, problem: 'date', value: String(value) });
    else if (year !== null && !value.startsWith(`${year}-`)) problems.push({ path, problem: 'outsideYear', value });
    else if (seen.has(value)) problems.push({ path, problem: 'repeated', value });
    seen.add(String(value));
  });
  return list.filter((value): value is string => typeof value === 'string');
}

/** `YYYY-MM-DD` naming a day that exists (not 2026-02-30). */
function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  // Date.UTC rolls 30 February over into March: a real date comes back as itself.
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === value;
}
