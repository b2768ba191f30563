import { actor } from '../../../engine/simulation/sandbox-actors.js';

/** The tests act as the sandbox's people (`engine/simulation/sandbox-actors.ts`). */
export { actor, leadOf, workerFor } from '../../../engine/simulation/sandbox-actors.js';

/** The intake clerk at the service centre window (综合窗口), who starts cases and passes on supplements. */
export const WINDOW_CLERK = actor('window', 'intake_clerk', 'window.clerk');
