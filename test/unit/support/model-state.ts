/** What a model-based test reads of the model's state: the engine's own reading (`engine/simulation/model-state.ts`). */
export { activeCountersigns, departmentOf, modelOpenTasks, modelPeriods, type ModelSnapshot } from '../../../engine/simulation/model-state.js';
