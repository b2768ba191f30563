import elkBundled from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { definitionGraph } from '../../../engine/definitions/definition-graph.js';
import { borderId, elkInput, isMarker, markerId, textWidth, wrapLines } from '../../../diagram/diagram-elk.js';
import { labelledDiagram, transitionLabel, whereTheCaseIs } from '../../../diagram/diagram-labels.js';
import { diagramShapes } from '../../../diagram/diagram-shapes.js';
import { compileDefinition } from '../../../engine/definitions/process-definition.js';
import { asStored } from '../support/jsonb-order.js';
import { constructionPermit } from '../../../workflows/construction-permit.js';
import { roadOccupation } from '../../../workflows/road-occupation.js';
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
    // A return says where it goes, as the definition titles it; a withdrawal and the lead's moves by their event.
    expect(label('acceptance', 'task.returned')).toEqual(['退回申请人补正 Back to the applicant for a supplement']);
    expect(label('jointReview.fire.reviewing', 'task.returned').sort()).toEqual(['退回受理窗口 Back to the acceptance window', '退回牵头部门补正 Back to the lead department for correction']);
    expect(label('jointReview.fire', 'task.withdrawn', zh)).toEqual(['撤回']);
    expect(label('jointReview', 'review.closed')).toEqual(['review closed (after a rejection)']);
    expect(label('acceptance', 'members.changed', zh)).toEqual(['调整审查部门']);
    expect(label('jointReview', 'xstate.done.state.construction-permit.jointReview')).toEqual(['all done (any department rejected)', 'all done (otherwise)']);
    expect(label('jointReview', 'xstate.done.state.construction-permit.jointReview', zh)).toEqual(['全部办结（有部门不予同意）', '全部办结（否则）']);
    expect(label('publicNotice', 'period.ended')).toEqual(['period ended']);
    // Eventless: no one acts, the guard says why the case moves on.
    expect(label('jointReview.fire.entering', '')).toEqual(['takes no part', 'approval stands', 'rejection stands', 'otherwise']);
    expect(label('jointReview.fire.entering', '', zh)).toEqual(['不参与审查', '通过意见维持', '不予同意意见维持', '否则']);
  });

  it('a countersign step leads on by its outcome, in words', () => {
    const road = definitionGraph(compileDefinition(asStored(roadOccupation)));
    const label = (w: typeof en) => road.transitions.filter((t) => t.source === 'road-occupation.signOff' && t.event === '').map((t) => transitionLabel(t, road.transitions, w));
    expect(label(en)).toEqual(['step approved', 'step rejected']);
    expect(label(zh)).toEqual(['会签通过', '会签未通过']);
    // An eventless transition alone and unguarded is taken at once.
    const alone = { id: 'x', source: 'a', target: 'b', event: '', guard: null };
    expect(transitionLabel(alone, [alone], en)).toBe('at once');
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

  it('draws every transition within one level, each level laid out on its own', () => {
    expect(input.layoutOptions?.['elk.hierarchyHandling']).toBe('SEPARATE_CHILDREN');
    // Every edge joins children of the state holding it, or one of them and that state's border.
    const levels = (n: typeof input): string[] =>
      (n.edges ?? []).flatMap((e) => {
        const children = new Set([...(n.children ?? []).map((c) => c.id), ...(n.ports ?? []).map((p) => p.id)]);
        return [...e.sources, ...e.targets].filter((end) => !children.has(end)).map((end) => `${e.id} in ${n.id}: ${end}`);
      }).concat((n.children ?? []).flatMap(levels));
    expect(levels(input)).toEqual([]);
    const inFire = find('construction-permit.jointReview.fire')?.edges ?? [];
    expect(inFire.map((e) => e.id)).toContain(markerId('construction-permit.jointReview.fire'));
    // entering → skipped, approved, rejected, reviewing; reviewing → approved, rejected, its correction and back;
    // the region's withdrawal, from its border into the review.
    expect(inFire.filter((e) => !isMarker(e.id))).toHaveLength(9);
    expect(inFire.find((e) => e.sources[0] === borderId('construction-permit.jointReview.fire', 'from'))?.targets).toEqual(['construction-permit.jointReview.fire.reviewing']);
  });

  it('draws a return out of the joint review from the review’s box, once for the five members', () => {
    const back = '退回受理窗口 Back to the acceptance window';
    const drawn = (n: typeof input): NonNullable<typeof input.edges> => [...(n.edges ?? []), ...(n.children ?? []).flatMap(drawn)];
    const returns = drawn(input).filter((e) => e.labels?.[0]?.text === back);
    expect(returns).toHaveLength(1);
    expect(input.edges).toContainEqual(expect.objectContaining({ sources: ['construction-permit.jointReview'], targets: ['construction-permit.acceptance'] }));
    expect(returns[0]).toMatchObject({ sources: ['construction-permit.jointReview'], targets: ['construction-permit.acceptance'] });
    // Five transitions, one arrow: it takes the first one’s id, and ids stay unique.
    expect(returns[0]?.id).toBe(graph.transitions.find((t) => t.guard?.params?.['title'] === back)?.id);
    const ids = drawn(input).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // So does a member's withdrawal from the joint decision back into the review.
    const intoReview = (t: { source: string; target: string }) => t.source === 'construction-permit.jointDecision' && t.target === 'construction-permit.jointReview';
    expect(graph.transitions.filter((t) => intoReview(t) && t.event === 'task.withdrawn')).toHaveLength(5);
    const withdrawals = drawn(input).filter((e) => intoReview({ source: e.sources[0] as string, target: e.targets[0] as string }) && e.labels?.[0]?.text === 'withdrawn');
    expect(withdrawals).toHaveLength(1);
  });

  it('sizes a step to its words, a bilingual title broken between its Chinese and its English', () => {
    expect(wrapLines(['Correction for 消防设计审查 Fire protection review'])).toEqual(['Correction for 消防设计审查', 'Fire protection review']);
    expect(textWidth('消防')).toBe(24);
    // 退回牵头部门补正 / Back to the lead / department for correction / · 消防设计审查 / Fire protection review / Department: lead
    const step = find('construction-permit.jointReview.fire.returned-correction');
    expect(step?.width).toBeGreaterThanOrEqual(textWidth('department for correction'));
    expect(step?.height).toBe(6 * 16 + 14);
  });

  it('a transition between levels is drawn between the boxes holding its ends at one level; a state’s own, from its border', async () => {
    const states = [
      { id: 'r', parent: null, initial: 'r.a', lines: [] },
      { id: 'r.a', parent: 'r', initial: null, lines: ['a'] },
      { id: 'r.b', parent: 'r', initial: 'r.b.x', lines: ['b'] },
      { id: 'r.b.x', parent: 'r.b', initial: null, lines: ['x'] },
      { id: 'r.b.y', parent: 'r.b', initial: null, lines: ['y'] },
    ];
    const transitions = [
      { id: 'deep', source: 'r.a', target: 'r.b.y', label: 'go' },
      { id: 'back-x', source: 'r.b.x', target: 'r.a', label: 'back' },
      { id: 'back-y', source: 'r.b.y', target: 'r.a', label: 'back' },
      { id: 'cancel-y', source: 'r.b.y', target: 'r.a', label: 'cancel' },
      { id: 'again', source: 'r.b', target: 'r.b.y', label: 'again' },
      { id: 'restart', source: 'r.b.y', target: 'r.b', label: 'restart' },
    ];
    const nested = elkInput({ states, transitions });
    expect(nested.layoutOptions?.['elk.hierarchyHandling']).toBe('SEPARATE_CHILDREN');
    const ends = (edges: typeof nested.edges) => edges?.map((e) => [e.id, e.sources[0], e.targets[0], e.labels?.[0]?.text]);
    expect(ends(nested.edges)).toEqual([
      [markerId('r'), markerId('r'), 'r.a', undefined],
      ['deep', 'r.a', 'r.b', 'go'],
      ['back-x', 'r.b', 'r.a', 'back'],
      ['cancel-y', 'r.b', 'r.a', 'cancel'],
    ]);
    const b = nested.children?.find((n) => n.id === 'r.b');
    expect(ends(b?.edges)).toEqual([
      [markerId('r.b'), markerId('r.b'), 'r.b.x', undefined],
      ['again', borderId('r.b', 'from'), 'r.b.y', 'again'],
      ['restart', 'r.b.y', borderId('r.b', 'to'), 'restart'],
    ]);
    expect(b?.ports?.map((p) => p.id)).toEqual([borderId('r.b', 'from'), borderId('r.b', 'to')]);
    // ELK lays it out as it is (an edge to a state at another level it refuses): the state's own leaves its border.
    const laidOut = await new ELK().layout(nested);
    const box = laidOut.children?.find((n) => n.id === 'r.b');
    const start = box?.edges?.find((e) => e.id === 'again')?.sections?.[0]?.startPoint;
    expect(start && box && [box.x, (box.x ?? 0) + (box.width ?? 0)].includes(start.x)).toBe(true);
  });
});

