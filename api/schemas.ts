import { z } from '@hono/zod-openapi';
import { TASK_OUTCOMES } from '../engine/definitions/case-machine.js';
import { OPINION_VISIBILITIES } from '../engine/case-command.js';
import { ID_TYPES } from '../engine/case-record.js';
import { idNumberProblem } from '../engine/applicant-id.js';
import { PAGE_COUNT_CAP } from '../db/page-total.js';

/** Request and response schemas of the API; they are also its OpenAPI components. */

export const Uuid = z.uuid();

/** An instant with its offset, to the minute or finer; `+` read as a space (an unencoded query) is taken back. */
export const Instant = z
  .string()
  .transform((text) => text.replace(/ (?=\d{2}:\d{2}$)/, '+'))
  .refine((text) => INSTANT_FORMATS.some((format) => format.safeParse(text).success), 'must be an ISO 8601 instant with its offset, e.g. 2026-09-28T10:00+08:00')
  .openapi({ example: '2026-09-28T10:00+08:00' });
const INSTANT_FORMATS = [z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })];

/** The `{caseId}` of a case's routes. */
export const CaseParams = z.object({ caseId: Uuid.openapi({ param: { name: 'caseId', in: 'path' } }) });

export const ExpectedVersion = z
  .number()
  .int()
  .positive()
  .optional()
  .openapi({ description: 'The case version you read; a different current version answers 409 (optimistic concurrency).' });

const MaterialName = z.string().trim().min(1).max(200).openapi({ description: "One of the names the service item lists (`materials` of its catalogue version)." });

/** A material handed in on paper and recorded without a file: its digest and size as the window took them. */
const RecordedMaterial = z
  .object({
    name: MaterialName,
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
    sizeBytes: z.number().int().nonnegative().max(1_073_741_824),
  })
  .strict();

/** A material whose file was uploaded (`POST /api/materials/uploads`) by the same person and is not attached yet. */
const UploadedMaterial = z
  .object({ name: MaterialName, blobId: Uuid.openapi({ description: 'The `blobId` the upload answered.' }) })
  .strict();

export const Material = z.union([UploadedMaterial, RecordedMaterial]).openapi('Material');

/**
 * 证照复用 at intake: an electronic licence stands in for a material the service item says a licence type can replace —
 * the applicant's latest valid licence of that type (`licenceType`), or one by its `number`. Verified before the case starts.
 */
export const ReusedLicenceMaterial = z
  .object({
    name: MaterialName,
    licence: z.union([
      z.object({ licenceType: z.string().trim().min(1).max(64) }).strict(),
      z.object({ number: z.string().trim().min(1).max(64) }).strict(),
    ]),
  })
  .strict()
  .openapi('ReusedLicenceMaterial');

export const Applicant = z
  .object({
    name: z.string().trim().min(1).max(200),
    idType: z
      .enum(ID_TYPES)
      .optional()
      .openapi({ description: '`resident-id` (居民身份证, the default), `uscc` (统一社会信用代码, an organisation), `passport`, `hk-macao-permit`, `taiwan-permit`. Given, the number is checked against it (format and check digit).' }),
    idNumber: z.string().trim().min(6).max(32).openapi({ description: 'ID card number or unified social credit code.' }),
    phone: z.string().trim().regex(/^\+?[0-9 -]{5,20}$/).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const problem = a.idType && idNumberProblem(a.idType, a.idNumber);
    if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: `not a valid ${a.idType}: ${problem}` });
  })
  .openapi('Applicant');

/** The application form's answers: what decides, among others, which optional departments join a joint review. */
const Answers = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'names an answer in camelCase letters and digits'),
    z.union([z.string().max(500), z.number().finite(), z.boolean()]),
  )
  .refine((answers) => Object.keys(answers).length <= 50, 'gives at most 50 answers')
  .openapi({ description: 'The application form\'s answers, e.g. `{ "hasUndergroundSpace": true }`: an optional member of a joint review joins when its answer is truthy.' });

export const StartCaseBody = z
  .object({
    serviceItemCode: z.string().min(1).max(100),
    applicant: Applicant,
    materials: z.array(z.union([Material, ReusedLicenceMaterial])).max(100).default([]),
    answers: Answers.optional(),
  })
  .strict()
  .openapi('StartCase');

