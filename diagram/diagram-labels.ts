import type { LabelledDiagram } from './diagram-elk.js';
import type { BoxKind, StateLook } from './diagram-shapes.js';
import type { Words } from './catalogue-words.js';

/**
 * A process's graph as the diagram reads it: the shape of the engine's `definitionGraph` (`GET
 * /api/cases/{id}/diagram` answers it), declared here so that the workspace and the server both hand theirs.
 */
export interface DiagramState {
  readonly id: string;
  readonly key: string;
  readonly parent: string | null;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly initial: string | null;
  readonly task?: { readonly title: string; readonly department: string };
  readonly countersign?: CountersignMode & { readonly title: string };
  readonly pausesClocks?: string;
  readonly period?: { readonly workingDays: number };
}

export interface DiagramTransition {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly event: string;
  readonly guard: { readonly type: string; readonly params?: Readonly<Record<string, unknown>> } | null;
}

export interface DiagramGraph {
  readonly states: readonly DiagramState[];
  readonly transitions: readonly DiagramTransition[];
}

/** A countersign step's mode (会签, 或签, 依次, 票签) and, for a vote, its threshold. */
export interface CountersignMode {
  readonly mode: string;
  readonly threshold: { readonly numerator: number; readonly denominator: number } | null;
}

/** The event XState sends when every region of a parallel state (or a compound state) reached its final state. */
const DONE_EVENT = 'xstate.done.state.';
/** The event of an eventless (`always`) transition in the graph: taken as soon as its guard holds. */
const EVENTLESS = '';

/**
 * The words of a process diagram, from the definition's graph: a state by the task it opens (its title, the
 * department), by the countersign step it opens (its title, mode and threshold), or by its name when a message has
 * it (`process.state.<key>`), with what it does (stops the clocks, waits a period); a transition by its event and
 * guard.
 */
export function stateLines(state: DiagramState, w: Words): string[] {
  const lines = state.task
    ? [state.task.title, w.t('process.department', { department: state.task.department })]
    : state.countersign
      ? [state.countersign.title, modeText(state.countersign, w)]
      : [stateName(state.key, w)];
  if (state.pausesClocks) lines.push(w.t('process.pausesClocks', { reason: pauseKind(state.pausesClocks, w) }));
  if (state.period) lines.push(w.t('process.period', { n: state.period.workingDays }, state.period.workingDays));
  return lines;
}

/** A state's name in the reader's language when the messages have it (`acceptance`, `jointReview`…), else its key. */
export function stateName(key: string, w: Words): string {
  const message = `process.state.${key}`;
  return w.te(message) ? w.t(message) : key;
}

/**
 * Guards that only say which task, period or review a transition is for (the diagram shows that already): the
 * transition is labelled by its event alone. A chosen return (`returnTo`) is labelled by its title instead.
 */
const FOR_THIS = new Set(['taskIs', 'periodIs', 'withdrawable', 'memberChangeable', 'signerOf']);

/**
 * A transition's label: the outcome or event that takes it ("approved", "withdrawn", "supplement submitted",
 * "all reviews done"), with its guard when it is more than "for this task" ("any department rejected"); a return
 * by where it goes, as the definition titles it; the unguarded alternative to a guarded one is "otherwise". An
 * eventless transition (no one acts: a countersign step's outcome, a member's part in a review) is labelled by its
 * guard alone ("step approved", "takes no part", "approval stands"), or "at once" when it has none to tell.
 */
export function transitionLabel(t: DiagramTransition, all: readonly DiagramTransition[], w: Words): string {
  const title = t.guard?.type === 'returnTo' ? t.guard.params?.['title'] : undefined;
  if (typeof title === 'string') return title;
  const guardedSibling = all.some((o) => o !== t && o.source === t.source && o.event === t.event && o.guard !== null);
  const guard = t.guard && !FOR_THIS.has(t.guard.type) ? guardWords(t.guard, w) : t.guard === null && guardedSibling ? w.t('process.guard.otherwise') : null;
  if (t.event === EVENTLESS) return guard ?? w.t('process.event.always');
  const done = t.event.startsWith(DONE_EVENT);
  const eventKey = `process.event.${done ? 'done' : t.event.replaceAll('.', '_')}`;
  const event = w.te(eventKey) ? w.t(eventKey) : t.event;
  return guard === null ? event : w.t('process.guarded', { event, guard });
}

