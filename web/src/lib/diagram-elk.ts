import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';

/**
 * A process diagram as ELK's input: the definition's states as nested nodes (a parallel state's regions inside
 * it), sized from their words, each compound state with a start marker pointing at its initial child, and the
 * transitions as labelled edges, each in the node that contains both its ends. Layout-independent: ELK (its
 * layered algorithm) places it; `diagram-shapes.ts` turns its answer into SVG shapes.
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
 * Each level laid out left to right in the definition's order (acceptance before review before decision, as
 * people read the process): a loop back — a correction returning to its review — is drawn backwards rather
 * than the review after its correction.
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
  for (const s of diagram.states) if (s.initial) parentOf.set(markerId(s.id), s.id);

  const edges: ElkExtendedEdge[] = [
    ...diagram.states.filter((s) => s.initial).map((s) => ({ id: markerId(s.id), sources: [markerId(s.id)], targets: [s.initial as string] })),
    ...diagram.transitions.map((t) => ({
      id: t.id,
      sources: [t.source],
      targets: [t.target],
      labels: [{ id: `${t.id}::label`, text: t.label, width: textWidth(t.label) + 4, height: TEXT.lineHeight }],
    })),
  ];
  const ancestors = (id: string): string[] => {
    const parent = parentOf.get(id);
    return parent === undefined ? [] : [parent, ...ancestors(parent)];
  };
  // The node an edge belongs to: the innermost containing both ends (the source itself when it contains the target).
  const containerOf = (source: string, target: string): string => {
    const above = ancestors(target);
    return above.includes(source) ? source : (ancestors(source).find((a) => above.includes(a)) ?? root.id);
  };
  const edgesIn = new Map<string, ElkExtendedEdge[]>();
  let crossesLevels = false;
  for (const e of edges) {
    const [source, target] = [e.sources[0] as string, e.targets[0] as string];
    const container = containerOf(source, target);
    crossesLevels ||= parentOf.get(source) !== container || parentOf.get(target) !== container;
    edgesIn.set(container, [...(edgesIn.get(container) ?? []), e]);
  }

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
    return {
      id: state.id,
      layoutOptions: {
        // Laid out with the root's options when every level is laid out at once.
        ...(crossesLevels ? {} : LAYERED),
        'elk.padding': `[top=${top},left=${PAD.x},bottom=${PAD.x},right=${PAD.x}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${linesWidth(lines) + 2 * PAD.x},${top})`,
      },
      children: nodesOf(state),
      edges: edgesIn.get(state.id) ?? [],
    };
  };
  return {
    id: root.id,
    layoutOptions: {
      ...LAYERED,
      // Each level on its own (the definition's order holds inside regions too); a transition into or out of a
      // nested state needs every level laid out at once.
      'elk.hierarchyHandling': crossesLevels ? 'INCLUDE_CHILDREN' : 'SEPARATE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
    },
    children: nodesOf(root),
    edges: edgesIn.get(root.id) ?? [],
  };
}
