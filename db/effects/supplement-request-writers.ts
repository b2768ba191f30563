import { ids, payloadList, rowIn, type EffectWriters } from './effect-writer.js';

/**
 * Supplement requests (补正告知, `supplement_requests`): written by the return that makes one, answered once by the
 * applicant's supplement. The answer's arm leaves a request answered already untouched and its check then refuses the
 * commit, though the case's lock already orders the commands that decide on a request.
 */
export const SUPPLEMENT_REQUEST_WRITERS = {
  'supplement.request': {
    write: rowIn('supplementsRequested', (e) => e.request),
    arms: () => [
      `supplements_requested as (
  insert into supplement_requests (id, case_id, task_id, materials, requested_by, requested_at)
  select x."id", x."caseId", x."taskId", x."materials", x."requestedBy", x."requestedAt"
  from jsonb_to_recordset(${payloadList('supplementsRequested')}) as x("id" uuid, "caseId" uuid, "taskId" uuid, "materials" jsonb,
    "requestedBy" text, "requestedAt" timestamptz)
)`,
    ],
  },
  'supplement.answer': {
    write: (e, payload) => {
      for (const id of e.requestIds) payload.supplementsAnswered.push({ id, at: e.at });
    },
    arms: (caseId) => [
      `supplements_answered as (
  update supplement_requests r set answered_at = x."at"
  from jsonb_to_recordset(${payloadList('supplementsAnswered')}) as x("id" uuid, "at" timestamptz)
  where r.id = x."id" and r.id = any(${ids('supplementsAnswered')}) and r.case_id = ${caseId} and r.answered_at is null
  returning r.id
)`,
    ],
    checks: [
      {
        name: 'supplementsAnswered',
        holds: `(select count(*) from supplements_answered) = jsonb_array_length(${payloadList('supplementsAnswered')})`,
        refusal: 'a supplement request was answered already',
      },
    ],
  },
} satisfies Partial<EffectWriters>;
