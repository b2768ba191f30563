import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { MaterialNotFoundError, PermissionDeniedError } from '../errors.js';
import type { ReadMaterial } from './read-material.js';

/** A construction permit in joint review; its application form (the sandbox's) is named by no member's review. */
function inJointReview(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  return world;
}

const readOf = (world: CaseWorld, by: ReturnType<typeof actor>, materialId = world.materials[0]!.id): ReadMaterial => ({ type: 'material.read', actor: by, caseId: world.case.id, materialId });

describe('reading a material’s file (材料下载)', () => {
  it('is audited on the case’s chain, which material and which version, without changing the case’s version', () => {
    const world = inJointReview();
    const material = world.materials[0]!;
    const { commit, result } = world.decide(readOf(world, actor('housing', 'lead')));
    expect(result).toMatchObject({ version: world.case.version, changed: true });
    expect(commit?.effects).toEqual([]);
    expect(commit?.audits.map((a) => ({ type: a.type, data: a.data }))).toEqual([{ type: 'material.read', data: { materialId: material.id, name: material.name, version: 1 } }]);
  });

  it('is refused as not found to a department that does not see the material, and for a material the case does not hold; nothing is written', () => {
    const world = inJointReview();
    expectRefused(world, () => world.execute(readOf(world, actor('fire', 'handler'))), MaterialNotFoundError);
    expectRefused(world, () => world.execute(readOf(world, actor('housing', 'lead'), '00000000-0000-4000-8000-000000000000')), MaterialNotFoundError);
    expectRefused(world, () => world.execute(readOf(world, actor('housing', 'designer'))), PermissionDeniedError);
  });

  it('a supervisor reads any material', () => {
    const world = inJointReview();
    expect(world.decide(readOf(world, actor('supervision', 'supervisor'))).result.changed).toBe(true);
  });
});
