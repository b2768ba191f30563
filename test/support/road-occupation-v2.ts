import { LEAD_DEPARTMENT } from '../../engine/definitions/case-machine.js';
import { onOutcome, taskState, type StateConfig } from '../../engine/definitions/definition-parts.js';
import { jointReview } from '../../engine/definitions/joint-review.js';
import type { ProcessDefinition } from '../../engine/definitions/process-definition.js';
import type { StateMapping } from '../../engine/definitions/state-mapping.js';
import { roadOccupation } from '../../workflows/road-occupation.js';

/**
 * A second version of the road occupation permit, as a designer would publish it while v1 cases run: the water
 * office (排水) joins the joint review, and the deputies' or-sign (或签) gives way to one sign-off by the lead of
 * urban management (`leadSignOff`). No dispute ladder, no withdrawals: a split review refuses.
 */
export const roadOccupationV2: ProcessDefinition = {
  ...roadOccupation,
  version: 2,
  machine: {
    ...roadOccupation.machine,
    states: {
      acceptance: v1State('acceptance'),
      ...jointReview({
        name: 'jointReview',
        machineId: 'road-occupation',
        members: [
          { department: 'traffic-police', title: '交通影响审查 Traffic impact review', workingDays: 3 },
          { department: 'municipal-roads', title: '道路设施审查 Road facilities review', workingDays: 3 },
          { department: 'water', title: '排水设施审查 Drainage review', workingDays: 2 },
        ],
        onRejection: 'finish',
        returns: [],
        approved: 'leadSignOff',
        refused: 'refused',
      }),
      leadSignOff: taskState(
        { task: 'leadSignOff', kind: 'decision', title: '城管局负责人签发 Sign-off by urban management', department: LEAD_DEPARTMENT, workingDays: 2 },
        { 'task.approved': onOutcome('leadSignOff', 'issued'), 'task.rejected': onOutcome('leadSignOff', 'refused') },
      ),
      issued: v1State('issued'),
      refused: v1State('refused'),
      notAccepted: v1State('notAccepted'),
    },
  },
};

/** A state v2 keeps as v1 has it. */
function v1State(name: string): StateConfig {
  const state = roadOccupation.machine.states?.[name];
  if (!state) throw new TypeError(`road-occupation v1 has no state ${name}`);
  return state;
}

/**
 * v1 → v2: each member's review and approval into the same state (what a member decided stands, what it has open stays
 * open; the water office's region, new, starts its review), the or-sign into the lead's sign-off. v1's acceptance and
 * dispute ladder are left out on purpose: a case there is refused.
 */
export const ROAD_V1_TO_V2: StateMapping = Object.fromEntries([
  ...['traffic-police', 'municipal-roads'].flatMap((member) =>
    ['reviewing', 'approved'].map((state) => `road-occupation.jointReview.${member}.${state}`).map((id) => [id, id]),
  ),
  ['road-occupation.signOff', 'road-occupation.leadSignOff'],
]);
