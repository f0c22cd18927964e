import type { MessageCodec, TaskIdImpl } from "@wattprint/messages";

/**
 * A SustainML node as data: who it is, what it joins, what it answers. The carbon footprint
 * node is one definition; the other SustainML nodes (app requirements, HW constraints, ...)
 * are other definitions on the same runtime.
 */
export interface NodeInput<V> {
  readonly topic: string;
  readonly codec: MessageCodec<V>;
}

export interface TaskOutcome<O> {
  readonly ok: boolean;
  /** The output sample; the runtime stamps it with the input task id whatever it holds. */
  readonly output: O;
  /** Published in the ERROR status when `ok` is false. */
  readonly errorDescription?: string;
  /** Logged as warnings with the task id. */
  readonly warnings?: readonly string[];
}

/** What the runtime tells a task's handler beyond the task's inputs. */
export interface TaskContext {
  /**
   * The node is stopping: a graceful stop waits for the tasks queued before it, so the handler
   * should answer without long work (the carbon node estimates instead of measuring).
   */
  readonly stopping: boolean;
}

export interface ConfigurationOutcome {
  readonly success: boolean;
  readonly configuration: string;
}

export interface NodeDefinition<
  I extends Record<string, unknown>,
  O extends { task_id: TaskIdImpl },
> {
  /** Participant name and `node_name` in status samples, e.g. CARBON_FOOTPRINT_NODE. */
  readonly nodeName: string;
  /** `target_node` spelling in control commands, e.g. CARBON_FOOTPRINT. */
  readonly displayName: string;
  /** NodeID: configuration requests for other ids are not ours. */
  readonly nodeId: number;
  readonly inputs: { readonly [K in keyof I]: NodeInput<I[K]> };
  readonly output: NodeInput<O>;
  /** `context` is optional so a caller outside the runtime (a bench, a server route) can omit it. */
  handleTask(
    inputs: I,
    taskId: TaskIdImpl,
    context?: TaskContext,
  ): Promise<TaskOutcome<O>> | TaskOutcome<O>;
  /**
   * The output for a task whose `handleTask` threw (a bug, an adapter that threw); the status
   * says `internal error: <message>`. Without it, or if it throws too, the output is the
   * codec's defaults: an empty `extra_data`, which SustainML's orchestrator cannot parse, so
   * a node whose output carries JSON gives one.
   */
  faultOutput?(inputs: I, taskId: TaskIdImpl, message: string): O;
  /**
   * A configuration request's text; the answer's `configuration` is sent back. `"{}"` asks
   * for the settings in force and must change nothing: the runtime asks it at start, so that
   * it can log what a later request changes.
   */
  handleConfiguration(configuration: string): ConfigurationOutcome;
}
