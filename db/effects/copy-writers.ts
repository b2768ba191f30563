import { ids, payloadList, rowIn, type EffectWriters } from './effect-writer.js';

/**
 * Copies of the case (抄送, `case_copies`): sent one row per recipient, read once. The read's arm leaves a copy read
 * already untouched and its check then refuses the commit, though the case's lock already orders the commands that
 * decide on a copy (a second read sees the first and changes nothing).
 */
export const COPY_WRITERS = {
  'copy.send': {
    write: rowIn('copiesSent', (e) => e.copy),
    arms: () => [
      `copies_sent as (
  insert into case_copies (id, case_id, sent_by, sent_by_department, recipient_user, recipient_department, note, sent_at)
  select x."id", x."caseId", x."sentBy", x."sentByDepartment", x."recipientUser", x."recipientDepartment", x."note", x."sentAt"
  from jsonb_to_recordset(${payloadList('copiesSent')}) as x("id" uuid, "caseId" uuid, "sentBy" text, "sentByDepartment" text,
    "recipientUser" text, "recipientDepartment" text, "note" text, "sentAt" timestamptz)
)`,
    ],
  },
  'copy.read': {
    write: rowIn('copiesRead', (e) => ({ id: e.copyId, readBy: e.readBy, at: e.at })),
    arms: (caseId) => [
      `copies_read as (
  update case_copies cc set read_at = x."at", read_by = x."readBy"
  from jsonb_to_recordset(${payloadList('copiesRead')}) as x("id" uuid, "readBy" text, "at" timestamptz)
  where cc.id = x."id" and cc.id = any(${ids('copiesRead')}) and cc.case_id = ${caseId} and cc.read_at is null
  returning cc.id
)`,
    ],
    checks: [
      {
        name: 'copiesRead',
        holds: `(select count(*) from copies_read) = jsonb_array_length(${payloadList('copiesRead')})`,
        refusal: 'a copy was marked read by someone else',
      },
    ],
  },
} satisfies Partial<EffectWriters>;