describe('ELK’s layout as SVG shapes', () => {
  it('every state a box inside its parent’s, every transition a path with its label, the current states and the ways on marked', async () => {
    const labelled = labelledDiagram(graph, zh);
    const active = new Set(['construction-permit.jointReview', 'construction-permit.jointReview.fire', 'construction-permit.jointReview.fire.reviewing']);
    const shapes = diagramShapes(await new ELK().layout(elkInput(labelled)), labelled.look, active);
    expect(shapes.boxes).toHaveLength(graph.states.length - 1);
    expect(shapes.markers).toHaveLength(graph.states.filter((s) => s.initial).length);
    const input = elkInput(labelled);
    const edges = (n: typeof input): number => (n.edges?.length ?? 0) + (n.children ?? []).reduce((sum, c) => sum + edges(c), 0);
    expect(shapes.arrows).toHaveLength(edges(input));
    const box = (id: string) => shapes.boxes.find((b) => b.id === `construction-permit.${id}`)!;
    const inside = (inner: ReturnType<typeof box>, outer: ReturnType<typeof box>) =>
      inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
    expect(inside(box('jointReview.fire.reviewing'), box('jointReview.fire'))).toBe(true);
    expect(inside(box('jointReview.fire'), box('jointReview'))).toBe(true);
    expect(box('acceptance').x).toBeLessThan(box('jointReview').x); // the process reads left to right
    // A region reads left to right too: entering, the review, its outcomes.
    expect(box('jointReview.fire.entering').x).toBeLessThan(box('jointReview.fire.reviewing').x);
    for (const next of ['approved', 'rejected', 'returned-correction']) expect(box('jointReview.fire.reviewing').x).toBeLessThan(box(`jointReview.fire.${next}`).x);
    for (const next of ['jointDecision', 'publicNotice', 'issued']) expect(box('jointReview').x).toBeLessThan(box(next).x);
    expect(shapes.boxes.filter((b) => b.active).map((b) => b.id)).toEqual([...active]);
    for (const b of shapes.boxes) expect(b.x + b.width <= shapes.width && b.y + b.height <= shapes.height).toBe(true);
    for (const a of shapes.arrows) expect(a.path).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+$/);
    // The arrows the fire review leads by inside its region.
    const nodes = (n: typeof input): (typeof input)[] => [n, ...(n.children ?? []).flatMap(nodes)];
    const inFire = new Set(nodes(input).find((n) => n.id === 'construction-permit.jointReview.fire')?.edges?.map((e) => e.id));
    const fromFire = shapes.arrows.filter((a) => inFire.has(a.id) && a.id.startsWith('construction-permit.jointReview.fire.reviewing:'));
    expect(fromFire.map((a) => [a.label?.text, a.active]).sort()).toEqual([
      ['不予同意', true],
      ['退回牵头部门补正 Back to the lead department for correction', true],
      ['通过', true],
    ]);
    // The return to the window leaves the joint review's box (any member may take it while the review runs).
    const toWindow = shapes.arrows.filter((a) => a.label?.text === '退回受理窗口 Back to the acceptance window');
    expect(toWindow.map((a) => a.active)).toEqual([true]);
    const [start, end] = [toWindow[0]!.path.match(/^M([\d.]+) ([\d.]+)/)!, toWindow[0]!.path.match(/L([\d.]+) ([\d.]+)$/)!].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const onBorder = (p: { x: number; y: number }, b: ReturnType<typeof box>) =>
      [b.x, b.x + b.width].some((x) => Math.abs(p.x - x) < 1) && p.y >= b.y && p.y <= b.y + b.height;
    expect(onBorder(start!, box('jointReview'))).toBe(true);
    expect(onBorder(end!, box('acceptance'))).toBe(true);
    // The region's withdrawal comes in from its border, and is a way on while the case is in the region.
    expect(shapes.arrows.find((a) => a.id === 'construction-permit.jointReview.fire:0:0')?.active).toBe(true);
    expect(shapes.arrows.find((a) => a.id.startsWith('construction-permit.acceptance:'))?.active).toBe(false);
    // A step's words are inside its box.
    const reviewing = box('jointReview.fire.reviewing');
    for (const line of reviewing.lines) expect(line.y > reviewing.y && line.y < reviewing.y + reviewing.height).toBe(true);
  });
});
