import elkBundled from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { layoutOffThread } from '../../../api/elk-layout.js';
import processWords from '../../../diagram/process-words.js';
import { catalogueWords } from '../../../diagram/catalogue-words.js';
import { elkInput } from '../../../diagram/diagram-elk.js';
import { labelledDiagram } from '../../../diagram/diagram-labels.js';
import { definitionGraph } from '../../../engine/definitions/definition-graph.js';
import { compileDefinition } from '../../../engine/definitions/process-definition.js';
import { constructionPermit } from '../../../workflows/construction-permit.js';

/**
 * A layout without ELK's `$H`: the identity hash its Java-to-JavaScript runtime numbers objects with, which counts
 * every object that ELK instance made before (other files' layouts, in a worker the unit files share).
 */
const withoutIdentity = (layout: unknown): unknown => JSON.parse(JSON.stringify(layout, (key, value: unknown) => (key === '$H' ? undefined : value)));

const input = elkInput(labelledDiagram(definitionGraph(compileDefinition(constructionPermit)), catalogueWords(processWords, 'en')));

describe('ELK on a thread of its own', () => {
  it('answers exactly what ELK answers in this thread, while this thread stays free', async () => {
    let ticks = 0;
    const ticking = setInterval(() => (ticks += 1), 5);
    const offThread = await layoutOffThread(input);
    clearInterval(ticking);
    // The layout takes ELK a second or more: this thread ran its timers meanwhile.
    expect(ticks).toBeGreaterThan(10);
    expect(withoutIdentity(offThread)).toEqual(withoutIdentity(await new elkBundled.default().layout(input)));
  }, 60_000);

  it('a graph ELK refuses fails its layout with ELK’s reason, and the thread lays out the next one', async () => {
    const broken = { id: 'root', children: [{ id: 'a', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['nowhere'] }] };
    await expect(layoutOffThread(broken)).rejects.toThrow(/^ELK could not lay the diagram out: .*nowhere/);
    const small = await layoutOffThread({ id: 'root', children: [{ id: 'a', width: 10, height: 10 }] });
    expect(small.children?.[0]).toMatchObject({ id: 'a', width: 10, height: 10 });
  }, 60_000);
});
