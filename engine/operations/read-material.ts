import type { Actor } from '../access/actor.js';
import { materialNeeds, seesMaterial } from '../access/material-visibility.js';
import { buildCommit } from '../case-commit.js';
import { MaterialNotFoundError } from '../errors.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { committed } from './decision.js';

/** A download of a material's file (材料下载): recorded in the case's audit chain before the bytes are sent. */
export interface ReadMaterial {
  readonly type: 'material.read';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly materialId: string;
}

/**
 * Appends the read (which material, which version) to the case's chain without changing the case's version, as a
 * personal-data read does; the API streams the file once this commits. A material the case does not hold, or one
 * the reader's department does not see (`material-visibility.ts`), is not found, and nothing is written.
 */
export const readMaterial: CaseOperation<ReadMaterial> = {
  type: 'material.read',
  permission: 'case.material.read',
  caseRef: (command) => ({ caseId: command.caseId, caseFile: true }),
  decide(locked, command, env) {
    const material = locked.caseFile?.materials.find((m) => m.id === command.materialId);
    if (!material || !seesMaterial(command.actor, materialNeeds(env.definition, locked.case), material.name)) {
      throw new MaterialNotFoundError(locked.case.id, command.materialId);
    }
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [],
        auditType: 'material.read',
        actor: command.actor,
        data: { materialId: material.id, name: material.name, version: material.version },
        keepVersion: true,
      }),
    );
  },
};
