import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';

/**
 * A process diagram as ELK's input: the definition's states as nested nodes (a parallel state's regions inside
 * it), sized from their words, each compound state with a start marker pointing at its initial child, and the
 * transitions as labelled edges. Layout-independent: ELK (its layered algorithm) places it; `diagram-shapes.ts`
 * turns its answer into SVG shapes.
 *
 * Each level is laid out on its own, so every edge stays within one state, as statechart tools draw them: a
 * transition between states at different levels — a member's return from inside the joint review to the
 * acceptance window — is drawn from (to) the box that holds its source (target) at the level of the innermost
 * state holding both ends (from the joint review's box to the window); one of a state's own transitions into a
 * state inside it, from its border. Transitions drawn with the same ends and the same words are one arrow (five
 * members' identical returns).
 */

/** A state with the words it shows. */
export interface LabelledState {
  readonly id: string;
  readonly parent: string | null;
  readonly initial: string | null;
  readonly lines: readonly string[];
}

export interface LabelledTransition {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label: string;
}

export interface LabelledDiagram {
  /** Every state, the root (the machine, drawn as the canvas, not a box) first and parents before children. */
  readonly states: readonly LabelledState[];
  readonly transitions: readonly LabelledTransition[];
}

/** Text metrics the shapes are drawn with (px). */
export const TEXT = { size: 12, lineHeight: 16 } as const;
export const PAD = { x: 10, y: 7 } as const;
const MIN_WIDTH = 90;
const MAX_LINE = 190;
const MARKER = 12;

/** The id of a compound state's start marker (a node of its own), and of its edge to the initial child. */
export const markerId = (stateId: string): string => `${stateId}${MARKER_SUFFIX}`;
const MARKER_SUFFIX = '::initial';
export const isMarker = (id: string): boolean => id.endsWith(MARKER_SUFFIX);

/**
 * The id of a compound state's border (an ELK port) where its transitions to a state inside it leave (`from`), or
 * where those from a state inside it to the state itself end (`to`).
 */
export const borderId = (stateId: string, end: 'from' | 'to'): string => `${stateId}${BORDER}${end}`;
const BORDER = '::border-';
/** The state an edge's end is: the state itself, or the state whose border it is. */
export const stateOfEnd = (id: string): string => (id.includes(BORDER) ? id.slice(0, id.lastIndexOf(BORDER)) : id);

/**
 * Each level laid out left to right in the definition's order (acceptance before review before decision, as
 * people read the process): a loop back — a correction returning to its review — is drawn backwards rather
 * than the review after its correction. The root lays out every level on its own (`SEPARATE_CHILDREN`), so that
 * the order holds inside regions too.
 */
const LAYERED: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.spacing.nodeNode': '18',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.edgeLabel': '3',
  // The regions of a parallel state, unconnected, in one column (side by side they run off the page).
  'elk.separateConnectedComponents': 'false',
};

/**
 * The width of a text in the diagram's font, estimated without a DOM: a CJK character is a square (1 em), any
 * other about 0.6 em. Generous rather than tight, so that no label overflows its box.
 */
export function textWidth(text: string): number {
  let ems = 0;
  for (const ch of text) ems += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6;
  return Math.ceil(ems * TEXT.size);
}

/**
 * Lines no wider than a box should be: a bilingual title ("消防设计审查 Fire protection review") breaks between
 * its Chinese and its English first, then any line between words.
 */
export function wrapLines(lines: readonly string[], max = MAX_LINE): string[] {
  return lines.flatMap((line) => {
    if (textWidth(line) <= max) return [line];
    const pieces = line.split(/(?<=[\u2e80-\u9fff\uff00-\uffef]) (?=[A-Za-z])/);
    return pieces.flatMap((piece) => {
      const out: string[] = [];
      for (const word of piece.split(' ')) {
        const last = out.at(-1);
        if (last !== undefined && textWidth(`${last} ${word}`) <= max) out[out.length - 1] = `${last} ${word}`;
        else out.push(word);
      }
      return out;
    });
  });
}

const linesWidth = (lines: readonly string[]) => Math.max(0, ...lines.map(textWidth));

