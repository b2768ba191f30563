import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { authorizeRevocation } from '../../engine/access/authorization-policy.js';
import { maskIdNumber, maskName } from '../../engine/access/personal-data-mask.js';
import { ID_TYPES } from '../../engine/case-record.js';
import { LicenceAlreadyRevokedError, LicenceNotFoundError } from '../../engine/errors.js';
import { LICENCE_STATUSES, licenceVerdict } from '../../engine/licences/electronic-licence.js';
import type { LicenceRecord } from '../../db/licence-queries.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { clientAddress, rateLimitBy } from '../rate-limit.js';
import { protectedRoute } from './protected-route.js';
import { json, problemResponses } from './responses.js';

/** Verifications per client address and minute: enough for a counter checking licences all day, not for a scan. */
export const VERIFICATIONS_PER_MINUTE = 30;

const LicenceNumber = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .openapi({ param: { name: 'number', in: 'path' }, description: 'The licence number printed on it, e.g. `BL-20261130-1A2B3C4D`.' });

const Verification = z
  .object({
    number: z.string(),
    status: z.enum(LICENCE_STATUSES).openapi({
      description:
        '`valid`; `expired` (past `validUntil`); `revoked` (吊销/注销); `forged`: no licence of this number, a stored licence whose signature does not verify, or a presented `signature` that is not its own; `unsigned`: issued before licences were signed — it exists, but nothing vouches for its content.',
    }),
    checkedAt: z.string(),
    licence: z
      .object({
        licenceType: z.string(),
        typeName: z.string().nullable(),
        title: z.string(),
        issuingDepartment: z.object({ code: z.string(), name: z.string().nullable() }),
        issuedAt: z.string(),
        validFrom: z.string(),
        validUntil: z.string().nullable().openapi({ description: 'Null: valid without end.' }),
        revokedAt: z.string().nullable(),
        holder: z.object({ name: z.string(), idType: z.enum(ID_TYPES), idNumber: z.string() }).openapi({ description: 'Masked: a public answer never shows a full name or ID number.' }),
        algorithm: z.string().nullable(),
        keyId: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'What a verifier compares with the licence in hand; null when `forged` (nothing stored can be vouched for).' }),
  })
  .openapi('LicenceVerification');

const { 401: _unauthenticated, 403: _forbidden, ...publicProblems } = problemResponses;

const verify = (deps: ApiDeps) =>
  createRoute({
    method: 'get',
    path: '/licences/{number}/verification',
    summary: 'Verify an electronic licence (电子证照核验, public)',
    description:
      'No sign-in: whoever holds a licence (a bank, a landlord, another department) checks it. Give the `signature` a printed licence or its QR code carries to check that it is this licence’s own. ' +
      `The holder is masked. Rate limited to ${VERIFICATIONS_PER_MINUTE} a minute per client address.`,
    middleware: [rateLimitBy(deps.queries, deps.clock, 'licence.verification', { limit: VERIFICATIONS_PER_MINUTE, windowSeconds: 60, principal: clientAddress })],
    request: {
      params: z.object({ number: LicenceNumber }),
      query: z.object({ signature: z.string().trim().min(1).max(200).optional().openapi({ description: 'The signature printed on the licence (base64url).' }) }),
    },
    responses: {
      200: { description: 'The verdict, with what a verifier needs', ...json(Verification) },
      ...publicProblems,
      429: { description: `Over ${VERIFICATIONS_PER_MINUTE} verifications a minute from this address; see Retry-After`, content: publicProblems[404].content },
    },
  });

const revoke = protectedRoute('licence.revoke', {
  method: 'post',
  path: '/licences/{number}/revocation',
  summary: 'Revoke an electronic licence (吊销/注销)',
  description:
    'The lead of the issuing department, or an administrator. Written to the security log with its reason; from then on the licence verifies as `revoked` and no case can reuse it. A licence revoked already answers 409 and nothing changes.',
  request: {
    params: z.object({ number: LicenceNumber }),
    body: { required: true, ...json(z.object({ reason: z.string().trim().min(4, 'state why the licence is revoked').max(500) }).strict().openapi('LicenceRevocation')) },
  },
  responses: { 200: { description: 'Revoked', ...json(z.object({ number: z.string(), revokedAt: z.string() })) } },
});

/** The verifier's view: what the licence says, its holder masked. */
function publicView(l: LicenceRecord) {
  return {
    licenceType: l.licenceType,
    typeName: l.typeName,
    title: l.title,
    issuingDepartment: { code: l.issuingDepartment, name: l.departmentName },
    issuedAt: l.issuedAt.toISOString(),
    validFrom: l.validFrom.toISOString(),
    validUntil: l.validUntil?.toISOString() ?? null,
    revokedAt: l.revokedAt?.toISOString() ?? null,
    holder: { name: maskName(l.holder.name), idType: l.holder.idType, idNumber: maskIdNumber(l.holder.idNumber) },
    algorithm: l.algorithm,
    keyId: l.keyId,
  };
}

/** Public verification of licences, on the API without authentication (`publicApi`). */
export function licenceVerificationRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(verify(deps), async (c) => {
    const { number } = c.req.valid('param');
    const { signature } = c.req.valid('query');
    const licence = await deps.queries.findLicence(number);
    const now = deps.clock.now();
    const status = licenceVerdict(licence, licence?.key ?? null, now, signature);
    return c.json({ number, status, checkedAt: now.toISOString(), licence: licence && status !== 'forged' ? publicView(licence) : null }, 200);
  });
}

/** Revocation of licences, for the issuing department's lead and administrators. */
export function licenceRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(revoke, async (c) => {
    const { number } = c.req.valid('param');
    const actor = c.get('actor');
    const licence = await deps.queries.findLicence(number);
    if (!licence) throw new LicenceNotFoundError(number);
    authorizeRevocation(actor, licence);
    if (licence.revokedAt) throw new LicenceAlreadyRevokedError(number);
    const revoked = await deps.queries.revokeLicence({ number, actor, reason: c.req.valid('json').reason, at: deps.clock.now() });
    return c.json({ number: revoked.number, revokedAt: revoked.revokedAt.toISOString() }, 200);
  });
}
