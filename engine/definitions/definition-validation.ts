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
  const named = { tasksOpened: new Set<string>(), periodsStarted: new Set<string>(), references: [] as Reference[] };
  for (const node of nodes) checkNode(node, nodes, named, report);
  for (const ref of named.references) {
    const known = ref.kind === 'task' ? named.tasksOpened : named.periodsStarted;
    if (!known.has(ref.name)) report(ref.path, `names ${ref.kind} ${ref.name}, which no ${ref.kind === 'task' ? 'openTask' : 'startPeriod'} of the definition opens`);
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

/** A task or period named by a guard or an action, to be matched with what the definition opens. */
interface Reference {
  readonly kind: 'task' | 'period';
  readonly name: string;
  readonly path: string;
}

interface Names {
  readonly tasksOpened: Set<string>;
  readonly periodsStarted: Set<string>;
  readonly references: Reference[];
}

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

  const transitions = (value: unknown, path: string) => checkTransitions(value, path, node, nodes, names, report);
  if (c['on'] !== undefined) {
    if (!isObject(c['on'])) report(`${at}.on`, 'must be an object of event types');
    else {
      for (const [event, value] of Object.entries(c['on'])) {
        if (!isCaseEvent(event)) report(`${at}.on.${event}`, 'is not an event a case receives');
        transitions(value, `${at}.on.${event}`);
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

function checkTransitions(value: unknown, path: string, source: Node, nodes: readonly Node[], names: Names, report: (path: string, problem: string) => void): void {
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
  const task = isObject(params) && typeof params['task'] === 'string' ? params['task'] : null;
  const period = isObject(params) && typeof params['period'] === 'string' ? params['period'] : null;
  if (type === 'openTask' && task !== null) names.tasksOpened.add(task);
  if (type === 'startPeriod' && period !== null) names.periodsStarted.add(period);
  if ((type === 'taskIs' || type === 'cancelTask') && task !== null) names.references.push({ kind: 'task', name: task, path: `${path}.params.task` });
  if ((type === 'periodIs' || type === 'cancelPeriod') && period !== null) names.references.push({ kind: 'period', name: period, path: `${path}.params.period` });
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
