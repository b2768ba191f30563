import { afterEach, describe, expect, it } from 'vitest';
import { ApiMetrics } from '../../platform/api-metrics.js';
import { metricsToken } from '../../platform/config.js';
import type { DatabaseFigures } from '../../platform/operations-figures.js';
import { expectExpositionFormat, sampleOf } from '../support/prometheus-text.js';

/** Issue 20: what a scrape answers when a source fails, how scrapes share a read, and the metrics token's configuration. */

const FIGURES: DatabaseFigures = {
  openCases: [{ status: 'running', count: 3 }],
  openTasks: [
    { department: 'fire', colour: 'green', count: 2, overdue: 0 },
    { department: 'fire', colour: 'red', count: 1, overdue: 1 },
  ],
  outbox: { unrelayed: 0, oldestAgeSeconds: 0 },
  lateTimers: { count: 0, oldestLatenessSeconds: 0 },
  openIncidents: 0,
  connections: [],
};

describe('ApiMetrics', () => {
  it('answers its counters when PostgreSQL and Redis fail: the figures are NaN or absent, and the sources say 0', async () => {
    const metrics = new ApiMetrics({ database: () => Promise.reject(new Error('ECONNREFUSED')), delivery: () => Promise.reject(new Error('down')) });
    metrics.commands.observe({ operation: 'case.start', outcome: 'committed', code: '' }, 0.02);
    const text = await metrics.scrape();
    expectExpositionFormat(text);
    expect(sampleOf(text, 'tongban_command_duration_seconds_count', { operation: 'case.start', outcome: 'committed', code: '' })).toBe(1);
    expect(sampleOf(text, 'tongban_metrics_source_up', { source: 'postgres' })).toBe(0);
    expect(sampleOf(text, 'tongban_metrics_source_up', { source: 'redis' })).toBe(0);
    expect(sampleOf(text, 'tongban_outbox_unrelayed_rows', {})).toBeNaN();
    expect(sampleOf(text, 'tongban_reconciler_last_run_age_seconds', {})).toBeNaN();
    expect(text).not.toMatch(/^tongban_open_tasks\{/m);
  });

  it('forgets a series that is gone (a department with no open task left) and sums overdue tasks by department', async () => {
    let figures = FIGURES;
    const metrics = new ApiMetrics({ database: async () => figures });
    const first = await metrics.scrape();
    expect(sampleOf(first, 'tongban_open_tasks', { department: 'fire', colour: 'red' })).toBe(1);
    expect(sampleOf(first, 'tongban_overdue_tasks', { department: 'fire' })).toBe(1);
    figures = { ...FIGURES, openTasks: [] };
    const second = await metrics.scrape();
    expect(sampleOf(second, 'tongban_open_tasks', { department: 'fire', colour: 'red' })).toBeUndefined();
    expect(sampleOf(second, 'tongban_overdue_tasks', { department: 'fire' })).toBeUndefined();
  });

  it('reads the sources once for scrapes that arrive together', async () => {
    let reads = 0;
    const metrics = new ApiMetrics({ database: async () => ((reads += 1), FIGURES) });
    const [a, b] = await Promise.all([metrics.scrape(), metrics.scrape()]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    await metrics.scrape();
    expect(reads).toBe(2);
  });
});

describe('TONGBAN_METRICS_TOKEN', () => {
  afterEach(() => {
    delete process.env['TONGBAN_METRICS_TOKEN'];
  });

  it('is off when unset, and refused when short or holding spaces', () => {
    expect(metricsToken()).toBeNull();
    process.env['TONGBAN_METRICS_TOKEN'] = 'a-token-long-enough';
    expect(metricsToken()).toBe('a-token-long-enough');
    for (const bad of ['short', 'a token with spaces in it']) {
      process.env['TONGBAN_METRICS_TOKEN'] = bad;
      expect(() => metricsToken()).toThrow('TONGBAN_METRICS_TOKEN must be at least 16 characters, without spaces');
    }
  });
});
