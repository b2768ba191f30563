import type { components } from '../api/schema.js';

/** What `POST /api/api-keys` takes: a name, the department the system acts for, the operations it may perform. */
export type NewApiKey = components['schemas']['NewApiKey'];
export type Scope = NewApiKey['operations'][number];

/**
 * Every operation a department system's key may be scoped to (the permission matrix's `department_system`
 * column), in the order the form lists them. A record over the API's own list: the type check fails the day the
 * API offers one more or one fewer, so the form never drifts from it.
 */
const SCOPE_SET: Record<Scope, true> = {
  'profile.read': true,
  'catalog.read': true,
  'calendar.read': true,
  'case.start': true,
  'case.read': true,
  'case.material.read': true,
  'material.upload': true,
  'task.read': true,
  'task.claim': true,
  'task.release': true,
  'task.complete': true,
  'webhook.manage': true,
};
export const SCOPES = Object.keys(SCOPE_SET) as Scope[];

/** The API's limit on a key's name (it checks it again). */
export const KEY_NAME_MAX = 200;

export interface KeyForm {
  name: string;
  departmentCode: string;
  operations: Scope[];
}

/** What is wrong with the form, by field (message keys under `admin.keys.problem`); empty when it may be sent. */
export function keyFormProblems(form: KeyForm): Partial<Record<keyof KeyForm, 'required' | 'tooLong'>> {
  const name = form.name.trim();
  return {
    ...(name === '' ? { name: 'required' as const } : name.length > KEY_NAME_MAX ? { name: 'tooLong' as const } : {}),
    ...(form.departmentCode === '' ? { departmentCode: 'required' as const } : {}),
    ...(form.operations.length === 0 ? { operations: 'required' as const } : {}),
  };
}

/** The body to send: the name trimmed, the scopes in the form's order, each once. */
export function newKeyBody(form: KeyForm): NewApiKey {
  return { name: form.name.trim(), departmentCode: form.departmentCode, operations: SCOPES.filter((s) => form.operations.includes(s)) };
}
