/**
 * The params of every guard of one type a definition's machine names, in the order of its JSON (arrays keep
 * theirs; a stored definition's objects come back with their keys sorted by jsonb): what a definition
 * declares through its guards (the returns it allows, who may join its joint reviews), read from the stored
 * JSON. Read once per machine (published definitions never change).
 */
export function declaredGuards<P>(machine: object, type: string): readonly P[] {
  let byType = cache.get(machine);
  if (!byType) cache.set(machine, (byType = new Map()));
  let found = byType.get(type);
  if (!found) byType.set(type, (found = collect(machine, type)));
  return found as readonly P[];
}

const cache = new WeakMap<object, Map<string, readonly unknown[]>>();

function collect(machine: unknown, type: string): unknown[] {
  const found: unknown[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const guard = (value as { guard?: { type?: unknown; params?: unknown } }).guard;
    if (guard?.type === type && guard.params !== undefined) found.push(guard.params);
    Object.values(value).forEach(visit);
  };
  visit(machine);
  return found;
}
