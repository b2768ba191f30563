import { reactive } from 'vue';
import { api } from './api/client';

/**
 * Department and service item names (reference data), for pages whose rows carry only codes; loaded once per
 * session, on first use. A code shows as itself until its name is known (or when it has none).
 */
export const names = reactive({ departments: new Map<string, string>(), serviceItems: new Map<string, string>() });

let loading: Promise<void> | null = null;

export function loadNames(): Promise<void> {
  loading ??= Promise.all([api.GET('/api/departments'), api.GET('/api/service-items')]).then(([departments, items]) => {
    for (const d of departments.data?.items ?? []) names.departments.set(d.code, d.name);
    for (const i of items.data?.items ?? []) names.serviceItems.set(i.code, i.name);
    if (!departments.data || !items.data) loading = null; // try again on the next page that asks
  });
  return loading;
}

export const departmentName = (code: string): string => names.departments.get(code) ?? code;
export const serviceItemName = (code: string): string => names.serviceItems.get(code) ?? code;

/** A case as lists name it: its service item and its number (受理编号), as people read and say it. */
export const caseLabel = (serviceItemCode: string, caseNumber: string): string => `${serviceItemName(serviceItemCode)} · ${caseNumber}`;
