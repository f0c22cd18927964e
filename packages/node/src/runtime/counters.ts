/** What the runtime did, for logs, tests and a status endpoint. Nothing dropped goes uncounted. */
export interface NodeCounters {
  samplesReceived: number;
  decodeErrors: number;
  invalidTaskIds: number;
  cancelledTaskInputs: number;
  /**
   * Inputs refused because their task completed within the age limit: a duplicate (the HW node
   * sent it again) held in the join would answer the next task that reuses the id. RESET_TASK
   * lets the id run again.
   */
  completedTaskInputs: number;
  duplicateInputsReplaced: number;
  /**
   * Inputs and complete tasks dropped, by reason; `stopped`: deferred tasks and waiting inputs
   * left when the node stopped.
   */
  inputsDropped: {
    queueFull: number;
    expired: number;
    cancelled: number;
    reset: number;
    stopped: number;
    /** Given way in a full table because their writer held the most entries (fair-share.ts). */
    fairShare: number;
  };
  tasksCompleted: number;
  tasksFailed: number;
  tasksDeferred: number;
  configurationRequests: number;
  /**
   * Instances unregistered to keep a writer's history bounded: outputs past SustainML's 500
   * (the oldest task's), configuration responses past `MAX_RESPONSE_INSTANCES`.
   */
  instancesRetired: { outputs: number; responses: number };
  /** Configuration requests refused without being read (`configuration: "ignore"`). */
  configurationRequestsRefused: number;
  controlCommands: number;
  /** STOP_TASK/TERMINATE_TASK for a task the node does not hold (not pending, queued, deferred or running). */
  taskCommandsNotHeld: number;
  /** Commands not acted on because the node was started with `nodeCommands: "ignore"`. */
  nodeCommandsIgnored: number;
  /**
   * Status error descriptions cut to MAX_ERROR_DESCRIPTION_CHARS, or with a NUL or lone
   * surrogate (from a peer's JSON) replaced, so that they could be published at all.
   */
  errorDescriptionsCleaned: number;
  /** Log lines about per-input problems left out by the rate limit (the problems are counted above). */
  problemLinesSuppressed: number;
}

export function emptyCounters(): NodeCounters {
  return {
    samplesReceived: 0,
    decodeErrors: 0,
    invalidTaskIds: 0,
    cancelledTaskInputs: 0,
    completedTaskInputs: 0,
    duplicateInputsReplaced: 0,
    inputsDropped: { queueFull: 0, expired: 0, cancelled: 0, reset: 0, stopped: 0, fairShare: 0 },
    tasksCompleted: 0,
    tasksFailed: 0,
    tasksDeferred: 0,
    configurationRequests: 0,
    instancesRetired: { outputs: 0, responses: 0 },
    configurationRequestsRefused: 0,
    controlCommands: 0,
    taskCommandsNotHeld: 0,
    nodeCommandsIgnored: 0,
    errorDescriptionsCleaned: 0,
    problemLinesSuppressed: 0,
  };
}
