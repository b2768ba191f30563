/**
 * The identity provider's round trip: the sign-in page sends people to the provider with where to come back
 * (`redirect_uri`), and the provider sends them back with the token in the URL's fragment (`#access_token=…`),
 * which browsers never send to a server.
 */

/** The provider's sign-in URL with `redirect_uri` set (any query it already has is kept). */
export function identityProviderHref(signInUrl: string, returnTo: string): string {
  const url = new URL(signInUrl);
  url.searchParams.set('redirect_uri', returnTo);
  return url.toString();
}

/** The token a provider sent back in the fragment, or null (no fragment, no token, or an error sent back instead). */
export function tokenFromFragment(hash: string): string | null {
  const fields = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = fields.get('access_token')?.trim();
  return token ? token : null;
}
