/**
 * Small statistics and formatting helpers. Benchmarks quote medians over rounds (the machine is shared and
 * noisy, ±25% between runs), so every figure is kept per round and summarised here.
 */

/** The p-th percentile (0..100) of `values`, nearest-rank on a sorted copy; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** A latency recorder: keeps every sample (a few hundred thousand at most per round). */
export class Latencies {
  readonly samples: number[] = [];
  add(ms: number): void {
    this.samples.push(ms);
  }
  summary(): { n: number; p50: number; p95: number; p99: number; max: number } {
    const s = this.samples;
    return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: percentile(s, 100) };
  }
}

/** Rounds for display: 3 significant digits below 100, integers above. */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return `n/a`;
  const text = Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3)).toString();
  return `${text}${unit}`;
}

export const fmtBytes = (bytes: number): string =>
  bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(2)} GiB` : `${(bytes / (1 << 20)).toFixed(1)} MiB`;

/** A GitHub-flavoured markdown table. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
