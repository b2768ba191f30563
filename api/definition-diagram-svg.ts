import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { catalogueWords, type Language, type Words } from '../diagram/catalogue-words.js';
import { elkInput } from '../diagram/diagram-elk.js';
import { diagramLabel, labelledDiagram, whereTheCaseIs } from '../diagram/diagram-labels.js';
import { diagramShapes, type Shapes, type StateLook } from '../diagram/diagram-shapes.js';
import { diagramSvg } from '../diagram/diagram-svg.js';
import processWords from '../diagram/process-words.js';
import { definitionGraph, type DefinitionGraph } from '../engine/definitions/definition-graph.js';
import type { CompiledDefinition } from '../engine/definitions/process-definition.js';
import { layoutOffThread } from './elk-layout.js';

export interface DiagramRequest {
  /** The states a case is in (`activeStateIds`), highlighted; null to draw the process alone. */
  readonly active: readonly string[] | null;
  readonly language: Language;
}

/**
 * A definition's diagram as an SVG document: its states and transitions (`definitionGraph`), in the reader's
 * language, laid out by ELK exactly as the workspace lays out a case's diagram (`diagram/`), and for a case the
 * states it is in marked, and named in the document's title. The same definition, states and language always
 * give the same document.
 *
 * @example
 * const svg = await definitionDiagramSvg(await catalog.definition('construction-permit', 5), { active: null, language: 'en' });
 */
export async function definitionDiagramSvg(definition: CompiledDefinition, { active, language }: DiagramRequest): Promise<string> {
  const w = catalogueWords(processWords, language);
  const { graph, look, laidOut } = await layoutOf(definition, language, w);
  const where = active === null ? null : whereTheCaseIs({ states: graph.states, active }, w);
  return diagramSvg(diagramShapes(laidOut, look, new Set(active)), { label: diagramLabel(definition.title, where, w) });
}

/**
 * A definition's diagram laid out, as the shapes the workspace draws (`DiagramSvg.vue`): the same layout as
 * {@link definitionDiagramSvg}'s, so that a page showing a case's process runs no ELK of its own.
 *
 * @example
 * const shapes = await definitionDiagramShapes(definition, { active: activeStateIds(definition, snapshot), language: 'zh-CN' });
 */
export async function definitionDiagramShapes(definition: CompiledDefinition, { active, language }: DiagramRequest): Promise<Shapes> {
  const { look, laidOut } = await layoutOf(definition, language, catalogueWords(processWords, language));
  return diagramShapes(laidOut, look, new Set(active));
}

/**
 * How many layouts are kept. A layout costs ELK about a second of CPU (the states a case is in only colour it),
 * and a definition version never changes, so each is laid out once per language; the least recently drawn
 * goes first when more are asked for (drafts, every version of every process).
 */
const LAYOUTS_KEPT = 64;
const layouts = new Map<string, Promise<{ graph: DefinitionGraph; look: ReadonlyMap<string, StateLook>; laidOut: ElkNode }>>();

function layoutOf(definition: CompiledDefinition, language: Language, w: Words) {
  // The checksum too: a draft is laid out again whenever its content changes under the same key and version.
  const id = JSON.stringify([definition.key, definition.version, definition.checksum, language]);
  const kept = layouts.get(id);
  if (kept) {
    layouts.delete(id);
    layouts.set(id, kept);
    return kept;
  }
  const graph = definitionGraph(definition);
  const { look, ...labelled } = labelledDiagram(graph, w);
  const layout = layoutOffThread(elkInput(labelled)).then((laidOut) => ({ graph, look, laidOut }));
  layouts.set(id, layout);
  layout.catch(() => layouts.delete(id));
  for (const oldest of layouts.keys()) {
    if (layouts.size <= LAYOUTS_KEPT) break;
    layouts.delete(oldest);
  }
  return layout;
}
