import type { z } from '@hono/zod-openapi';
import { Problem } from '../schemas.js';

/** The problem responses every protected route can give, for the OpenAPI document. */
const problemContent = { 'application/problem+json': { schema: Problem } };

export const problemResponses = {
  400: { description: 'Invalid input; nothing was changed', content: problemContent },
  401: { description: 'Missing, invalid or expired token', content: problemContent },
  403: { description: 'Your role may not do this', content: problemContent },
  404: { description: 'Not found, or not visible to your department', content: problemContent },
  409: { description: 'Conflict with the current state of the case; reload and retry', content: problemContent },
  413: { description: 'The body is over the limit (256 KiB); the connection is closed', content: problemContent },
  415: { description: 'The body is not JSON', content: problemContent },
  422: { description: 'Well-formed, but breaks a rule (e.g. a refusal without reasons); nothing was changed', content: problemContent },
  500: { description: 'An unexpected failure; the answer carries no detail (it is logged)', content: problemContent },
} as const;

/** People send a bearer token; department systems an API key. */
export const bearer = [{ Bearer: [] }, { ApiKey: [] }];

/** A JSON request body or response of the given schema. */
export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
