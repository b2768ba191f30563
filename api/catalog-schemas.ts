import { z } from '@hono/zod-openapi';
import { LINT_RULES } from '../engine/definitions/definition-lint.js';
import { MATERIAL_FORMS, SERVICE_ITEM_TYPES } from '../engine/service-item.js';
import { RUNG_AUDIENCES } from '../engine/time/ladder.js';
import { PAUSE_REASONS } from '../engine/time/legal-clock.js';
import { Instant } from './schemas.js';

/** The shapes of the designers' catalogue: service item versions, definition drafts, the lint's findings. */

const Code = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'letters, digits and dashes, up to 64');
const Days = (what: string) => z.number().int().min(1).max(3650).openapi({ description: `${what}, working days.` });
const Text = (max: number) => z.string().trim().min(1).max(max);

export const VersionNumber = z.coerce.number().int().min(1).max(1_000_000);

const Rung = z
  .object({
    name: Text(40),
    colour: z.enum(['yellow', 'red']),
    when: z
      .array(z.union([z.object({ remainingWorkingDays: z.number().int() }).strict(), z.object({ consumedPercent: z.number().int() }).strict(), z.object({ overdueWorkingDays: z.number().int() }).strict()]))
      .min(1)
      .max(5)
      .readonly(),
    notify: z.array(z.enum(RUNG_AUDIENCES)).max(RUNG_AUDIENCES.length).readonly(),
    tacit: z
      .object({ outcome: z.enum(['approve', 'reject']), legalBasis: Text(500), taskKinds: z.array(Text(40)).max(10).readonly().optional() })
      .strict()
      .optional()
      .openapi({ description: 'Where the item’s law grants it, the step is deemed decided (视为同意 / 视为不予同意) when a task’s clock reaches the rung.' }),
    remind: z.object({ times: z.number().int(), everyWorkingHours: z.number().int() }).strict().optional(),
  })
  .strict();

const RequiredMaterial = z
  .object({
    name: Text(200),
    form: z.enum(MATERIAL_FORMS),
    originals: z.number().int().min(0).max(20),
    copies: z.number().int().min(0).max(20),
    licenceType: Text(64).nullable().openapi({ description: 'The electronic licence type (电子证照) that may stand in for it; null when none can.' }),
  })
  .strict()
  .openapi('RequiredMaterial');

