import type { CaseMachineConfig } from './case-machine.js';

/**
 * A period (public notice, hearing…) lasts while the state that started it is active, as a task lasts while
 * its state is: leaving the state — through any transition, not only the period's end — cancels its timer,
 * so it never fires into a state that no longer expects it. XState cancels an `after` delay on exit the same
 * way; here a period runs on working days and is a durable timer, so the exit is spelled out.
 *
 * The compiled machine gets, on every state whose `entry` starts a period, an exit action `cancelPeriod`
 * for it; the stored definition stays as written (and its checksum with it), so every version, including
 * those published before, behaves the same. A period started by a transition's `actions` belongs to no
 * state: it runs until it ends or the case closes.
 */
export function withPeriodExits(machine: CaseMachineConfig): CaseMachineConfig {
  return withExits(machine as StateJson) as CaseMachineConfig;
}

/** The `send_id` of a period's timer: what `cancelPeriod` finds it by within its case. */
export const periodSendId = (period: string): string => `period:${period}`;

type StateJson = { readonly [key: string]: unknown };

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function withExits(state: StateJson): StateJson {
  const periods = asList(state['entry']).flatMap((action) => {
    const { type, params } = (action ?? {}) as { type?: unknown; params?: { period?: unknown } };
    return type === 'startPeriod' && typeof params?.period === 'string' ? [params.period] : [];
  });
  const children = state['states'] as Record<string, StateJson> | undefined;
  return {
    ...state,
    ...(periods.length > 0 ? { exit: [...asList(state['exit']), ...periods.map((period) => ({ type: 'cancelPeriod', params: { period } }))] } : {}),
    ...(children ? { states: Object.fromEntries(Object.entries(children).map(([key, child]) => [key, withExits(child)])) } : {}),
  };
}
