import { InvalidTimeLimitError, type DesignProblem } from './errors.js';
import type { ServiceItem } from './service-item.js';
import { cutOffMs } from './time/counting-rule.js';
import { validateLadder } from './time/ladder.js';
import { STATUTORY_UNCOUNTED } from './time/legal-clock.js';

/** What exists outside a service item, that it names: departments, calendars, published definition versions (`key@version`). */
export interface CatalogueReferences {
  readonly departments: ReadonlySet<string>;
  readonly calendars: ReadonlySet<string>;
  readonly definitions: ReadonlySet<string>;
}

/**
 * The catalogue's rules for an item version before it is published (the shape is the API's to check): limits a
 * clock can count (committed within legal, art. 42's extension bounded), departments, calendar and definition
 * version that exist, the law's uncounted procedures kept, a ladder that can be placed, materials named once.
 * Every problem is reported at once, with its path in the item.
 *
 * @example
 * serviceItemProblems({ ...constructionPermitItem, committedLimitDays: 30 }, references);
 * // [{ path: 'committedLimitDays', problem: 'must not exceed the legal limit (15 working days)' }]
 */
export function serviceItemProblems(item: ServiceItem, references: CatalogueReferences): DesignProblem[] {
  const problems: DesignProblem[] = [];
  const report = (path: string, problem: string) => problems.push({ path, problem });
  if (item.committedLimitDays > item.legalLimitDays) report('committedLimitDays', `must not exceed the legal limit (${item.legalLimitDays} working days)`);
  if (!references.departments.has(item.leadDepartment)) report('leadDepartment', `no department has the code ${item.leadDepartment}`);
  item.participatingDepartments.forEach((code, i) => {
    if (!references.departments.has(code)) report(`participatingDepartments.${i}`, `no department has the code ${code}`);
    else if (code === item.leadDepartment) report(`participatingDepartments.${i}`, `${code} leads the item; it is not also a participant`);
    else if (item.participatingDepartments.indexOf(code) !== i) report(`participatingDepartments.${i}`, `${code} is named twice`);
  });
  if (!references.calendars.has(item.calendarCode)) report('calendarCode', `no working calendar has the code ${item.calendarCode}`);
  if (!references.definitions.has(`${item.definitionKey}@${item.definitionVersion}`)) {
    report('definitionVersion', `${item.definitionKey} v${item.definitionVersion} is not a published definition version`);
  }
  for (const kind of STATUTORY_UNCOUNTED) {
    if (!item.uncountedProcedures.includes(kind)) report('uncountedProcedures', `the law does not count ${kind} (行政许可法 art. 32, 45): it must stay listed`);
  }
  try {
    cutOffMs(item.countingRule);
  } catch (error) {
    report('countingRule.cutOffLocalTime', error instanceof Error ? error.message : String(error));
  }
  try {
    validateLadder(item.ladder);
  } catch (error) {
    if (!(error instanceof InvalidTimeLimitError)) throw error;
    report(error.path.join('.'), error.message);
  }
  item.materials.forEach((m, i) => {
    if (item.materials.findIndex((other) => other.name === m.name) !== i) report(`materials.${i}.name`, `${m.name} is listed twice`);
  });
  return problems;
}