/** An opinion (审查意见) as a person writes it: a completion's, or a delegate's proposal (委派). */
export const OpinionInput = z
  .object({
    text: z.string().trim().min(1, 'an opinion states its reasons').max(10_000),
    visibility: z.enum(OPINION_VISIBILITIES).default('internal'),
  })
  .strict();

/** 补正告知: what a return to the applicant asks for. */
export const SupplementRequestInput = z
  .object({
    materials: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(200).openapi({ description: 'The material as the service item lists it.' }),
            reason: z.string().trim().min(1).max(1000).openapi({ description: 'What is missing or wrong with it.' }),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict()
  .openapi('SupplementRequestInput');

export const CompleteTaskBody = z
  .object({
    outcome: z.enum(TASK_OUTCOMES),
    opinion: OpinionInput,
    returnTo: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'With `return`: where to (a target of `GET /api/tasks/{taskId}/return-targets`); the default target when not given.' }),
    supplementRequest: SupplementRequestInput.optional().openapi({
      description:
        'With a return to the applicant (补正), required, and only then: every material to supplement with its reason, at once (一次性告知). ' +
        'Names among the service item’s materials, none twice; a later request of the case names only what an earlier one named or a material changed since (409 `TB-SUPPLEMENT-NOT-ONCE`).',
    }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('CompleteTask');

export const ClaimTaskBody = z.object({ expectedVersion: ExpectedVersion }).strict().openapi('ClaimTask');

export const SupplementBody = z
  .object({ materials: z.array(Material).min(1).max(100), expectedVersion: ExpectedVersion })
  .strict()
  .openapi('Supplement');

export const CommandResult = z
  .object({
    caseId: z.string(),
    version: z.number().int(),
    status: z.string(),
    state: z.string(),
    changed: z.boolean(),
  })
  .openapi('CommandResult');

/** How a due date was counted (`DeadlineDerivation`), kept with it. */
export const DeadlineDerivation = z
  .object({
    calendarCode: z.string(),
    calendarVersion: z.string().openapi({ description: 'Checksum of the calendar data counted on.' }),
    start: z.string().openapi({ description: 'The instant the budget started.' }),
    workingDays: z.number().int(),
    rule: z.object({ cutOffLocalTime: z.string().openapi({ description: 'Receipt from this local time counts as received on the next working day.' }) }),
    receivedOn: z.string().openapi({ description: 'The working day counted as the day of receipt; day 1 is the working day after it.' }),
    dueDate: z.string().openapi({ description: 'The Nth working day, local; the limit ends when it ends.' }),
    provisional: z.boolean(),
    horizon: z.string().openapi({ description: "The last date of the calendar's official data when counted." }),
    utcOffsetMinutes: z.number().int().optional().openapi({ description: "The calendar's offset from UTC in minutes, to show the start in local time; absent on due dates stored before it was kept." }),
  })
  .openapi('DeadlineDerivation');

const ClockPause = z.object({
  from: z.string(),
  until: z.string().nullable().openapi({ description: 'Null while the pause lasts.' }),
  reason: z.object({ kind: z.string().openapi({ description: 'supplement, hearing, expert-review, testing, public-notice, tender or other (行政许可法 art. 45, art. 32).' }), text: z.string() }),
  workingDaysNotCounted: z.number().int().openapi({ description: 'Working days the pause moved the due date by (0 while it lasts).' }),
});

/** A legal clock as read now (`clockStatus`). */
export const ClockStatus = z
  .object({
    id: z.string().openapi({ description: "`legal` (法定时限), `committed` (承诺时限), `task:<key>` (a task's limit) or a clock the definition started." }),
    state: z.enum(['running', 'paused', 'stopped', 'expired']),
    budget: z.number().int().openapi({ description: 'Working days granted at the start.' }),
    extensionWorkingDays: z.number().int(),
    consumed: z.number().int().openapi({ description: 'Working days counted through today (or the stop).' }),
    remaining: z.number().int(),
    due: z
      .object({
        due: z.string(),
        derivation: DeadlineDerivation.extend({ budgetWorkingDays: z.number().int(), extensionWorkingDays: z.number().int(), pausedWorkingDays: z.number().int() }),
      })
      .nullable()
      .openapi({ description: 'The end of the last working day and how it was counted; null while paused, or when stopped in a pause.' }),
    provisional: z.boolean(),
    pauses: z.array(ClockPause),
    extensions: z.array(z.object({ workingDays: z.number().int(), approver: z.string(), reason: z.string(), legalBasis: z.string(), at: z.string() })),
  })
  .openapi('ClockStatus');

export const Due = z
  .object({
    at: z.string().openapi({ description: 'The due instant (the same as `dueAt`).' }),
    date: z.string().nullable().openapi({ description: 'The local due date; null when counted before derivations were kept.' }),
    provisional: z.boolean().openapi({
      description: "True when the count went past the calendar's horizon and estimated statutory holidays: the date may move when the year is imported.",
    }),
    derivation: DeadlineDerivation.nullable().openapi({ description: 'Null for a due date counted before derivations were kept.' }),
    because: z.string().openapi({ description: 'Why it is due then, in words, from the derivation kept with it.' }),
  })
  .openapi('Due');

export const Task = z
  .object({
    id: z.string(),
    caseId: z.string(),
    key: z.string(),
    kind: z.string(),
    title: z.string(),
    departmentCode: z.string(),
    status: z.string(),
    assigneeId: z.string().nullable(),
    outcome: z.string().nullable(),
    warningLevel: z.string(),
    openedAt: z.string(),
    dueAt: z.string(),
    due: Due,
    completedAt: z.string().nullable(),
    substitutedFor: z.string().nullable().openapi({ description: '代理: the absent person for whom `assigneeId`, their substitute, holds the task (opened for them, or taken over); null when held in one’s own right.' }),
    delegatedBy: z.string().nullable().openapi({ description: '委派: who delegated the task (its holder, who confirms); null when not delegated, and for readers of other departments.' }),
    delegation: z.enum(['pending', 'resolved']).nullable().openapi({ description: '`pending`: with the delegate (`assigneeId`); `resolved`: returned to its holder with `delegationProposal`.' }),
    delegationProposal: z
      .object({
        outcome: z.enum(TASK_OUTCOMES),
        opinion: z.object({ text: z.string(), visibility: z.enum(OPINION_VISIBILITIES) }),
        by: z.string().openapi({ description: 'The delegate who drafted it.' }),
        at: z.string(),
      })
      .nullable()
      .openapi({ description: "What the delegate proposes, for the holder to confirm by completing the task; only the task's department reads it." }),
  })
  .openapi('Task');

const CAP = PAGE_COUNT_CAP.toLocaleString('en');

/** A page of a list, with a total a pager can afford: counted up to {@link PAGE_COUNT_CAP} rows past the page's start. */
export const Page = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      page: z.number().int(),
      pageSize: z.number().int(),
      total: z.number().int().openapi({ description: 'The number of items in the list when `totalExact` is true; otherwise a lower bound.' }),
      totalExact: z.boolean().openapi({
        description:
          `true: \`total\` is the exact count. false: the list is counted only up to ${CAP} items past the start of ` +
          `the page asked for, and it holds more than \`total\` items (show it as e.g. "${CAP}+").`,
      }),
    })
    .openapi(name);

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: 'Stable error code to branch on, e.g. TB-TASK-404; the README lists them all.' }),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/**
 * A year of official calendar data to import (a 放假调休 arrangement). Only the shape is checked here; the
 * dates themselves are checked against the year and the calendar by `validateCalendarYear` (422 with paths).
 * `npm run calendar:import` reads the same object from a file, with the calendar's code in `calendar`.
 */
export const CalendarYearBody = z
  .object({
    year: z.number().int(),
    holidays: z.array(z.string().max(32)).max(366).openapi({ description: 'Dates off, `YYYY-MM-DD`, inside the year.' }),
    makeUpWorkdays: z.array(z.string().max(32)).max(366).openapi({ description: 'Weekend dates made working days (调休), `YYYY-MM-DD`.' }),
    source: z.string().trim().min(1).max(500).openapi({ description: 'The notice the days come from, e.g. 国办发明电〔2025〕7号.' }),
    replace: z.boolean().optional().openapi({ description: 'Replace the year if the calendar already has it (default: refused).' }),
  })
  .strict()
  .openapi('CalendarYearImport');

/** A reason someone gives for a move that others will ask about (a withdrawal, a change of members). */
export const Reason = z.string().trim().min(1, 'give the reason').max(2_000);
/** The provision a command rests on (an extension's, a suspension's, a termination's): the applicant is told it in writing. */
export const LegalBasis = z.string().trim().min(1, 'give the legal basis').max(500);
