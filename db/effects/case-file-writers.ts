import { payloadList, rowIn, type EffectWriters } from './effect-writer.js';

/** The case file (案卷): opinions, comments, materials and licences, written once and never changed. */
export const CASE_FILE_WRITERS = {
  'opinion.record': {
    write: rowIn('opinions', (e) => e.opinion),
    arms: () => [
      `opinions_recorded as (
  insert into opinions (id, case_id, task_id, department_code, author_id, outcome, text, visibility, created_at)
  select x."id", x."caseId", x."taskId", x."departmentCode", x."authorId", x."outcome", x."text", x."visibility", x."at"
  from jsonb_to_recordset(${payloadList('opinions')}) as x("id" uuid, "caseId" uuid, "taskId" uuid, "departmentCode" text,
    "authorId" text, "outcome" text, "text" text, "visibility" text, "at" timestamptz)
)`,
    ],
  },
  // 批注: said on the case, read by the opinion rules.
  'comment.add': {
    write: rowIn('comments', (e) => e.comment),
    arms: () => [
      `comments_added as (
  insert into case_comments (id, case_id, author_id, department_code, text, visibility, created_at)
  select x."id", x."caseId", x."authorId", x."departmentCode", x."text", x."visibility", x."at"
  from jsonb_to_recordset(${payloadList('comments')}) as x("id" uuid, "caseId" uuid, "authorId" text, "departmentCode" text,
    "text" text, "visibility" text, "at" timestamptz)
)`,
    ],
  },
  'material.add': {
    write: rowIn('materials', (e) => e.material),
    arms: () => [
      `materials_added as (
  insert into materials (id, case_id, name, version, sha256, size_bytes, content_type, blob_id, licence_number, submitted_by, submitted_at)
  select x."id", x."caseId", x."name", x."version", x."sha256", x."sizeBytes", x."contentType", x."blobId", x."licenceNumber", x."submittedBy", x."at"
  from jsonb_to_recordset(${payloadList('materials')}) as x("id" uuid, "caseId" uuid, "name" text, "version" int, "sha256" text, "sizeBytes" bigint,
    "contentType" text, "blobId" uuid, "licenceNumber" text, "submittedBy" text, "at" timestamptz)
)`,
      // The uploaded file becomes the case's in the same statement: no longer staged, nobody attaches it again. Found
      // by its primary key through an array of the ids (as `ids()` does), never by scanning the uploads.
      `material_blobs_attached as (
  update material_blobs b set case_id = x."caseId"
  from jsonb_to_recordset(${payloadList('materials')}) as x("caseId" uuid, "blobId" uuid)
  where b.id = x."blobId" and b.id = any(array(select m."blobId" from jsonb_to_recordset(${payloadList('materials')}) as m("blobId" uuid) where m."blobId" is not null))
    and b.case_id is null
  returning b.id
)`,
    ],
    checks: [
      {
        // Another command attached one of the files meanwhile (the API found each staged): refused, retried, then answered TB-UPLOAD-ATTACHED.
        name: 'materialBlobsAttached',
        holds: `(select count(*) from material_blobs_attached) = (select count(*) from jsonb_array_elements(${payloadList('materials')}) as m where m->>'blobId' is not null)`,
        refusal: 'a file was attached to another material meanwhile',
      },
    ],
  },
  'licence.issue': {
    write: rowIn('licences', (e) => e.licence),
    arms: () => [
      `licences_issued as (
  insert into licences (id, case_id, number, licence_type, title, holder, holder_id_type, holder_id_number, issuing_department,
    issued_at, valid_from, valid_until, algorithm, key_id, signature)
  select x."id", x."caseId", x."number", x."licenceType", x."title", x."holder", x."holderIdType", x."holderIdNumber", x."issuingDepartment",
    x."issuedAt", x."validFrom", x."validUntil", x."algorithm", x."keyId", x."signature"
  from jsonb_to_recordset(${payloadList('licences')}) as x("id" uuid, "caseId" uuid, "number" text, "licenceType" text, "title" text,
    "holder" jsonb, "holderIdType" text, "holderIdNumber" text, "issuingDepartment" text, "issuedAt" timestamptz, "validFrom" timestamptz,
    "validUntil" timestamptz, "algorithm" text, "keyId" text, "signature" text)
)`,
      // Its number, claimed across every case (`licence_numbers`): one drawn twice fails the command, unique violation.
      `licence_numbers_claimed as (
  insert into licence_numbers (number, case_id)
  select x."number", x."caseId" from jsonb_to_recordset(${payloadList('licences')}) as x("number" text, "caseId" uuid)
)`,
    ],
  },
} satisfies Partial<EffectWriters>;
