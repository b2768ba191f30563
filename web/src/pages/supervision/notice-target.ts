/** What a 督办 is issued on: a case, or one of its open steps (whose department then answers). */
export interface NoticeTarget {
  readonly caseId: string;
  readonly taskId: string | null;
  /** The case as the list shows it (service item and case). */
  readonly caseLabel: string;
  /** The step's title, when the notice names a step. */
  readonly stepLabel: string | null;
  /** Who must answer: the step's department, else the case's lead department. */
  readonly department: string;
}
