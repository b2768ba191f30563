/**
 * Branded identifiers: a `TaskId` cannot be passed where a `CaseId` is expected, although both are strings.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type CaseId = Brand<string, 'CaseId'>;
export type TaskId = Brand<string, 'TaskId'>;
export type TimerId = Brand<string, 'TimerId'>;
export type UserId = Brand<string, 'UserId'>;
/** Departments are keyed by a stable code such as `fire` or `city.planning`. */
export type DepartmentCode = Brand<string, 'DepartmentCode'>;

export const caseId = (value: string) => value as CaseId;
export const taskId = (value: string) => value as TaskId;
export const timerId = (value: string) => value as TimerId;
export const userId = (value: string) => value as UserId;
export const departmentCode = (value: string) => value as DepartmentCode;
