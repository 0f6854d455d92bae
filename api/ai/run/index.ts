/** The model-call core's public API (see model-calls.ts). */
export type { RunEvent, RunResult, RunStatus } from './events';
export type { Admission } from './limits';
export { MAX_CONCURRENT_KEY, RATE_PER_MINUTE_KEY, RunLimits } from './limits';
export {
  type ModelCall,
  ModelCalls,
  type ResolvedModel,
  type RunOnceInput,
  type RunOnceResult,
} from './model-calls';
export type { CallSettings, ModelRun } from './model-run';
export { filePart, type SimpleMessage, type SimplePart, toPrompt } from './prompt';
export {
  describeUpstreamError,
  RUN_ERROR_CODES,
  RUN_ERROR_STATUS,
  type RunError,
  type RunErrorCode,
} from './upstream-errors';
