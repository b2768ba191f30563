/** What the designer page works out by itself: the default simulation start, a machine's states, a pasted machine. */

/** A state of a machine config as the engine names it (`construction-permit.jointReview.fire`): the migration maps these. */
export interface MachineState {
  readonly id: string;
  readonly final: boolean;
}

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/**
 * The next Monday at 09:00 Beijing time after `now`, as the date picker holds it (`YYYY-MM-DDTHH:mm`, Beijing wall
 * time): a simulation's default start, an ordinary first working morning.
 */
export function nextMondayMorning(now: Date): string {
  const beijing = new Date(now.getTime() + BEIJING_MS);
  const ahead = (8 - beijing.getUTCDay()) % 7 || 7;
  return `${new Date(beijing.getTime() + ahead * DAY_MS).toISOString().slice(0, 10)}T09:00`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every state of a machine config, parents before their children, with the ids XState gives them (an explicit `id` wins). */
export function statesOf(machine: Record<string, unknown>, key: string): MachineState[] {
  const states: MachineState[] = [];
  const walk = (node: Record<string, unknown>, id: string) => {
    if (!isRecord(node['states'])) return;
    for (const [name, child] of Object.entries(node['states'])) {
      if (!isRecord(child)) continue;
      const childId = typeof child['id'] === 'string' ? child['id'] : `${id}.${name}`;
      states.push({ id: childId, final: child['type'] === 'final' });
      walk(child, childId);
    }
  };
  walk(machine, typeof machine['id'] === 'string' ? machine['id'] : key);
  return states;
}

/** The mapping to start from: each state of the source that the target has too goes to itself. */
export function sameNameMapping(from: readonly MachineState[], to: readonly MachineState[]): Record<string, string> {
  const targets = new Set(to.filter((s) => !s.final).map((s) => s.id));
  return Object.fromEntries(from.filter((s) => !s.final && targets.has(s.id)).map((s) => [s.id, s.id]));
}

/** A pasted or uploaded machine: the object to send, or why it cannot be sent (not JSON, or not one object). */
export function parsedMachine(text: string): { machine: Record<string, unknown> } | { problem: 'notJson' | 'notObject' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'notJson' };
  }
  return isRecord(value) ? { machine: value } : { problem: 'notObject' };
}
