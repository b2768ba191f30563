import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CONSTRUCTION_PERMIT_MATERIALS, constructionPermit } from '../../workflows/construction-permit.js';
import { businessOpening } from '../../workflows/business-opening.js';
import { roadOccupation } from '../../workflows/road-occupation.js';
import { materialNeeds, seesMaterial, visibleTo } from './material-visibility.js';

const { form, planningPermit, contract, drawings } = CONSTRUCTION_PERMIT_MATERIALS;
const PARTIES = { leadDepartment: 'housing', intakeDepartment: 'window' };

describe('who sees which material, from the definition', () => {
  const needs = materialNeeds(constructionPermit, PARTIES);

  it('a member department sees what its tasks name; the lead and intake departments and supervisors see every material', () => {
    const sees = (department: string, role: Parameters<typeof actor>[1] = 'handler') => [form, planningPermit, contract, drawings].filter((m) => seesMaterial(actor(department, role), needs, m));
    expect(sees('fire')).toEqual([form, drawings]);
    expect(sees('planning')).toEqual([form, planningPermit, drawings]);
    expect(sees('housing')).toEqual([form, planningPermit, contract, drawings]);
    expect(sees('window', 'intake_clerk')).toEqual([form, planningPermit, contract, drawings]);
    expect(sees('supervision', 'supervisor')).toEqual([form, planningPermit, contract, drawings]);
    // A department the definition gives no task (a copy's recipient) sees none.
    expect(sees('police')).toEqual([]);
  });

  it('lists, for each material, the departments that see it', () => {
    expect(visibleTo(needs, contract)).toEqual(['housing', 'window']);
    expect(visibleTo(needs, planningPermit)).toEqual(['housing', 'planning', 'window']);
    expect(visibleTo(needs, drawings)).toEqual(['civil-air-defence', 'ecology', 'fire', 'housing', 'planning', 'water', 'window']);
  });

  it('a definition whose tasks name no materials leaves every department of it seeing all, a countersign’s signers too', () => {
    const opening = materialNeeds(businessOpening, { leadDepartment: 'market', intakeDepartment: 'window' });
    expect([...opening.values()].every((seen) => seen === 'all')).toBe(true);
    expect(seesMaterial(actor('tax', 'handler'), opening, 'anything')).toBe(true);
    const road = materialNeeds(roadOccupation, { leadDepartment: 'urban-management', intakeDepartment: 'window' });
    expect(road.get('urban-management')).toBe('all');
    expect([...road.values()].every((seen) => seen === 'all')).toBe(true);
  });
});
