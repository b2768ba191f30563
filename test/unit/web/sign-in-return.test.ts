import { describe, expect, it } from 'vitest';
import { identityProviderHref, tokenFromFragment } from '../../../web/src/lib/sign-in-return.js';

describe("the identity provider's round trip", () => {
  it('sends people to the provider with where to come back, keeping its own query', () => {
    const href = identityProviderHref('https://sso.example.gov.cn/login?client_id=tongban', 'https://tongban.example/sign-in');
    const url = new URL(href);
    expect(url.origin + url.pathname).toBe('https://sso.example.gov.cn/login');
    expect(url.searchParams.get('client_id')).toBe('tongban');
    expect(url.searchParams.get('redirect_uri')).toBe('https://tongban.example/sign-in');
  });

  it('takes the token from the fragment the provider sends back, and nothing else', () => {
    expect(tokenFromFragment('#access_token=eyJ.abc.def&token_type=Bearer&expires_in=3600')).toBe('eyJ.abc.def');
    expect(tokenFromFragment('#error=access_denied')).toBeNull();
    expect(tokenFromFragment('#access_token=')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
  });
});
