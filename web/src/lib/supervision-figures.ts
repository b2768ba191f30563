/**
 * The supervisor dashboard's figures as its charts draw them and their text alternatives say them: the worst
 * departments first, rates as percentages, and the weekly trend as series. No DOM, no Vue: unit-tested.
 */

/** A row with its yellow (at risk) and red (overdue) counts. */
export interface Coloured {
  readonly yellow: number;
  readonly red: number;
}

/** The rows that have something yellow or red, the worst first: most red, then most yellow, then by key. */
export function worstFirst<T extends Coloured>(rows: readonly T[], key: (row: T) => string): T[] {
  return rows
    .filter((r) => r.red + r.yellow > 0)
    .sort((a, b) => b.red - a.red || b.yellow - a.yellow || key(a).localeCompare(key(b)));
}

/** A rate (0–1) as a percentage with at most one decimal in `locale` ("87.5%"), or null when there is none. */
export function percent(rate: number | null | undefined, locale: string): string | null {
  if (rate === null || rate === undefined) return null;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** What one subject did in one week, as `GET /api/supervision/trend` answers. */
export interface WeekFigures {
  readonly opened: number;
  readonly overdueNow: number;
  readonly finishedOnTime: number;
  readonly finishedLate: number;
  readonly onTimeRate: number | null;
}

export interface TrendWeek {
  readonly week: string;
  readonly start: string;
  readonly cases: WeekFigures;
  readonly steps: WeekFigures & { readonly averageWorkingDays: number | null };
}

/** The series of the trend chart for cases or steps, one value per week, oldest first. */
export interface TrendSeries {
  /** The weeks' labels: `W49` (the year only where it changes, and on the first). */
  readonly labels: string[];
  readonly opened: number[];
  readonly finishedOnTime: number[];
  readonly finishedLate: number[];
  readonly overdueNow: number[];
  /** On-time rate in percent (one decimal), null for a week in which nothing finished: a gap in the line. */
  readonly onTimePercent: (number | null)[];
}

export function trendSeries(weeks: readonly TrendWeek[], subject: 'cases' | 'steps'): TrendSeries {
  const of = weeks.map((w) => w[subject]);
  return {
    labels: weekLabels(weeks.map((w) => w.week)),
    opened: of.map((f) => f.opened),
    finishedOnTime: of.map((f) => f.finishedOnTime),
    finishedLate: of.map((f) => f.finishedLate),
    overdueNow: of.map((f) => f.overdueNow),
    onTimePercent: of.map((f) => (f.onTimeRate === null ? null : Math.round(f.onTimeRate * 1000) / 10)),
  };
}

/** `2026-W49` → `W49`, keeping the year on the first label and where the year changes (`2027-W01`). */
export function weekLabels(weeks: readonly string[]): string[] {
  return weeks.map((week, i) => {
    const [year, number] = week.split('-');
    return i === 0 || weeks[i - 1]?.split('-')[0] !== year ? week : (number ?? week);
  });
}
