import { describe, expect, it } from 'vitest';
import { checkCalendarYear } from '../../../web/src/lib/calendar-year.js';

const YEAR = { year: 2027, holidays: ['2027-01-01', '2027-02-05'], makeUpWorkdays: ['2027-02-07'], source: ' 国办发明电〔2026〕1号 ' };
const check = (value: unknown) => checkCalendarYear(typeof value === 'string' ? value : JSON.stringify(value));
const problemsOf = (value: unknown) => check(value).problems.map((p) => [p.path, p.problem, p.value]);

describe('a pasted calendar year, checked before it is sent', () => {
  it('becomes the body the API takes, the source trimmed, replace kept only when given', () => {
    expect(check(YEAR)).toEqual({ body: { ...YEAR, source: '国办发明电〔2026〕1号' }, calendar: null, problems: [] });
    expect(check({ ...YEAR, replace: true })).toMatchObject({ body: { replace: true } });
  });

  it('takes the file of npm run calendar:import: its calendar names the calendar and stays out of the body', () => {
    const checked = check({ calendar: 'cn', ...YEAR });
    expect(checked).toMatchObject({ calendar: 'cn', problems: [] });
    expect('body' in checked && 'calendar' in checked.body).toBe(false);
  });

  it('refuses what is not one JSON object', () => {
    expect(problemsOf('year: 2027')).toEqual([['', 'notJson', undefined]]);
    expect(problemsOf('[2027]')).toEqual([['', 'notObject', undefined]]);
    expect(problemsOf('null')).toEqual([['', 'notObject', undefined]]);
  });

  it('names every problem with its field and value: dates that do not exist or lie outside the year, repeats, a day both off and working', () => {
    expect(problemsOf({ ...YEAR, holidays: ['2027-02-30', '2026-12-31', '2027-01-01', '2027-01-01', 5], makeUpWorkdays: ['2027-01-01', '27-1-2'] })).toEqual([
      ['holidays.0', 'date', '2027-02-30'],
      ['holidays.1', 'outsideYear', '2026-12-31'],
      ['holidays.3', 'repeated', '2027-01-01'],
      ['holidays.4', 'date', '5'],
      ['makeUpWorkdays.1', 'date', '27-1-2'],
      ['makeUpWorkdays.0', 'both', '2027-01-01'],
    ]);
  });

  it('names a missing or malformed year, list, source or replace, and any field the API does not take', () => {
    expect(problemsOf({ year: '2027', holidays: '2027-01-01', source: '  ', replace: 'yes', calendar: 3, note: 'x' })).toEqual([
      ['note', 'unknownField', undefined],
      ['year', 'year', undefined],
      ['holidays', 'dateList', undefined],
      ['makeUpWorkdays', 'dateList', undefined],
      ['source', 'source', undefined],
      ['replace', 'replace', undefined],
      ['calendar', 'calendar', undefined],
    ]);
    expect(problemsOf({ ...YEAR, year: 2027.5 })).toContainEqual(['year', 'year', undefined]);
  });

  it('keeps to the API’s limits: at most 366 dates a list, a source of at most 500 characters', () => {
    const days = Array.from({ length: 367 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + (i % 365))).toISOString().slice(0, 10));
    expect(problemsOf({ ...YEAR, holidays: days })).toContainEqual(['holidays', 'tooMany', undefined]);
    expect(problemsOf({ ...YEAR, source: 'x'.repeat(501) })).toEqual([['source', 'source', undefined]]);
    expect(check({ ...YEAR, source: 'x'.repeat(500) }).problems).toEqual([]);
  });
});
