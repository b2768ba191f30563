import type { ProcessDefinition } from '../../../engine/definitions/process-definition.js';

/** A value as PostgreSQL's jsonb gives it back: object keys by length, then bytewise (their written order is lost). */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1)).map(([k, v]) => [k, jsonbOrder(v)]));
}

/** A definition as the catalogue reads it from PostgreSQL: its machine's keys in jsonb's order. */
export const asStored = (definition: ProcessDefinition): ProcessDefinition => ({ ...definition, machine: jsonbOrder(definition.machine) as ProcessDefinition['machine'] });
