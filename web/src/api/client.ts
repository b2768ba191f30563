import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../session';

/** An RFC 9457 problem as the API answers every error. */
export type Problem = components['schemas']['Problem'];

/** The bearer token on every call; a 401 ends the session (expired or revoked), so the page asks to sign in. */
const withToken: Middleware = {
  onRequest({ request }) {
    if (session.token) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && session.token) session.expire();
    return response;
  },
};

/**
 * The typed API client: paths, parameters and answers come from the OpenAPI document (apps/build-web.ts
 * generates `schema.d.ts` from it before every build), so a page cannot call what the API does not offer.
 */
export const api = createClient<paths>({ baseUrl: '' });
api.use(withToken);