/** An item version's content: everything but its code (in the path) and version. */
export const ServiceItemContent = z
  .object({
    name: Text(200),
    type: z.enum(SERVICE_ITEM_TYPES).openapi({ description: '行政许可, 行政确认, 行政给付, 行政裁决, 其他行政权力, 公共服务.' }),
    legalBasis: Text(1000),
    legalBasisVersion: z.string().trim().max(200).openapi({ description: 'Which version of the legal basis it follows (e.g. `2019年修正`).' }),
    scope: z.string().trim().max(2000).openapi({ description: 'Who and what it applies to (适用范围).' }),
    leadDepartment: Code,
    participatingDepartments: z.array(Code).max(50).readonly(),
    legalLimitDays: Days('Statutory limit (法定时限)'),
    committedLimitDays: Days('The limit committed to (承诺时限), not above the legal one'),
    definitionKey: Code,
    definitionVersion: z.number().int().min(1).openapi({ description: 'The published definition version its cases run on.' }),
    calendarCode: Code,
    countingRule: z.object({ cutOffLocalTime: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM') }).strict(),
    extension: z
      .object({ maxWorkingDays: z.number().int().min(0).max(60), maxTimes: z.number().int().min(0).max(5) })
      .strict()
      .openapi({ description: 'How far its clocks may be extended (行政许可法 art. 42: 10 working days once for one department, 15 for joint handling).' }),
    uncountedProcedures: z.array(z.enum(PAUSE_REASONS)).max(PAUSE_REASONS.length).readonly().openapi({ description: 'Procedures its limits do not count; the law’s (art. 32, 45) must stay.' }),
    ladder: z.array(Rung).min(1).max(12).readonly().openapi({ description: 'The warning ladder its clocks climb, with its tacit-decision rule where the law grants one.' }),
    materials: z.array(RequiredMaterial).max(100).readonly(),
  })
  .strict();

export const ServiceItemDraftBody = ServiceItemContent.extend({ version: z.number().int().min(1).max(1_000_000) }).strict().openapi('ServiceItemDraft');

export const ServiceItemVersion = z
  .object({
    item: ServiceItemContent.extend({ code: z.string(), version: z.number().int() }),
    status: z.enum(['draft', 'published']),
    inForce: z.boolean().openapi({ description: 'New cases start under this version now.' }),
    updatedAt: z.string(),
    updatedBy: z.string(),
    publishedAt: z.string().nullable(),
    publishedBy: z.string().nullable().openapi({ description: 'Null for a version shipped with Tongban, or a draft.' }),
  })
  .openapi('ServiceItemVersion');

export const LintFinding = z
  .object({
    rule: z.enum(Object.keys(LINT_RULES) as [keyof typeof LINT_RULES, ...(keyof typeof LINT_RULES)[]]),
    path: z.string().openapi({ description: 'Where in the definition’s JSON, e.g. `machine.states.jointReview.states.fire`.' }),
    state: z.string().nullable().openapi({ description: 'The state node id, e.g. `construction-permit.jointReview.fire.reviewing`.' }),
    problem: z.string(),
  })
  .openapi('LintFinding');

export const DefinitionLint = z
  .object({ errors: z.array(LintFinding).openapi({ description: 'Each refuses publishing.' }), warnings: z.array(LintFinding).openapi({ description: 'Shown; publishing goes on.' }) })
  .openapi('DefinitionLint');

export const DefinitionDraftBody = z
  .object({
    version: z.number().int().min(1).max(1_000_000),
    title: Text(200),
    machine: z.record(z.string(), z.unknown()).openapi({ description: 'The XState machine config in the engine’s vocabulary (JSON: what `workflows/*.ts` compile to).' }),
  })
  .strict()
  .openapi('DefinitionDraft');

export const DefinitionDesignSummary = z
  .object({ key: z.string(), version: z.number().int(), title: z.string(), status: z.enum(['draft', 'published']), at: z.string(), by: z.string().nullable() })
  .openapi('DefinitionDesignSummary');

export const DefinitionDesign = DefinitionDesignSummary.extend({ machine: z.record(z.string(), z.unknown()), lint: DefinitionLint }).openapi('DefinitionDesign');

const SimulatedLimit = z.object({ budgetWorkingDays: z.number().int(), pausedWorkingDays: z.number().int(), dueAt: z.string(), dueDate: z.string(), provisional: z.boolean() });

const SimulatedPath = z
  .object({
    ending: z.object({ state: z.string(), outcome: z.enum(['approved', 'refused']), move: z.string(), label: z.string().openapi({ example: 'refused <- decision:reject' }) }),
    moves: z
      .array(
        z.object({
          move: z.string().openapi({ example: 'review.fire:approve' }),
          kind: z.enum(['task', 'period', 'supplement', 'review']),
          title: z.string().nullable(),
          department: z.string().nullable(),
          openedAt: z.string().nullable(),
          dueAt: z.string().nullable(),
          dueDate: z.string().nullable(),
          takenAt: z.string(),
          onTime: z.boolean(),
        }),
      )
      .readonly(),
    limits: z.object({ legal: SimulatedLimit, committed: SimulatedLimit }),
    finishedAt: z.string(),
    finishedOn: z.string(),
    withinLimits: z.object({ legal: z.boolean(), committed: z.boolean() }),
  })
  .openapi('SimulatedPath');

export const Simulation = z
  .object({
    definition: z.object({ key: z.string(), version: z.number().int() }),
    serviceItem: z.string(),
    calendar: z.object({ code: z.string(), version: z.string(), horizon: z.string() }),
    start: z.string(),
    answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    paths: z.array(SimulatedPath).readonly().openapi({ description: 'One per way into each final state: each move made at the last instant the law allows it.' }),
    unreached: z.array(z.string()).readonly(),
    statesWalked: z.number().int(),
    capped: z.boolean(),
  })
  .openapi('Simulation');

export const SimulationBody = z
  .object({
    start: Instant.optional().openapi({ description: 'When the simulated application is accepted; now when left out.' }),
    serviceItemCode: z.string().min(1).max(64).optional().openapi({ description: 'The item whose limits and calendar count; the one in force on this definition key when left out.' }),
    answers: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
    supplementWorkingDays: z.number().int().min(0).max(60).optional().openapi({ description: 'Working days the applicant takes to answer a request for a supplement (补正).' }),
  })
  .strict()
  .openapi('SimulationRequest');
