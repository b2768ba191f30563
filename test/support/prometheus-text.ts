import { expect } from 'vitest';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
// Prometheus reads a value with Go's ParseFloat, whose Inf and NaN are of any case (prom-client writes `Nan`).
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN]))';
/** The lines of Prometheus' text exposition format 0.0.4: HELP, TYPE, a sample (no timestamps: prom-client writes none), or blank. */
const LINE = new RegExp(
  [
    `^# HELP ${NAME} .*$`,
    `^# TYPE ${NAME} (?:counter|gauge|histogram|summary|untyped)$`,
    `^${NAME}(?:\\{(?:${LABEL}(?:,${LABEL})*)?\\})? ${VALUE}$`,
    '^$',
  ].join('|'),
);

/** Fails on the first line of `text` that is not of the text exposition format, naming it. */
export function expectExpositionFormat(text: string): void {
  const bad = text.split('\n').filter((line) => !LINE.test(line));
  expect(bad, 'lines outside the Prometheus text format').toEqual([]);
}

/** The value of the one sample of `name` whose labels are exactly `labels`; undefined when there is none. */
export function sampleOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const given = match[2] ? match[2].split(/,(?=[a-zA-Z_]+=")/) : [];
    if (given.length === wanted.length && wanted.every((w) => given.includes(w))) return Number(match[3]);
  }
  return undefined;
}
