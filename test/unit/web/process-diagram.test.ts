import elkBundled from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { definitionGraph } from '../../../engine/definitions/definition-graph.js';
import { elkInput, isMarker, markerId, textWidth, wrapLines } from '../../../web/src/lib/diagram-elk.js';
import { labelledDiagram, transitionLabel, whereTheCaseIs } from '../../../web/src/lib/diagram-labels.js';
import { diagramShapes } from '../../../web/src/lib/diagram-shapes.js';
import { compileDefinition } from '../../../engine/definitions/process-definition.js';
import { asStored } from '../support/jsonb-order.js';
import { constructionPermit } from '../../../workflows/construction-permit.js';
import casePage from '../../../web/src/pages/case/messages.js';
import { pageWording } from './support/page-wording.js';

/** ELK's bundled build, as the page loads it (a CommonJS module here: its constructor is also its `default`). */
const ELK = elkBundled.default;
const zh = pageWording('zh-CN', casePage);
const en = pageWording('en', casePage);
/** The diagram the API answers for a construction permit (`GET /api/cases/{id}/diagram`): of the definition as stored. */
const graph = definitionGraph(compileDefinition(asStored(constructionPermit)));

describe('the words of a process diagram', () => {
  const labelled = labelledDiagram(graph, en);
  const look = (id: string) => labelled.look.get(`construction-permit.${id}`);

  it('a step shows the task it opens and its department; other states their name, and what they do', () => {
    expect(look('jointReview.fire.reviewing')).toEqual({ kind: 'state', lines: ['消防设计审查 Fire protection review', 'Department: fire'] });
    expect(look('supplement')).toEqual({ kind: 'state', lines: ['Waiting for the supplement', 'clocks paused (supplement)'] });
    expect(look('publicNotice')?.lines).toEqual(['Public notice', 'clocks paused (public notice)', '5 working days']);
    expect(labelledDiagram(graph, zh).look.get('construction-permit.publicNotice')?.lines).toEqual(['公示', '计时暂停（公示）', '5 个工作日']);
  });

  it('says where the case is: the steps open, a region done by its name, a state by its name', () => {
    const active = [
      'construction-permit.jointReview',
      'construction-permit.jointReview.fire',
      'construction-permit.jointReview.fire.approved',
      'construction-permit.jointReview.water',
      'construction-permit.jointReview.water.reviewing',
    ];
    expect(whereTheCaseIs({ states: graph.states, active }, en)).toEqual(['fire: Approved', '水务审查 Water review']);
    expect(whereTheCaseIs({ states: graph.states, active }, zh)).toEqual(['fire：已通过', '水务审查 Water review']);
    expect(whereTheCaseIs({ states: graph.states, active: ['construction-permit.supplement'] }, zh)).toEqual(['等待补正']);
  });

  it('boxes by kind: the parallel joint review, its regions, final states; the root is the canvas, not a box', () => {
    expect(look('jointReview')?.kind).toBe('parallel');
    expect(look('jointReview.fire')).toEqual({ kind: 'region', lines: ['fire'] });
    expect(look('issued')?.kind).toBe('final');
    expect(labelled.look.has('construction-permit')).toBe(false);
  });

  it('a transition is labelled by its outcome or event, with a guard that is more than “for this task”', () => {
    const label = (source: string, event: string, w = en) => {
      const t = graph.transitions.filter((x) => x.source === `construction-permit.${source}` && x.event === event);
      return t.map((x) => transitionLabel(x, graph.transitions, w));
    };
    expect(label('acceptance', 'task.returned')).toEqual(['returned']);
    expect(label('jointReview', 'xstate.done.state.construction-permit.jointReview')).toEqual(['all done (any department rejected)', 'all done (otherwise)']);
    expect(label('jointReview', 'xstate.done.state.construction-permit.jointReview', zh)).toEqual(['全部办结（有部门不予同意）', '全部办结（否则）']);
    expect(label('publicNotice', 'period.ended')).toEqual(['period ended']);
  });
});

