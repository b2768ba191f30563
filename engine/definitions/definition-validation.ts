import type { z } from 'zod';
import { ACTION_PARAMS, GUARD_PARAMS, isCaseEvent, paramsSchema } from './definition-vocabulary.js';

/**
 * Checks a definition's machine config against the engine's vocabulary before it is published: every
 * action and guard is one the engine implements, with params of the right shape; every transition is on an
 * event a case receives and goes to a state that exists; every task or period a guard or `cancelTask` names
 * is opened or started somewhere. XState itself only finds an unknown action or guard when a case reaches
 * it — a timer firing into one would be retried for ever — so nothing the walk finds is left to run time.
 * The config has passed the plain-JSON check: no functions, only JSON values.
 */

/** One thing wrong with a definition: where (`machine.states.review.entry.0.params.workingDays`) and what. */
export interface DefinitionProblem {
  readonly path: string;
  readonly problem: string;
}

type Json = Record<string, unknown>;

const STATE_KEYS = new Set(['id', 'type', 'initial', 'states', 'entry', 'exit', 'on', 'always', 'after', 'onDone', 'tags', 'description', 'meta']);
const ROOT_KEYS = new Set([...STATE_KEYS, 'context']);
const STATE_TYPES = new Set(['atomic', 'compound', 'parallel', 'final']);
const TRANSITION_KEYS = new Set(['target', 'guard', 'actions', 'reenter', 'description']);

/** A state node of the config with where it sits: its keys from the root, and its parent. */
interface Node {
  readonly config: Json;
  readonly keys: readonly string[];
  readonly parent: Node | null;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statePath = (node: Node) => ['machine', ...node.keys.flatMap((k) => ['states', k])].join('.');

export function definitionProblems(machine: unknown): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const report = (path: string, problem: string) => problems.push({ path, problem });
  if (!isObject(machine)) return [{ path: 'machine', problem: 'must be a machine config object' }];
  const root: Node = { config: machine, keys: [], parent: null };
  const nodes = collectNodes(root, report);
  const named: Names = { opened: { task: new Set(), period: new Set(), step: new Set() }, references: [] };
  for (const node of nodes) checkNode(node, nodes, named, report);
  for (const ref of named.references) {
    if (!named.opened[ref.kind].has(ref.name)) report(ref.path, `names ${ref.kind} ${ref.name}, which no ${OPENED_BY[ref.kind]} of the definition opens`);
  }
  return problems;
}

function collectNodes(node: Node, report: (path: string, problem: string) => void): Node[] {
  const states = node.config['states'];
  if (states === undefined) return [node];
  if (!isObject(states)) {
    report(`${statePath(node)}.states`, 'must be an object of states');
    return [node];
  }
  const children = Object.entries(states).flatMap(([key, config]) => {
    if (isObject(config)) return collectNodes({ config, keys: [...node.keys, key], parent: node }, report);
    report(`${statePath(node)}.states.${key}`, 'must be a state config object');
    return [];
  });
  return [node, ...children];
}

/** What a definition opens by name: tasks, periods, countersign steps; and the action that opens each. */
type NamedKind = 'task' | 'period' | 'step';
const OPENED_BY: Readonly<Record<NamedKind, string>> = { task: 'openTask or openCountersign', period: 'startPeriod', step: 'openCountersign' };

/** A task, period or countersign step named by a guard or an action, to be matched with what the definition opens. */
interface Reference {
  readonly kind: NamedKind;
  readonly name: string;
  readonly path: string;
}

interface Names {
  readonly opened: Readonly<Record<NamedKind, Set<string>>>;
  readonly references: Reference[];
}

/**
 * The params (by action or guard) that name a task, a list of tasks, a period or a countersign step: each must be
 * one the definition opens, or a guard would never hold and an action never find what it names.
 */
const REFERENCES: Readonly<Record<string, readonly { readonly param: string; readonly kind: NamedKind }[]>> = {
  taskIs: [{ param: 'task', kind: 'task' }],
  cancelTask: [{ param: 'task', kind: 'task' }],
  periodIs: [{ param: 'period', kind: 'period' }],
  cancelPeriod: [{ param: 'period', kind: 'period' }],
  returnTo: [{ param: 'task', kind: 'task' }],
  withdrawable: [{ param: 'task', kind: 'task' }, { param: 'before', kind: 'task' }, { param: 'unvoted', kind: 'step' }],
  outcomeIs: [{ param: 'task', kind: 'task' }],
  someOutcomeIs: [{ param: 'tasks', kind: 'task' }],
  outcomesSplit: [{ param: 'tasks', kind: 'task' }],
  reviewClosable: [{ param: 'tasks', kind: 'task' }],
  forgetOutcomes: [{ param: 'tasks', kind: 'task' }],
  signerOf: [{ param: 'step', kind: 'step' }],
  countersignIs: [{ param: 'step', kind: 'step' }],
  countSignature: [{ param: 'step', kind: 'step' }],
  cancelCountersign: [{ param: 'step', kind: 'step' }],
};

