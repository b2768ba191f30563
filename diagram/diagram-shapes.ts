import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { isMarker, PAD, stateOfEnd, TEXT, wrapLines } from './diagram-elk.js';

/**
 * ELK's answer (`elk.layout(elkInput(…))`, coordinates in the root's frame) as SVG shapes: a box per state —
 * a rounded box for a step, a box with a title band around a compound state, dashed around each region of a
 * parallel state, a double border for a final state — a dot per start marker, and a path per transition with
 * its label. The states the case is in are marked, and so are the transitions leaving them.
 */

export const BOX_KINDS = ['state', 'final', 'compound', 'parallel', 'region'] as const;
export type BoxKind = (typeof BOX_KINDS)[number];

export interface Box {
  readonly id: string;
  readonly kind: BoxKind;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The lines of text, each with its baseline. */
  readonly lines: readonly { readonly text: string; readonly x: number; readonly y: number }[];
  readonly active: boolean;
}

export interface Arrow {
  readonly id: string;
  /** An SVG path through ELK's route: start, bends, end. */
  readonly path: string;
  readonly label: { readonly text: string; readonly x: number; readonly y: number } | null;
  /** It leaves a state the case is in: one of the ways on from here. */
  readonly active: boolean;
}

export interface Shapes {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly Box[];
  readonly markers: readonly { readonly id: string; readonly cx: number; readonly cy: number; readonly r: number }[];
  readonly arrows: readonly Arrow[];
}

/** What the layout does not know of a state: its kind of box and its words. */
export interface StateLook {
  readonly kind: BoxKind;
  readonly lines: readonly string[];
}

/**
 * The shapes of a laid-out diagram; `look` gives each state's box and words, `active` the states the case is
 * in. Boxes come outermost first, so that inner ones are drawn on top.
 */
export function diagramShapes(laidOut: ElkNode, look: ReadonlyMap<string, StateLook>, active: ReadonlySet<string>): Shapes {
  const boxes: Box[] = [];
  const markers: Shapes['markers'][number][] = [];
  const edges: ElkExtendedEdge[] = [...(laidOut.edges ?? [])];
  const visit = (node: ElkNode): void => {
    for (const child of node.children ?? []) {
      const { x = 0, y = 0, width = 0, height = 0 } = child;
      const state = look.get(child.id);
      if (state) {
        const compound = (child.children?.length ?? 0) > 0;
        // A step's words are centred in it; a compound state's name heads its box.
        const lines = wrapLines(state.lines).map((text, i, all) => ({
          text,
          x: compound ? x + PAD.x : x + width / 2,
          y: compound ? y + PAD.y + (i + 1) * TEXT.lineHeight - 4 : y + height / 2 + (i - (all.length - 1) / 2) * TEXT.lineHeight + TEXT.size / 2 - 2,
        }));
        boxes.push({ id: child.id, kind: state.kind, x, y, width, height, lines, active: active.has(child.id) });
      } else if (isMarker(child.id)) {
        markers.push({ id: child.id, cx: x + width / 2, cy: y + height / 2, r: width / 2 });
      }
      edges.push(...(child.edges ?? []));
      visit(child);
    }
  };
  visit(laidOut);
  const arrows = edges.map((edge): Arrow => {
    const points = (edge.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
    const label = edge.labels?.[0];
    return {
      id: edge.id,
      path: points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)} ${round(p.y)}`).join(' '),
      label: label?.text ? { text: label.text, x: (label.x ?? 0) + 2, y: (label.y ?? 0) + TEXT.size } : null,
      active: edge.sources.some((s) => active.has(stateOfEnd(s))),
    };
  });
  return { width: laidOut.width ?? 0, height: laidOut.height ?? 0, boxes, markers, arrows };
}

const round = (n: number) => Math.round(n * 10) / 10;