/** The graph for `elk.layout`, its coordinates asked for in the root's frame (shapes and edges alike). */
export function elkInput(diagram: LabelledDiagram): ElkNode {
  const [root, ...rest] = diagram.states;
  if (!root) throw new TypeError('a diagram has at least its root state');
  const childrenOf = new Map<string, LabelledState[]>();
  const parentOf = new Map<string, string>();
  for (const s of rest) {
    const parent = s.parent ?? root.id;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), s]);
    parentOf.set(s.id, parent);
  }

  const { edgesIn, borders } = drawnEdges(diagram, root.id, parentOf);
  const nodesOf = (parent: LabelledState): ElkNode[] => {
    const children = (childrenOf.get(parent.id) ?? []).map(nodeOf);
    return parent.initial ? [{ id: markerId(parent.id), width: MARKER, height: MARKER }, ...children] : children;
  };
  const nodeOf = (state: LabelledState): ElkNode => {
    const lines = wrapLines(state.lines);
    if (!childrenOf.has(state.id)) {
      return { id: state.id, width: Math.max(MIN_WIDTH, linesWidth(lines) + 2 * PAD.x), height: lines.length * TEXT.lineHeight + 2 * PAD.y };
    }
    // A box around its children, its name above them: room at the top for the name's lines.
    const top = lines.length * TEXT.lineHeight + 2 * PAD.y;
    const ports = borders.get(state.id);
    return {
      id: state.id,
      layoutOptions: {
        ...LAYERED,
        'elk.padding': `[top=${top},left=${PAD.x},bottom=${PAD.x},right=${PAD.x}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${linesWidth(lines) + 2 * PAD.x},${top})`,
      },
      ...(ports ? { ports: [...ports].map((id) => ({ id })) } : {}),
      children: nodesOf(state),
      edges: edgesIn.get(state.id) ?? [],
    };
  };
  return {
    id: root.id,
    layoutOptions: {
      ...LAYERED,
      'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
    },
    children: nodesOf(root),
    edges: edgesIn.get(root.id) ?? [],
  };
}

/**
 * The edges each state holds (the root's id for the canvas), and the borders (ports) they need on compound states.
 * An arrow drawing several transitions takes the id of the first of them, so that ids stay unique and stable.
 */
function drawnEdges(diagram: LabelledDiagram, rootId: string, parentOf: ReadonlyMap<string, string>) {
  const outward = (id: string): string[] => {
    const parent = parentOf.get(id);
    return parent === undefined ? [id] : [id, ...outward(parent)];
  };
  // The state an edge is drawn in: the innermost holding both ends (a state holds itself and the states inside
  // it); a loop, in the parent of its state.
  const containerOf = (source: string, target: string): string => {
    if (source === target) return parentOf.get(source) ?? rootId;
    const around = outward(target);
    return outward(source).find((s) => around.includes(s)) ?? rootId;
  };
  const borders = new Map<string, Set<string>>();
  // An end as drawn in its container: the container's child holding it, or the container's border.
  const drawnEnd = (end: string, container: string, side: 'from' | 'to'): string => {
    if (end !== container) return outward(end).find((s) => parentOf.get(s) === container) ?? end;
    const border = borderId(container, side);
    borders.set(container, (borders.get(container) ?? new Set()).add(border));
    return border;
  };

  const edgesIn = new Map<string, ElkExtendedEdge[]>();
  const add = (container: string, edge: ElkExtendedEdge) => edgesIn.set(container, [...(edgesIn.get(container) ?? []), edge]);
  for (const s of diagram.states) if (s.initial) add(s.id, { id: markerId(s.id), sources: [markerId(s.id)], targets: [s.initial] });
  const drawn = new Set<string>();
  for (const t of diagram.transitions) {
    const container = containerOf(t.source, t.target);
    const [source, target] = [drawnEnd(t.source, container, 'from'), drawnEnd(t.target, container, 'to')];
    const key = JSON.stringify([source, target, t.label]);
    if (drawn.has(key)) continue;
    drawn.add(key);
    add(container, { id: t.id, sources: [source], targets: [target], labels: [{ id: `${t.id}::label`, text: t.label, width: textWidth(t.label) + 4, height: TEXT.lineHeight }] });
  }
  return { edgesIn, borders };
}