function checkNode(node: Node, nodes: readonly Node[], names: Names, report: (path: string, problem: string) => void): void {
  const c = node.config;
  const at = statePath(node);
  for (const key of Object.keys(c)) {
    if (!(node.parent ? STATE_KEYS : ROOT_KEYS).has(key)) report(`${at}.${key}`, `is not a state property the engine runs (${[...STATE_KEYS].join(', ')})`);
  }
  if (c['type'] !== undefined && !STATE_TYPES.has(String(c['type']))) report(`${at}.type`, `must be one of ${[...STATE_TYPES].join(', ')}`);
  const children = isObject(c['states']) ? Object.keys(c['states']) : [];
  if (children.length > 0 && c['type'] !== 'parallel' && !children.includes(String(c['initial']))) {
    report(`${at}.initial`, `must name one of the child states ${children.join(', ')}`);
  }
  if (c['tags'] !== undefined && !(Array.isArray(c['tags']) && c['tags'].every((t) => typeof t === 'string'))) report(`${at}.tags`, 'must be a list of strings');
  for (const key of ['entry', 'exit'] as const) checkActions(c[key], `${at}.${key}`, names, report);

  const transitions = (value: unknown, path: string, event: string | null = null) => checkTransitions(value, path, { source: node, nodes, event }, names, report);
  if (c['on'] !== undefined) {
    if (!isObject(c['on'])) report(`${at}.on`, 'must be an object of event types');
    else {
      for (const [event, value] of Object.entries(c['on'])) {
        if (!isCaseEvent(event)) report(`${at}.on.${event}`, 'is not an event a case receives');
        transitions(value, `${at}.on.${event}`, event);
      }
    }
  }
  transitions(c['always'], `${at}.always`);
  transitions(c['onDone'], `${at}.onDone`);
  if (c['after'] !== undefined) {
    if (!isObject(c['after'])) report(`${at}.after`, 'must be an object of delays');
    else {
      for (const [delay, value] of Object.entries(c['after'])) {
        // Named delays would need an implementation the engine does not have; legal time is working days.
        if (!/^\d+$/.test(delay)) report(`${at}.after.${delay}`, 'must be a delay in milliseconds');
        transitions(value, `${at}.after.${delay}`);
      }
    }
  }
}

/**
 * Guards that read the event, by the events they can hold on: on any other event (or on none: `always`, `onDone`)
 * the transition could never be taken — a return target nobody could choose, a withdrawal nobody could make.
 */
const EVENT_GUARDS: Readonly<Record<string, readonly string[]>> = {
  returnTo: ['task.returned'],
  signerOf: ['task.approved', 'task.rejected'],
  withdrawable: ['task.withdrawn'],
  memberChangeable: ['members.changed'],
  reviewClosable: ['review.closed'],
  signersChangeable: ['signers.changed'],
};

/** Where transitions are: the state they leave, every state (to resolve targets), and the event they are on, if any. */
interface TransitionSite {
  readonly source: Node;
  readonly nodes: readonly Node[];
  readonly event: string | null;
}

function checkTransitions(value: unknown, path: string, site: TransitionSite, names: Names, report: (path: string, problem: string) => void): void {
  const { source, nodes } = site;
  asList(value).forEach((transition, i) => {
    const at = Array.isArray(value) ? `${path}.${i}` : path;
    if (typeof transition === 'string') return checkTarget(transition, at, source, nodes, report);
    if (!isObject(transition)) return report(at, 'must be a target or a transition object');
    for (const key of Object.keys(transition)) if (!TRANSITION_KEYS.has(key)) report(`${at}.${key}`, 'is not a transition property');
    asList(transition['target']).forEach((target, j) =>
      typeof target === 'string'
        ? checkTarget(target, Array.isArray(transition['target']) ? `${at}.target.${j}` : `${at}.target`, source, nodes, report)
        : report(`${at}.target`, 'must be a state name or a list of them'),
    );
    if (transition['guard'] !== undefined) checkNamed('guard', transition['guard'], `${at}.guard`, names, report);
    const guardType = isObject(transition['guard']) ? transition['guard']['type'] : transition['guard'];
    const events = typeof guardType === 'string' ? EVENT_GUARDS[guardType] : undefined;
    if (events && !(site.event !== null && events.includes(site.event))) report(`${at}.guard`, `guard ${String(guardType)} holds only on ${events.join(' or ')}`);
    checkActions(transition['actions'], `${at}.actions`, names, report);
  });
}

