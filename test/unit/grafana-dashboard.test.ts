import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiMetrics } from '../../platform/api-metrics.js';

/**
 * Issue 20: the Grafana dashboard shipped in docs/ queries only metrics the API declares (a renamed metric would leave
 * a panel silently empty), and every metric of ours has a panel.
 */

interface Panel {
  readonly targets?: readonly { readonly expr: string }[];
}
const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
  panels: Panel[];
  templating: { list: { query?: unknown }[] };
};
const queries = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.query).filter((q): q is string => typeof q === 'string')];
/** The metric each series name belongs to: a histogram's `_bucket`, `_sum` and `_count` are its own. */
const metricOf = (series: string, declared: ReadonlySet<string>) => (declared.has(series) ? series : series.replace(/_(bucket|sum|count)$/, ''));
const metricsIn = (query: string) => query.match(/\b(?:tongban|process|nodejs)_[a-z0-9_]+/g) ?? [];

describe('docs/grafana-dashboard.json', () => {
  it('queries only metrics the API declares, and every metric of ours', async () => {
    const declared = new Set(await new ApiMetrics({ database: () => Promise.reject(new Error('not read')), delivery: () => Promise.reject(new Error('not read')) }).metricNames());
    const queried = new Set(queries.flatMap(metricsIn).map((series) => metricOf(series, declared)));
    expect(queries.length).toBeGreaterThan(20);
    expect([...queried].filter((name) => !declared.has(name))).toEqual([]);
    expect([...declared].filter((name) => name.startsWith('tongban_') && !queried.has(name))).toEqual([]);
  });
});
