import { describe, expect, it } from 'vitest';

type Need = { program: string; pkg: string; alternative?: string };
// A script of Node built-ins (it runs before node_modules exists): imported by a path TypeScript does not resolve.
const script = '../../scripts/bootstrap-needs.mjs';
const { debianNeeds } = (await import(script)) as { debianNeeds: (target: string, env: Record<string, string | undefined>) => Need[] };
const packages = (target: string, env: Record<string, string | undefined> = {}) => debianNeeds(target, env).map((n) => n.pkg);

describe('what a target of scripts/bootstrap.mjs installs from Debian', () => {
  it.each(['api', 'workers', 'tongban', 'tokens', 'calendar:import', 'web:build'])('%s connects to what it is given: nothing, Redis or not', (target) => {
    expect(packages(target)).toEqual([]);
    expect(packages(target, { REDIS_URL: 'redis://10.0.0.5:6379' })).toEqual([]);
  });

  it.each(['start', 'bench', 'soak'])('%s runs its own redis-server unless REDIS_URL names one', (target) => {
    expect(packages(target)).toEqual(['redis-server']);
    expect(packages(target, { REDIS_URL: 'redis://10.0.0.5:6379' })).toEqual([]);
  });

  it('test: redis-server, Chromium and a Chinese font for the screenshots', () => {
    expect(packages('test')).toEqual(['redis-server', 'chromium', 'fonts-wqy-microhei']);
  });
});
