import { afterEach, describe, expect, it } from 'vitest';
import { RESTART_BACKOFF, restartDelayMs } from '../../apps/api-cluster.js';
import { processLayout } from '../../bench/separate-processes.js';
import { apiProcessCount } from '../../platform/config.js';

const saved = process.env['TONGBAN_API_PROCESSES'];
afterEach(() => {
  if (saved === undefined) delete process.env['TONGBAN_API_PROCESSES'];
  else process.env['TONGBAN_API_PROCESSES'] = saved;
});

describe('how many API processes npm run api runs', () => {
  it('is one unless TONGBAN_API_PROCESSES says how many', () => {
    delete process.env['TONGBAN_API_PROCESSES'];
    expect(apiProcessCount()).toBe(1);
    process.env['TONGBAN_API_PROCESSES'] = '';
    expect(apiProcessCount()).toBe(1);
    process.env['TONGBAN_API_PROCESSES'] = '4';
    expect(apiProcessCount()).toBe(4);
  });

  it.each(['0', '-1', 'two', '1.5', ' 2', '2e1', '02'])('refuses %j, saying what it must be', (value) => {
    process.env['TONGBAN_API_PROCESSES'] = value;
    expect(() => apiProcessCount()).toThrow(`TONGBAN_API_PROCESSES must be a whole number of processes, 1 or more, not ${value}`);
  });
});

describe('restarting an API process that died', () => {
  it('waits 1 s the first time, twice as long each time after, never more than 30 s', () => {
    const delays: number[] = [];
    let previous: number | null = null;
    for (let i = 0; i < 7; i++) delays.push((previous = restartDelayMs(previous, 5_000)));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('starts the count again after a process lived a minute', () => {
    expect(restartDelayMs(16_000, RESTART_BACKOFF.healthyAfterMs)).toBe(1_000);
    expect(restartDelayMs(16_000, RESTART_BACKOFF.healthyAfterMs - 1)).toBe(30_000);
  });
});

describe('the process layout of the commands benchmark', () => {
  const options = (given: Record<string, string>) => (name: string) => given[name];

  it('is the one-process default without the options, and one process of the kind not named', () => {
    expect(processLayout(options({}))).toBeNull();
    expect(processLayout(options({ 'api-processes': '2' }))).toEqual({ apiProcesses: 2, workerProcesses: 1 });
    expect(processLayout(options({ 'api-processes': '2', 'worker-processes': '3' }))).toEqual({ apiProcesses: 2, workerProcesses: 3 });
  });

  it.each(['0', '-1', 'x', ''])('refuses --worker-processes %j', (value) => {
    expect(() => processLayout(options({ 'worker-processes': value }))).toThrow(`--worker-processes must be a whole number of processes, 1 or more, not ${value}`);
  });
});