/** A guard in words: by its type, or by its type and the outcome it tests (`someOutcomeIs` reject); else as named. */
function guardWords(guard: NonNullable<DiagramTransition['guard']>, w: Words): string {
  const outcome = guard.params?.['outcome'];
  const keys = [...(typeof outcome === 'string' ? [`process.guard.${guard.type}_${outcome}`] : []), `process.guard.${guard.type}`];
  const key = keys.find((k) => w.te(k));
  return key ? w.t(key) : guard.type;
}

/** The diagram with its words, for the layout, and each state's look, for the shapes. */
export function labelledDiagram(diagram: DiagramGraph, w: Words): LabelledDiagram & { look: Map<string, StateLook> } {
  const byId = new Map(diagram.states.map((s) => [s.id, s]));
  const look = new Map<string, StateLook>();
  const states = diagram.states.map((s) => {
    const lines = s.parent === null ? [] : stateLines(s, w);
    if (s.parent !== null) look.set(s.id, { kind: boxKind(s, byId.get(s.parent)), lines });
    return { id: s.id, parent: s.parent, initial: s.initial, lines };
  });
  const transitions = diagram.transitions.map((t) => ({ id: t.id, source: t.source, target: t.target, label: transitionLabel(t, diagram.transitions, w) }));
  return { states, transitions, look };
}

function boxKind(s: DiagramState, parent: DiagramState | undefined): BoxKind {
  if (s.type === 'final') return 'final';
  if (s.type === 'parallel') return 'parallel';
  if (s.type === 'compound') return parent?.type === 'parallel' ? 'region' : 'compound';
  return 'state';
}

/**
 * Where the case is, in words: the innermost states it is in — a step by its task, a state by its name, and one of
 * a parallel state's regions done ("approved") with the region's name.
 */
export function whereTheCaseIs(diagram: Pick<DiagramGraph, 'states'> & { readonly active: readonly string[] }, w: Words): string[] {
  const byId = new Map(diagram.states.map((s) => [s.id, s]));
  const innermost = diagram.active.filter((id) => !diagram.active.some((other) => byId.get(other)?.parent === id));
  return innermost.flatMap((id) => {
    const state = byId.get(id);
    if (!state) return [];
    const name = stateLines(state, w)[0] ?? state.key;
    const parent = state.parent === null ? undefined : byId.get(state.parent);
    const region = parent && parent.type === 'compound' && byId.get(parent.parent ?? '')?.type === 'parallel' && !state.task;
    return [region ? w.t('process.inRegion', { region: stateName(parent.key, w), state: name }) : name];
  });
}

/** A pause's or a special procedure's kind in words (`supplement`, `expert-review`…); an unknown one as it is. */
export function pauseKind(kind: string, w: Words): string {
  return w.te(`process.pause.${kind}`) ? w.t(`process.pause.${kind}`) : kind;
}

/** A step's mode in words, with its threshold for a vote (票签): "票签（按票数表决），通过门槛 ≥ 2/3". */
export function modeText(step: CountersignMode, w: Words): string {
  const mode = w.t(`process.mode.${step.mode}`);
  if (step.mode !== 'vote' || step.threshold === null) return mode;
  return w.t('process.withThreshold', { mode, threshold: w.t('process.threshold', { n: step.threshold.numerator, d: step.threshold.denominator }) });
}

/**
 * What the diagram is, for those who do not see it: the process by its title and, for a case, where the case is
 * (`whereTheCaseIs`, its parts joined as a list).
 */
export function diagramLabel(title: string, where: readonly string[] | null, w: Words): string {
  if (where === null) return w.t('process.diagram.title', { title });
  return w.t('process.diagram.label', { title, states: where.join(w.t('process.listSeparator')) });
}
