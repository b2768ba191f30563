import { describe, expect, it } from 'vitest';
import { definitionDiagramSvg } from '../../../api/definition-diagram-svg.js';
import type { Shapes } from '../../../diagram/diagram-shapes.js';
import { diagramSvg } from '../../../diagram/diagram-svg.js';
import { compileDefinition } from '../../../engine/definitions/process-definition.js';
import { roadOccupation } from '../../../workflows/road-occupation.js';
import { asStored } from '../support/jsonb-order.js';

const box = (id: string, kind: Shapes['boxes'][number]['kind'], active: boolean, text: string) => ({
  id,
  kind,
  x: 10.04,
  y: 20,
  width: 100,
  height: 30,
  lines: [{ text, x: 60, y: 39 }],
  active,
});
const shapes: Shapes = {
  width: 300.123,
  height: 120,
  boxes: [box('p.a', 'state', true, '消防 <b>"Fire" & \'review\'</b>'), box('p.b', 'final', false, 'Done')],
  markers: [{ id: 'p::initial', cx: 4, cy: 4, r: 6 }],
  arrows: [
    { id: 'p.a:0:0', path: 'M110 35 L200 35', label: { text: 'approved', x: 150, y: 30 }, active: true },
    { id: 'p.b:0:0', path: 'M10 5 L10 20', label: null, active: false },
  ],
};

describe('a laid-out diagram as an SVG document', () => {
  const svg = diagramSvg(shapes, { label: 'Process diagram: <x> & "y"' });

  it('is one self-contained document: a title and label, presentation attributes, no stylesheet, coordinates to a tenth', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 300\.1 120" width="300\.1" height="120" role="img" aria-label="Process diagram: &#60;x&#62; &#38; &#34;y&#34;"/);
    expect(svg).toContain('<title>Process diagram: &#60;x&#62; &#38; &#34;y&#34;</title>');
    expect(svg).not.toMatch(/<style|<script|class="[^"]*" style=/);
    expect(svg).toContain('x="10"');
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('escapes every text: a definition’s titles are data, never markup', () => {
    expect(svg).toContain('>消防 &#60;b&#62;&#34;Fire&#34; &#38; &#39;review&#39;&#60;/b&#62;</text>');
    expect(svg).not.toContain('<b>');
  });

  it('marks the states the case is in for the eye (a thick accent border, a tint) and for readers (class, aria-current), and the ways on from them', () => {
    expect(svg).toMatch(/<g class="box state active" data-state="p\.a" data-active="true" aria-current="step"><title>[^<]*<\/title><rect [^>]*fill="#e3eefb" stroke="#0b5cad" stroke-width="3"\/>/);
    expect(svg).toMatch(/<g class="box final" data-state="p\.b" data-active="false"><title>Done<\/title><rect [^>]*stroke="#6b7480" stroke-width="1"\/><rect [^>]*fill="none"/);
    expect(svg).toMatch(/<g class="arrow active" data-transition="p\.a:0:0"><path d="M110 35 L200 35" [^>]*stroke="#0b5cad" stroke-width="2" marker-end="url\(#diagram-arrow-active\)"\/><text [^>]*font-weight="600">approved<\/text><\/g>/);
    expect(svg).toMatch(/<g class="arrow" data-transition="p\.b:0:0"><path [^>]*marker-end="url\(#diagram-arrow\)"\/><\/g>/);
    expect(svg).toContain('<circle cx="4" cy="4" r="6" fill="#1c2430"/>');
  });

  it('fits the width it is given when asked, with the attributes its page adds', () => {
    const fit = diagramSvg(shapes, { label: 'd', fit: true, attributes: { 'data-test': 'diagram' } });
    expect(fit).toMatch(/^<svg [^>]*viewBox="0 0 300\.1 120" width="100%" role="img"[^>]* data-test="diagram">/);
    expect(fit).not.toMatch(/^<svg [^>]*height=/);
  });
});

describe('a definition drawn by the server', () => {
  const road = compileDefinition(asStored(roadOccupation));

  it('in the language asked for, a countersign step by its mode; the same input, the same document', async () => {
    const [en, zh, again] = await Promise.all([
      definitionDiagramSvg(road, { active: null, language: 'en' }),
      definitionDiagramSvg(road, { active: null, language: 'zh-CN' }),
      // Laid out anew (a layout is kept per content, and this one's checksum differs), by the same rules.
      definitionDiagramSvg({ ...road, checksum: `${road.checksum}-again` }, { active: null, language: 'en' }),
    ]);
    expect(en).toContain('step approved');
    expect(zh).toContain('会签通过');
    expect(again).toBe(en);
    expect(en).not.toContain('aria-current');
  }, 30_000); // three layouts, the first with ELK not yet compiled by the JIT

  it('with the states a case is in: marked, and named in the title', async () => {
    const signOff = road.stateMachine.root.states['signOff']?.id ?? '';
    const svg = await definitionDiagramSvg(road, { active: [signOff], language: 'en' });
    expect(svg).toMatch(new RegExp(`<g class="box state active" data-state="${signOff.replaceAll('.', '\\.')}" data-active="true" aria-current="step">`));
    expect(svg).toMatch(/<title>Process diagram: [^<]+\. Where the case is: [^<]+<\/title>/);
    expect(svg.match(/aria-current/g)).toHaveLength(1);
  });
});