function checkActions(value: unknown, path: string, names: Names, report: (path: string, problem: string) => void): void {
  asList(value).forEach((action, i) => checkNamed('action', action, Array.isArray(value) ? `${path}.${i}` : path, names, report));
}

/** An action or a guard: a name, or `{ type, params }`, checked against its table and params schema. */
function checkNamed(what: 'action' | 'guard', value: unknown, path: string, names: Names, report: (path: string, problem: string) => void): void {
  const type = typeof value === 'string' ? value : isObject(value) ? value['type'] : undefined;
  if (typeof type !== 'string') return report(path, `must be the name of an ${what} or { type, params }`);
  const table = what === 'action' ? ACTION_PARAMS : GUARD_PARAMS;
  const schema = paramsSchema(table, type);
  if (schema === undefined) return report(path, `unknown ${what} ${type}; the engine's ${what}s are ${Object.keys(table).join(', ')}`);
  const object = isObject(value) ? value : {};
  for (const key of Object.keys(object)) if (key !== 'type' && key !== 'params') report(`${path}.${key}`, `is not part of an ${what}`);
  const params = object['params'];
  if (schema === null) {
    if (params !== undefined) report(`${path}.params`, `${what} ${type} takes no params`);
    return;
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) reportIssues(parsed.error.issues, `${path}.params`, `${what} ${type}`, report);
  // Names are collected from the params as written, so one malformed param is not reported again elsewhere.
  if (!isObject(params)) return;
  collectOpened(type, params, names);
  for (const { param, kind } of REFERENCES[type] ?? []) {
    const value = params[param];
    const listed = Array.isArray(value) ? value.map((v, i) => [v, `${path}.params.${param}.${i}`] as const) : [[value, `${path}.params.${param}`] as const];
    for (const [name, at] of listed) if (typeof name === 'string') names.references.push({ kind, name, path: at });
  }
  // The dissenters a countersign takes its signers from are tasks of the definition's.
  const signers = params['signers'];
  if (type === 'openCountersign' && isObject(signers) && Array.isArray(signers['dissentersOf'])) {
    signers['dissentersOf'].forEach((name, i) => typeof name === 'string' && names.references.push({ kind: 'task', name, path: `${path}.params.signers.dissentersOf.${i}` }));
  }
}

/** What an action opens by name: a task, a period, a countersign step and its declared signers' tasks. */
function collectOpened(type: string, params: Json, names: Names): void {
  const text = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : null);
  const task = text('task');
  const period = text('period');
  const step = text('step');
  if (type === 'openTask' && task !== null) names.opened.task.add(task);
  if (type === 'startPeriod' && period !== null) names.opened.period.add(period);
  if (type === 'openCountersign' && step !== null) {
    names.opened.step.add(step);
    const signers = params['signers'];
    if (Array.isArray(signers)) {
      for (const s of signers) if (isObject(s)) names.opened.task.add(`${step}.${String(s['person'] ?? s['department'])}`);
    }
  }
}

function reportIssues(issues: readonly z.core.$ZodIssue[], path: string, what: string, report: (path: string, problem: string) => void): void {
  for (const issue of issues) {
    const where = [path, ...issue.path.map(String)].join('.');
    const message = issue.code === 'unrecognized_keys' ? `${what} has no param ${issue.keys.join(', ')}` : `${what}: ${issue.message}`;
    report(where, message);
  }
}

/**
 * A target as XState resolves it: `#id.child` from the node with that id (the machine's id is the key;
 * a node's default id holds dots, so only the machine's and explicit ids are reachable this way), `.child`
 * from the source, anything else from the source's parent (a sibling).
 */
function checkTarget(target: string, path: string, source: Node, nodes: readonly Node[], report: (path: string, problem: string) => void): void {
  let from: Node | null | undefined;
  let rest: string[];
  if (target.startsWith('#')) {
    const [id = '', ...segments] = target.slice(1).split('.');
    from = nodes.find((n) => n.config['id'] === id);
    rest = segments;
  } else if (target.startsWith('.')) {
    from = source;
    rest = target.slice(1).split('.');
  } else {
    from = source.parent;
    rest = target.split('.');
  }
  for (const key of rest) {
    const states: unknown = from?.config['states'];
    from = isObject(states) && isObject(states[key]) ? nodes.find((n) => n.parent === from && n.keys.at(-1) === key) : undefined;
  }
  if (!from) report(path, `target ${target} is not a state of the definition`);
}
