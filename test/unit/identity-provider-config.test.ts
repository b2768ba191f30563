import { afterEach, describe, expect, it } from 'vitest';
import { identityProvider } from '../../apps/auth-config.js';

const saved = { url: process.env['TONGBAN_IDP_SIGN_IN_URL'], name: process.env['TONGBAN_IDP_NAME'] };

afterEach(() => {
  for (const [key, value] of [['TONGBAN_IDP_SIGN_IN_URL', saved.url], ['TONGBAN_IDP_NAME', saved.name]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('the identity provider of the sign-in page, from the environment', () => {
  it('is absent unless its sign-in URL is set; named by TONGBAN_IDP_NAME or a default', () => {
    delete process.env['TONGBAN_IDP_SIGN_IN_URL'];
    expect(identityProvider()).toEqual({});
    process.env['TONGBAN_IDP_SIGN_IN_URL'] = 'https://sso.example.gov.cn/login';
    expect(identityProvider().identityProvider?.name).toBe('统一身份认证 Identity provider');
    process.env['TONGBAN_IDP_NAME'] = '一网通办';
    expect(identityProvider()).toEqual({ identityProvider: { name: '一网通办', signInUrl: 'https://sso.example.gov.cn/login' } });
  });

  it('refuses a sign-in URL that is not http(s), with a message naming the variable', () => {
    process.env['TONGBAN_IDP_SIGN_IN_URL'] = 'javascript:alert(1)';
    expect(() => identityProvider()).toThrow(/TONGBAN_IDP_SIGN_IN_URL must be an http\(s\) URL/);
  });
});
