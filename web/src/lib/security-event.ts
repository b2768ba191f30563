/**
 * A security event's data in one line, `key: value` pairs (JSON for what is not text), for the log's table:
 * the events differ in their fields, and an administrator reads them as they were written.
 *
 * @example eventData({ keyId: 'k1', operations: ['case.read'] }); // 'keyId: k1 · operations: ["case.read"]'
 */
export function eventData(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}
