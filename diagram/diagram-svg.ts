import type { Box, Shapes } from './diagram-shapes.js';

/**
 * The shapes of a laid-out diagram (`diagram-shapes.ts`) as one self-contained SVG document: every look a
 * presentation attribute (no stylesheet, no font or image to fetch), so that it reads the same in the workspace, in
 * a browser tab, embedded as an image or printed. Each state is a `<g data-state="<id>">` holding its box, its words
 * and a `<title>` of them; the states the case is in carry the class `active`, `aria-current` and a thick blue border,
 * and the arrows leaving them are blue. The same shapes always give the same text.
 */

export interface SvgOptions {
  /** What the diagram is (and where the case is), said to those who do not see it: its `<title>` and `aria-label`. */
  readonly label: string;
  /** Scaled to the width it is given (100%), or drawn at its natural size. */
  readonly fit?: boolean;
  /** More attributes of the `<svg>` element, e.g. a test's hook. */
  readonly attributes?: Readonly<Record<string, string>>;
}

const INK = '#1c2430';
const LINE = '#6b7480';
const ACCENT = '#0b5cad';
const FONT = 'system-ui, PingFang SC, Microsoft YaHei, sans-serif';

/** Fill and dash of a box by its kind: a step white, a compound state shaded, a region dashed. */
const BOX_LOOK: Readonly<Record<Box['kind'], { readonly fill: string; readonly dash?: string }>> = {
  state: { fill: '#fff' },
  final: { fill: '#fff' },
  compound: { fill: '#f7f9fc' },
  parallel: { fill: '#f7f9fc' },
  region: { fill: '#fbfcfe', dash: '5 3' },
};

/**
 * The SVG document of a diagram.
 *
 * @example
 * diagramSvg(shapes, { label: 'Process diagram: 工程建设项目施工许可 Construction permit' });
 * // '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1634 1210" … role="img" …><title>Process diagram: …'
 */
export function diagramSvg(shapes: Shapes, options: SvgOptions): string {
  const size = options.fit ? { width: '100%' } : { width: num(shapes.width), height: num(shapes.height) };
  const root = attrs({
    xmlns: 'http://www.w3.org/2000/svg',
    viewBox: `0 0 ${num(shapes.width)} ${num(shapes.height)}`,
    ...size,
    role: 'img',
    'aria-label': options.label,
    'font-family': FONT,
    'font-size': 12,
    ...options.attributes,
  });
  return [
    `<svg${root}>`,
    `<title>${escape(options.label)}</title>`,
    '<defs>',
    arrowHead('diagram-arrow', LINE),
    arrowHead('diagram-arrow-active', ACCENT),
    '</defs>',
    `<rect${attrs({ width: num(shapes.width), height: num(shapes.height), fill: '#fff' })}/>`,
    ...shapes.boxes.map(boxSvg),
    ...shapes.markers.map((m) => `<circle${attrs({ cx: num(m.cx), cy: num(m.cy), r: num(m.r), fill: INK })}/>`),
    ...shapes.arrows.map((a) =>
      [
        `<g${attrs({ class: a.active ? 'arrow active' : 'arrow', 'data-transition': a.id })}>`,
        `<path${attrs({ d: a.path, fill: 'none', stroke: a.active ? ACCENT : LINE, 'stroke-width': a.active ? 2 : 1.2, 'marker-end': `url(#${a.active ? 'diagram-arrow-active' : 'diagram-arrow'})` })}/>`,
        a.label ? `<text${attrs({ x: num(a.label.x), y: num(a.label.y), fill: a.active ? '#094a8a' : '#2b3440', 'font-size': 11, ...(a.active ? { 'font-weight': 600 } : {}) })}>${escape(a.label.text)}</text>` : '',
        '</g>',
      ].join(''),
    ),
    '</svg>',
  ].join('\n');
}

function boxSvg(box: Box): string {
  const step = box.kind === 'state' || box.kind === 'final';
  const look = BOX_LOOK[box.kind];
  const group = attrs({ class: `box ${box.kind}${box.active ? ' active' : ''}`, 'data-state': box.id, 'data-active': String(box.active), ...(box.active ? { 'aria-current': 'step' } : {}) });
  const frame = { x: num(box.x), y: num(box.y), width: num(box.width), height: num(box.height), rx: step ? 8 : 4 };
  const border = box.active ? { stroke: ACCENT, 'stroke-width': 3 } : { stroke: LINE, 'stroke-width': 1 };
  const fill = box.active && step ? '#e3eefb' : look.fill;
  return [
    `<g${group}>`,
    `<title>${escape(box.lines.map((l) => l.text).join(' '))}</title>`,
    `<rect${attrs({ ...frame, fill, ...border, ...(look.dash ? { 'stroke-dasharray': look.dash } : {}) })}/>`,
    box.kind === 'final' ? `<rect${attrs({ x: num(box.x + 3), y: num(box.y + 3), width: num(box.width - 6), height: num(box.height - 6), rx: 6, fill: 'none', stroke: LINE })}/>` : '',
    ...box.lines.map((line) => `<text${attrs({ x: num(line.x), y: num(line.y), fill: INK, 'text-anchor': step ? 'middle' : 'start', ...(step ? {} : { 'font-weight': 600 }) })}>${escape(line.text)}</text>`),
    '</g>',
  ].join('');
}

function arrowHead(id: string, fill: string): string {
  return `<marker${attrs({ id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' })}><path d="M0,0 L10,5 L0,10 z" fill="${fill}"/></marker>`;
}

/** Attributes in the order given, each value escaped. */
function attrs(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escape(String(value))}"`)
    .join('');
}

/** Text safe inside an element or an attribute: a definition's titles are data, never markup. */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Coordinates to a tenth of a pixel: the layout's floating-point noise is not part of the drawing. */
const num = (n: number): number => Math.round(n * 10) / 10;
