/** The wait mode's public surface: what the pipeline, the action and the CLI call. */
export { parseGoDuration } from './duration.js';
export { checkWaitInputs, type CheckedWaitInputs, type WaitInputs } from './inputs.js';
export {
  judge,
  overall,
  step,
  type JudgeOptions,
  type Verdict,
  type WaitMemory,
  type WaitState,
} from './judge.js';
export { WAIT_KINDS, toWaitObject, type WaitKind, type WaitObject } from './objects.js';
export { planWait, type PlanNode, type WaitPlan } from './plan.js';
export { REQUESTED_AT, dueForReconcile } from './reconcile.js';
export { matchesRevision, parseRevision, sameArtifact } from './revision.js';
export { formatSelector, parseSelector, parseSelectors, type Selection, type Selector } from './selection.js';
export {
  discoverWaitKinds,
  waitForRevision,
  type WaitOptions,
  type WaitOutcome,
  type WaitResult,
} from './wait.js';
