import type { components } from '../api/schema.js';
import { pauseKind } from './clock-explanation.js';
import { modeText } from './joint-review-text.js';
import type { LabelledDiagram } from './diagram-elk.js';
import type { BoxKind, StateLook } from './diagram-shapes.js';
import type { Wording } from './wording.js';

export type CaseDiagram = components['schemas']['CaseDiagram'];
export type DiagramState = components['schemas']['DiagramState'];
export type DiagramTransition = components['schemas']['DiagramTransition'];

/** The event XState sends when every region of a parallel state (or a compound state) reached its final state. */
const DONE_EVENT = 'xstate.done.state.';
/** The event of an eventless (`always`) transition in the graph: taken as soon as its guard holds. */
const EVENTLESS = '';

/**
 * The words of a process diagram, from the definition's graph (`GET /api/cases/{id}/diagram`): a state by the
 * task it opens (its title, the department), by the countersign step it opens (its title, mode and threshold), or by its name when a message has it (`case.diagram.state.<key>`),
 * with what it does (stops the clocks, waits a period); a transition by its event and guard.
 */
export function stateLines(state: DiagramState, w: Wording): string[] {
  const lines = state.task
    ? [state.task.title, w.t('case.diagram.department', { department: state.task.department })]
    : state.countersign
      ? [state.countersign.title, modeText(state.countersign, w)]
      : [stateName(state.key, w)];
  if (state.pausesClocks) lines.push(w.t('case.diagram.pausesClocks', { reason: pauseKind(state.pausesClocks, w) }));
  if (state.period) lines.push(w.t('case.diagram.period', { n: state.period.workingDays }, state.period.workingDays));
  return lines;
}

/** A state's name in the reader's language when the messages have it (`acceptance`, `jointReview`…), else its key. */
export function stateName(key: string, w: Wording): string {
  const message = `case.diagram.state.${key}`;
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
export function transitionLabel(t: DiagramTransition, all: readonly DiagramTransition[], w: Wording): string {
  const title = t.guard?.type === 'returnTo' ? t.guard.params?.['title'] : undefined;
  if (typeof title === 'string') return title;
  const guardedSibling = all.some((o) => o !== t && o.source === t.source && o.event === t.event && o.guard !== null);
  const guard = t.guard && !FOR_THIS.has(t.guard.type) ? guardWords(t.guard, w) : t.guard === null && guardedSibling ? w.t('case.diagram.guard.otherwise') : null;
  if (t.event === EVENTLESS) return guard ?? w.t('case.diagram.event.always');
  const done = t.event.startsWith(DONE_EVENT);
  const eventKey = `case.diagram.event.${done ? 'done' : t.event.replaceAll('.', '_')}`;
  const event = w.te(eventKey) ? w.t(eventKey) : t.event;
  return guard === null ? event : w.t('case.diagram.guarded', { event, guard });
}

/** A guard in words: by its type, or by its type and the outcome it tests (`someOutcomeIs` reject); else as named. */
function guardWords(guard: NonNullable<DiagramTransition['guard']>, w: Wording): string {
  const outcome = guard.params?.['outcome'];
  const keys = [...(typeof outcome === 'string' ? [`case.diagram.guard.${guard.type}_${outcome}`] : []), `case.diagram.guard.${guard.type}`];
  const key = keys.find((k) => w.te(k));
  return key ? w.t(key) : guard.type;
}

/** The diagram with its words, for the layout, and each state's look, for the shapes. */
export function labelledDiagram(diagram: Pick<CaseDiagram, 'states' | 'transitions'>, w: Wording): LabelledDiagram & { look: Map<string, StateLook> } {
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
export function whereTheCaseIs(diagram: Pick<CaseDiagram, 'states' | 'active'>, w: Wording): string[] {
  const byId = new Map(diagram.states.map((s) => [s.id, s]));
  const innermost = diagram.active.filter((id) => !diagram.active.some((other) => byId.get(other)?.parent === id));
  return innermost.flatMap((id) => {
    const state = byId.get(id);
    if (!state) return [];
    const name = stateLines(state, w)[0] ?? state.key;
    const parent = state.parent === null ? undefined : byId.get(state.parent);
    const region = parent && parent.type === 'compound' && byId.get(parent.parent ?? '')?.type === 'parallel' && !state.task;
    return [region ? w.t('case.diagram.inRegion', { region: stateName(parent.key, w), state: name }) : name];
  });
}