describe('the diagram as ELK’s input', () => {
  const input = elkInput(labelledDiagram(graph, en));
  const find = (id: string, nodes = input.children ?? []): (typeof nodes)[number] | undefined =>
    nodes.map((n) => (n.id === id ? n : find(id, n.children ?? []))).find((n) => n !== undefined);

  it('nests the states as the machine does, each compound state with a start marker before its children', () => {
    expect(input.children?.map((n) => n.id)).toEqual([markerId('construction-permit'), ...graph.states.filter((s) => s.parent === 'construction-permit').map((s) => s.id)]);
    const review = find('construction-permit.jointReview');
    expect(review?.children?.map((n) => n.id).sort()).toEqual(['civil-air-defence', 'ecology', 'fire', 'planning', 'water'].map((d) => `construction-permit.jointReview.${d}`));
    expect(find('construction-permit.jointReview.fire')?.children?.[0]?.id).toBe(markerId('construction-permit.jointReview.fire'));
  });

  it('puts each transition in the innermost state holding both its ends, and every level is laid out on its own', () => {
    const inFire = find('construction-permit.jointReview.fire')?.edges?.map((e) => e.id) ?? [];
    expect(inFire).toContain(markerId('construction-permit.jointReview.fire'));
    expect(inFire.filter((id) => !isMarker(id))).toHaveLength(4); // approved, returned, rejected; the correction back
    const all = (n: typeof input): number => (n.edges?.length ?? 0) + (n.children ?? []).reduce((sum, c) => sum + all(c), 0);
    expect(all(input)).toBe(graph.transitions.length + graph.states.filter((s) => s.initial).length);
    expect(input.layoutOptions?.['elk.hierarchyHandling']).toBe('SEPARATE_CHILDREN');
  });

  it('sizes a step to its words, a bilingual title broken between its Chinese and its English', () => {
    expect(wrapLines(['Correction for 消防设计审查 Fire protection review'])).toEqual(['Correction for 消防设计审查', 'Fire protection review']);
    expect(textWidth('消防')).toBe(24);
    const step = find('construction-permit.jointReview.fire.correcting');
    expect(step?.width).toBeGreaterThanOrEqual(textWidth('Correction for 消防设计审查'));
    expect(step?.height).toBe(3 * 16 + 14);
  });

  it('a transition into a nested state lays out every level at once', () => {
    const nested = elkInput({
      states: [
        { id: 'r', parent: null, initial: 'r.a', lines: [] },
        { id: 'r.a', parent: 'r', initial: null, lines: ['a'] },
        { id: 'r.b', parent: 'r', initial: 'r.b.x', lines: ['b'] },
        { id: 'r.b.x', parent: 'r.b', initial: null, lines: ['x'] },
        { id: 'r.b.y', parent: 'r.b', initial: null, lines: ['y'] },
      ],
      transitions: [{ id: 'deep', source: 'r.a', target: 'r.b.y', label: 'go' }],
    });
    expect(nested.layoutOptions?.['elk.hierarchyHandling']).toBe('INCLUDE_CHILDREN');
    expect(nested.edges?.map((e) => e.id)).toContain('deep');
  });
});

describe('ELK’s layout as SVG shapes', () => {
  it('every state a box inside its parent’s, every transition a path with its label, the current states and the ways on marked', async () => {
    const labelled = labelledDiagram(graph, zh);
    const active = new Set(['construction-permit.jointReview', 'construction-permit.jointReview.fire', 'construction-permit.jointReview.fire.reviewing']);
    const shapes = diagramShapes(await new ELK().layout(elkInput(labelled)), labelled.look, active);
    expect(shapes.boxes).toHaveLength(graph.states.length - 1);
    expect(shapes.markers).toHaveLength(graph.states.filter((s) => s.initial).length);
    expect(shapes.arrows).toHaveLength(graph.transitions.length + shapes.markers.length);
    const box = (id: string) => shapes.boxes.find((b) => b.id === `construction-permit.${id}`)!;
    const inside = (inner: ReturnType<typeof box>, outer: ReturnType<typeof box>) =>
      inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
    expect(inside(box('jointReview.fire.reviewing'), box('jointReview.fire'))).toBe(true);
    expect(inside(box('jointReview.fire'), box('jointReview'))).toBe(true);
    expect(box('acceptance').x).toBeLessThan(box('jointReview').x); // the process reads left to right
    for (const next of ['approved', 'rejected', 'correcting']) expect(box('jointReview.fire.reviewing').x).toBeLessThan(box(`jointReview.fire.${next}`).x);
    for (const next of ['jointDecision', 'publicNotice', 'issued']) expect(box('jointReview').x).toBeLessThan(box(next).x);
    expect(shapes.boxes.filter((b) => b.active).map((b) => b.id)).toEqual([...active]);
    for (const b of shapes.boxes) expect(b.x + b.width <= shapes.width && b.y + b.height <= shapes.height).toBe(true);
    for (const a of shapes.arrows) expect(a.path).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+$/);
    const fromFire = shapes.arrows.filter((a) => a.id.startsWith('construction-permit.jointReview.fire.reviewing:'));
    expect(fromFire.map((a) => [a.label?.text, a.active]).sort()).toEqual([
      ['不予同意', true],
      ['退回', true],
      ['通过', true],
    ]);
    expect(shapes.arrows.find((a) => a.id.startsWith('construction-permit.acceptance:'))?.active).toBe(false);
    // A step's words are inside its box.
    const reviewing = box('jointReview.fire.reviewing');
    for (const line of reviewing.lines) expect(line.y > reviewing.y && line.y < reviewing.y + reviewing.height).toBe(true);
  });
});
