import { afterEach, describe, expect, it } from 'vitest';
import { licenceSigningKey } from '../../platform/config.js';

const NAMES = ['TONGBAN_LICENCE_SIGNING_ALGORITHM', 'TONGBAN_LICENCE_SIGNING_KEY', 'TONGBAN_LICENCE_SIGNING_KEY_FILE'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));

afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('the licence signing key, from the environment', () => {
  it('is Ed25519 unless the algorithm says SM2-SM3, with the key as given', () => {
    for (const name of NAMES) delete process.env[name];
    process.env['TONGBAN_LICENCE_SIGNING_KEY'] = 'a'.repeat(64);
    expect(licenceSigningKey({ dev: false }).algorithm).toBe('Ed25519');
    process.env['TONGBAN_LICENCE_SIGNING_ALGORITHM'] = 'SM2-SM3';
    expect(licenceSigningKey({ dev: false })).toEqual({ algorithm: 'SM2-SM3', key: 'a'.repeat(64) });
  });

  it('refuses an algorithm it does not know, naming those it does', () => {
    process.env['TONGBAN_LICENCE_SIGNING_ALGORITHM'] = 'RSA';
    expect(() => licenceSigningKey({ dev: true })).toThrow(/may be Ed25519 or SM2-SM3/);
  });

  it('never makes up an SM2 key, nor any key in production', () => {
    for (const name of NAMES) delete process.env[name];
    expect(() => licenceSigningKey({ dev: false })).toThrow(/TONGBAN_LICENCE_SIGNING_KEY/);
    process.env['TONGBAN_LICENCE_SIGNING_ALGORITHM'] = 'SM2-SM3';
    expect(() => licenceSigningKey({ dev: true })).toThrow(/TONGBAN_LICENCE_SIGNING_KEY/);
  });
});
