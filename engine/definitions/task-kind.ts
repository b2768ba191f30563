/** What a task is, which decides who may work it (`access/authorization-policy.ts`: `TASK_ROLES`). */
export const TASK_KINDS = ['intake', 'review', 'countersign', 'correction', 'decision', 'licence'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
