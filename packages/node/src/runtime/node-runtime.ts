import { cutText } from "@wattprint/core";
import {
  CmdNode,
  CmdTask,
  CONFIG_TOPIC_QOS,
  CONTROL_READER_QOS,
  type EndpointQos,
  enumName,
  type MessageCodec,
  nodeControlImplCodec,
  type ResponseTypeImpl,
  requestTypeImplCodec,
  responseTypeImplCodec,
  SAMPLE_POOL_SIZE,
  STATUS_WRITER_QOS,
  Status,
  TASK_DATA_QOS,
  type TaskIdImpl,
  TOPICS,
  taskIdKey,
} from "@wattprint/messages";
import type { Logger } from "../log.ts";
import type { BusPort, BusReader, BusSample, BusWriter } from "../ports/bus.ts";
import {
  answerConfiguration,
  type ConfigurationPolicy,
  refuseConfiguration,
} from "./configuration.ts";
import { controlActions, type NodeCommandPolicy } from "./control.ts";
import { emptyCounters, type NodeCounters } from "./counters.ts";
import type { NodeDefinition, TaskContext } from "./definition.ts";
import { busiestWriter } from "./fair-share.ts";
import { OutputInstanceWindow } from "./output-instances.ts";
import {
  PROBLEM_LOG_INTERVAL_MS,
  PROBLEM_LOG_LINES_PER_INTERVAL,
  ProblemLogLimiter,
  type ProblemLogLimits,
} from "./problem-log.ts";
import { checkRuntimeLimits, MAX_READY_TASKS } from "./runtime-limits.ts";
import { StatusPublisher } from "./status-publisher.ts";
import {
  statusAfterOutput,
  statusBeforeOutput,
  statusOnReset,
  statusOnStart,
} from "./status-rules.ts";
import { type Dropped, monotonicMs, TaskJoin } from "./task-join.ts";

/**
 * Configuration responses kept for late readers, newest first: the orchestrator reads each as
 * it is written, so only the latest few can serve anyone.
 */
export const MAX_RESPONSE_INSTANCES = 64;

/** How much of a peer's node name a log line quotes. */
const MAX_LOGGED_NAME_CHARS = 64;

export interface NodeRuntimeOptions {
  readonly bus: BusPort;
  readonly logger: Logger;
  /** Pending entries per input queue; SustainML's `sample_pool_size` is 50. */
  readonly maxPendingPerInput?: number;
  /**
   * Complete tasks waiting behind a task whose handler is awaited (a measured task runs for
   * seconds); when full, the writer holding the most gives way (its newest task; the newcomer
   * if that is its own writer), counted as queue-full or fair-share. Tasks behind a handler that
   * answers at once are a burst about to run, bounded by `MAX_READY_TASKS` instead. From 1.
   * Default: `maxPendingPerInput`.
   */
  readonly maxQueuedTasks?: number;
  /** How long an input waits for the rest of its task before it is dropped. */
  readonly maxPendingAgeMs?: number;
  /** Budget of log lines about per-input problems; default 50 per 10 s. */
  readonly problemLog?: ProblemLogLimits;
  /** Whether NodeControl commands from the bus are acted on (default accept). */
  readonly nodeCommands?: NodeCommandPolicy;
  /** Whether configuration requests from the bus are acted on (default accept). */
  readonly configuration?: ConfigurationPolicy;
  /**
   * Milliseconds on a clock that never steps, for inputs' ages and the log budget (default
   * `performance.now()`: on the wall clock an NTP step forward expired every pending input).
   */
  readonly now?: () => number;
}

type AnyDefinition = NodeDefinition<Record<string, unknown>, { task_id: TaskIdImpl }>;

const DROP_COUNTER: Readonly<Record<Dropped["reason"], keyof NodeCounters["inputsDropped"]>> = {
  "queue-full": "queueFull",
  "fair-share": "fairShare",
  expired: "expired",
  cancelled: "cancelled",
  reset: "reset",
  stopped: "stopped",
};

/** One object each, so the task path allocates no context per task. */
const RUNNING: TaskContext = Object.freeze({ stopping: false });
const STOPPING: TaskContext = Object.freeze({ stopping: true });

/** A complete task not yet running; `writer` is the one whose sample completed it. */
interface WaitingTask {
  readonly taskId: TaskIdImpl;
  readonly values: ReadonlyMap<string, unknown>;
  readonly writer: string;
}

const spec = (topicName: string, typeName: string, qos: EndpointQos) => ({
  topicName,
  typeName,
  keyed: true,
  qos,
});

/**
 * Hosts one SustainML node on a bus: joins its inputs by task id, runs its handler one task
 * at a time, and speaks SustainML's status protocol (NodeImpl.cpp): INITIALIZING at start,
 * IDLE when ready, RUNNING before a task, IDLE or ERROR before the output it precedes.
 */
export class NodeRuntime {
  readonly counters: NodeCounters = emptyCounters();
  /** Resolves once the node has stopped, by `stop()` or a TERMINATE_NODE command. */
  readonly stopped: Promise<void>;
  private resolveStopped: () => void = () => {};
  /** Complete tasks waiting for the one running; bounded (`maxQueuedTasks`). */
  private readonly queue: WaitingTask[] = [];
  private draining: Promise<void> | undefined;
  private paused = false;
  /** A task's handler is running (its status is RUNNING whatever the commands meanwhile). */
  private running = false;
  /** The running task, for task commands: a stop for it is honoured. */
  private runningTask: TaskIdImpl | undefined;
  /** The running task's handler returned a promise: tasks behind it are a real backlog. */
  private awaiting = false;
  private stopping = false;
  private readonly deferred: WaitingTask[] = [];
  private readonly join: TaskJoin<unknown>;
  private readonly readers: BusReader[] = [];
  private statusPublisher: StatusPublisher | undefined;
  private outputWriter: BusWriter | undefined;
  private responseWriter: BusWriter | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly outputInstances = new OutputInstanceWindow(
    TASK_DATA_QOS.resourceLimits?.maxInstances ?? Number.POSITIVE_INFINITY,
  );
  private readonly responseInstances = new OutputInstanceWindow(MAX_RESPONSE_INSTANCES);
  /** The settings a `{}` request reads, as last answered; undefined if the node refuses it. */
  private configurationInForce: string | undefined;

  /** Held apart from `options`: callers pass option objects of different shapes, and the
   * task path reads the logger on every task (one shape keeps V8's optimised code valid). */
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly problemLog: ProblemLogLimiter;

  private constructor(
    private readonly definition: AnyDefinition,
    private readonly options: NodeRuntimeOptions,
  ) {
    checkRuntimeLimits(options);
    this.logger = options.logger;
    this.clock = options.now ?? monotonicMs;
    this.problemLog = new ProblemLogLimiter(
      options.problemLog ?? {
        linesPerInterval: PROBLEM_LOG_LINES_PER_INTERVAL,
        intervalMs: PROBLEM_LOG_INTERVAL_MS,
      },
    );
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
    this.join = new TaskJoin({
      inputs: Object.keys(definition.inputs),
      maxPendingPerInput: options.maxPendingPerInput ?? SAMPLE_POOL_SIZE,
      maxAgeMs: options.maxPendingAgeMs ?? 10 * 60_000,
      ...(options.now ? { now: options.now } : {}),
    });
    const read = answerConfiguration(definition, {
      node_id: definition.nodeId,
      transaction_id: 0,
      configuration: "{}",
    });
    if (read.success) this.configurationInForce = read.configuration;
  }

  /** Opens every endpoint in SustainML's order and publishes INITIALIZING then IDLE. */
  static async start<I extends Record<string, unknown>, O extends { task_id: TaskIdImpl }>(
    definition: NodeDefinition<I, O>,
    options: NodeRuntimeOptions,
  ): Promise<NodeRuntime> {
    const runtime = new NodeRuntime(definition as unknown as AnyDefinition, options);
    await runtime.open();
    return runtime;
  }

  get currentStatus(): Status {
    return this.statusPublisher?.current ?? Status.NODE_INACTIVE;
  }

  pending(): Readonly<Record<string, number>> {
    return this.join.pending();
  }

  private log(
    level: "debug" | "info" | "warn" | "error",
    message: string,
    fields?: Record<string, unknown>,
  ): void {
    this.logger.log(level, message, { node: this.definition.nodeName, ...fields });
  }

  /**
   * A line about one input's problem, within the problem-line budget: past it the line is
   * counted instead, and the count is logged before the next line written (or by the sweep,
   * or at stop). The problems themselves are always counted in `counters`.
   */
  private logProblem(
    level: "info" | "warn",
    message: string,
    fields: Record<string, unknown>,
  ): void {
    // A level the logger drops spends none of the budget.
    if (!this.logger.enabled(level)) return;
    if (!this.problemLog.admit(this.clock())) {
      this.counters.problemLinesSuppressed += 1;
      return;
    }
    this.reportSuppressed();
    this.log(level, message, fields);
  }

  private reportSuppressed(): void {
    const suppressed = this.problemLog.takeSuppressed();
    if (suppressed === 0) return;
    this.log("warn", "problem log lines suppressed", {
      suppressed,
      linesPerInterval: this.problemLog.limits.linesPerInterval,
      intervalMs: this.problemLog.limits.intervalMs,
    });
  }

  private async open(): Promise<void> {
    const { bus } = this.options;
    const { definition } = this;
    const statusWriter = await bus.openWriter(
      spec(TOPICS.status.name, TOPICS.status.typeName, STATUS_WRITER_QOS),
    );
    this.statusPublisher = new StatusPublisher(
      statusWriter,
      definition.nodeName,
      (error) => this.log("error", "status not written", { error: String(error) }),
      () => {
        this.counters.errorDescriptionsCleaned += 1;
      },
    );
    this.readers.push(
      await bus.openReader(
        spec(TOPICS.control.name, TOPICS.control.typeName, CONTROL_READER_QOS),
        (sample) => this.onControl(sample),
      ),
    );
    await this.publishStatus(Status.NODE_INITIALIZING);
    this.readers.push(
      await bus.openReader(
        spec(TOPICS.configRequest.name, TOPICS.configRequest.typeName, CONFIG_TOPIC_QOS),
        (sample) => this.onConfigurationRequest(sample),
      ),
    );
    this.responseWriter = await bus.openWriter(
      spec(TOPICS.configResponse.name, TOPICS.configResponse.typeName, CONFIG_TOPIC_QOS),
    );
    this.outputWriter = await bus.openWriter(
      spec(definition.output.topic, definition.output.codec.typeName, TASK_DATA_QOS),
    );
    for (const [name, input] of Object.entries(definition.inputs)) {
      this.readers.push(
        await bus.openReader(spec(input.topic, input.codec.typeName, TASK_DATA_QOS), (sample) =>
          this.onInput(name, input.codec, sample),
        ),
      );
    }
    const sweepMs = Math.min(
      60_000,
      Math.max(1_000, (this.options.maxPendingAgeMs ?? 600_000) / 4),
    );
    this.sweepTimer = setInterval(() => {
      this.noteDropped(this.join.expire());
      this.reportSuppressed();
    }, sweepMs);
    this.sweepTimer.unref();
    await this.publishStatus(Status.NODE_IDLE);
    this.log("info", "node ready", { bus: bus.describe(), inputs: Object.keys(definition.inputs) });
  }

  private publishStatus(status: Status, errorDescription = ""): Promise<void> {
    // Twice per task: the fields are built only when debug logging is on.
    if (this.logger.enabled("debug"))
      this.log("debug", "status", { status: enumName(Status, status) });
    return this.statusPublisher?.publish(status, errorDescription) ?? Promise.resolve();
  }

  private decode<V>(codec: MessageCodec<V>, sample: BusSample, topic: string): V | undefined {
    this.counters.samplesReceived += 1;
    const decoded = codec.decode(sample.payload);
    if (decoded.ok) return decoded.value;
    this.counters.decodeErrors += 1;
    this.logProblem("warn", "undecodable sample dropped", {
      topic,
      writer: sample.writer,
      error: decoded.error.message,
    });
    return undefined;
  }

  private noteDropped(dropped: readonly Dropped[]): void {
    for (const drop of dropped) {
      this.counters.inputsDropped[DROP_COUNTER[drop.reason]] += 1;
      this.logProblem("warn", "pending input dropped", {
        input: drop.input,
        task: taskIdKey(drop.taskId),
        reason: drop.reason,
      });
    }
  }

  private onInput(name: string, codec: MessageCodec<unknown>, sample: BusSample): void {
    if (sample.disposed || this.stopping) return;
    const value = this.decode(codec, sample, name);
    if (value === undefined) return;
    const taskId = (value as { task_id: TaskIdImpl }).task_id;
    const offer = this.join.offer(name, taskId, value, sample.writer);
    if (offer.kind === "rejected") {
      if (offer.reason === "invalid-task-id") this.counters.invalidTaskIds += 1;
      else if (offer.reason === "completed-task") this.counters.completedTaskInputs += 1;
      else this.counters.cancelledTaskInputs += 1;
      this.logProblem("warn", "input refused", {
        input: name,
        task: taskIdKey(taskId),
        reason: offer.reason,
      });
      return;
    }
    this.noteDropped(offer.dropped);
    if (offer.replaced) {
      this.counters.duplicateInputsReplaced += 1;
      this.logProblem("info", "newer input replaced a pending one", {
        input: name,
        task: taskIdKey(taskId),
      });
    }
    if (offer.kind !== "complete") return;
    const task = { taskId: offer.taskId, values: offer.values, writer: sample.writer };
    if (this.paused) {
      this.deferTask(task);
      return;
    }
    this.enqueue(task);
  }

  private deferTask(task: WaitingTask): void {
    const { taskId } = task;
    this.deferred.push(task);
    this.counters.tasksDeferred += 1;
    this.trimDeferred();
    this.logProblem("info", "task deferred while the node is stopped", { task: taskIdKey(taskId) });
  }

  /** Deferred tasks are bounded as a queue is: the oldest go first, counted as queue-full. */
  private trimDeferred(): void {
    const limit = this.options.maxPendingPerInput ?? SAMPLE_POOL_SIZE;
    while (this.deferred.length > limit) {
      const oldest = this.deferred.shift();
      if (oldest)
        this.noteDropped([
          { input: "(complete task)", taskId: oldest.taskId, reason: "queue-full" },
        ]);
    }
  }

  private backlogLimit(): number {
    return this.options.maxQueuedTasks ?? this.options.maxPendingPerInput ?? SAMPLE_POOL_SIZE;
  }

  /**
   * Tasks run one at a time in arrival order. Behind an awaited handler the queue holds
   * `maxQueuedTasks`; otherwise the tasks are a burst that completed inside one bus callback
   * (drain() runs after it) and each runs in microseconds, so up to MAX_READY_TASKS wait. At the
   * bound, the writer holding the most queued tasks gives way (fair-share.ts): its newest task,
   * which is the newcomer when that writer is its own, as SustainML drops a sample arriving at a
   * full queue (§7).
   */
  private enqueue(task: WaitingTask): void {
    const backlog = this.backlogLimit();
    const limit = this.awaiting ? backlog : Math.max(backlog, MAX_READY_TASKS);
    if (this.queue.length >= limit) {
      const victim = busiestWriter(
        this.queue.map((queued) => queued.writer),
        task.writer,
      );
      if (victim === task.writer || !this.dropNewestOf(victim, "fair-share")) {
        this.noteDropped([{ input: "(complete task)", taskId: task.taskId, reason: "queue-full" }]);
        return;
      }
    }
    this.queue.push(task);
    this.draining ??= Promise.resolve().then(() => this.drain());
  }

  /** Drops the newest queued task of `writer`; false when it has none queued. */
  private dropNewestOf(writer: string | undefined, reason: "queue-full" | "fair-share"): boolean {
    for (let i = this.queue.length - 1; i >= 0; i -= 1) {
      const queued = this.queue[i];
      if (queued === undefined || queued.writer !== writer) continue;
      this.queue.splice(i, 1);
      this.noteDropped([{ input: "(complete task)", taskId: queued.taskId, reason }]);
      return true;
    }
    return false;
  }

  /**
   * The running task's handler is awaited: what waits behind it is now a backlog, held to
   * `maxQueuedTasks` as any arriving later is; the writers holding the most give way.
   */
  private trimBacklog(): void {
    const limit = this.backlogLimit();
    while (this.queue.length > limit) {
      const victim = busiestWriter(
        this.queue.map((queued) => queued.writer),
        undefined,
      );
      if (!this.dropNewestOf(victim, "queue-full")) break;
    }
  }

  private async drain(): Promise<void> {
    for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
      this.running = true;
      this.runningTask = task.taskId;
      try {
        await this.runTask(task.taskId, task.values);
      } catch (error) {
        // A bug past the handler's own catch: one task goes unanswered (logged), but the
        // queue keeps draining; a rejection here used to leave `draining` set for good.
        const message = error instanceof Error ? error.message : String(error);
        this.log("error", "task not answered", { task: taskIdKey(task.taskId), error: message });
      } finally {
        this.running = false;
        this.runningTask = undefined;
        this.awaiting = false;
      }
    }
    this.draining = undefined;
  }

  /** Tasks complete but not started yet. */
  queuedTasks(): number {
    return this.queue.length;
  }

  /** The answer to a task its handler threw on: the definition's output, or the codec's defaults. */
  private faultOutcome(
    inputs: Record<string, unknown>,
    taskId: TaskIdImpl,
    message: string,
  ): Awaited<ReturnType<AnyDefinition["handleTask"]>> {
    const { definition } = this;
    let output = { ...definition.output.codec.defaults(), task_id: taskId };
    if (definition.faultOutput !== undefined) {
      try {
        output = definition.faultOutput(inputs, taskId, message);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        this.log("error", "task fault output threw", { task: taskIdKey(taskId), error: why });
      }
    }
    return { ok: false, output, errorDescription: `internal error: ${message}` };
  }

  private async runTask(taskId: TaskIdImpl, values: ReadonlyMap<string, unknown>): Promise<void> {
    const task = taskIdKey(taskId);
    if (this.currentStatus !== Status.NODE_RUNNING) void this.publishStatus(Status.NODE_RUNNING);
    const { definition } = this;
    let outcome: Awaited<ReturnType<AnyDefinition["handleTask"]>>;
    const inputs = Object.fromEntries(values);
    try {
      // Tasks run after stop() began were queued before it: the stop waits for them.
      const context = this.stopping ? STOPPING : RUNNING;
      const answer = definition.handleTask(inputs, taskId, context);
      if (answer instanceof Promise) {
        // Only now is what waits behind this task a backlog (a measurement runs for seconds);
        // a handler that answers at once lets a burst run through without a drop.
        this.awaiting = true;
        this.trimBacklog();
        outcome = await answer;
      } else {
        outcome = answer;
      }
    } catch (error) {
      // A handler that throws is a bug in the handler; the task still ends with an answer.
      const message = error instanceof Error ? error.message : String(error);
      this.log("error", "task handler threw", { task, error: message });
      outcome = this.faultOutcome(inputs, taskId, message);
    }
    for (const warning of outcome.warnings ?? []) this.logProblem("warn", warning, { task });
    const output = { ...outcome.output, task_id: taskId };
    const statusSent = this.publishStatus(
      statusBeforeOutput(outcome.ok, this.paused),
      outcome.ok ? "" : (outcome.errorDescription ?? "task failed"),
    );
    if (outcome.ok) this.counters.tasksCompleted += 1;
    else this.counters.tasksFailed += 1;
    try {
      const codec = definition.output.codec;
      const payload = codec.encode(output);
      const keyHash = codec.keyHash(output);
      await statusSent;
      const retired = this.outputInstances.admit(keyHash);
      if (retired) {
        this.counters.instancesRetired.outputs += 1;
        await this.outputWriter?.unregister(retired);
      }
      await this.outputWriter?.write(payload, keyHash);
      if (!outcome.ok) this.log("info", "task failed", { task, error: outcome.errorDescription });
      else if (this.logger.enabled("info")) this.log("info", "task done", { task });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log("error", "output not written", { task, error: message });
    }
    // Read after the output: a START_NODE or RESET_NODE meanwhile has un-stopped the node.
    const after = statusAfterOutput(outcome.ok, this.paused);
    if (after !== undefined) await this.publishStatus(after);
  }

  private onControl(sample: BusSample): void {
    // A stopping node takes no command: what is left to run or drop is settled at stop().
    if (sample.disposed || this.stopping) return;
    const command = this.decode(nodeControlImplCodec, sample, TOPICS.control.name);
    if (!command) return;
    // Names are the peer's strings, of any length: logs quote their start only.
    const fields = {
      cmdNode: enumName(CmdNode, command.cmd_node),
      cmdTask: enumName(CmdTask, command.cmd_task),
      target: cutText(command.target_node, MAX_LOGGED_NAME_CHARS),
      source: cutText(command.source_node, MAX_LOGGED_NAME_CHARS),
      task: taskIdKey(command.task_id),
    };
    const actions = controlActions(
      command,
      this.definition,
      this.options.nodeCommands,
      this.holdsTask(command.task_id),
    );
    if (!actions) {
      this.log("debug", "control command for another node", fields);
      return;
    }
    this.counters.controlCommands += 1;
    // Anyone on the domain can send commands: one line each, within the problem-log budget.
    this.logProblem("info", "control command", fields);
    for (const action of actions) {
      switch (action.kind) {
        case "drop-task":
          this.dropTask(action.taskId, action.refuseLater);
          break;
        case "unsupported":
          this.logProblem("warn", `not supported: ${action.what}`, fields);
          break;
        case "ignored":
          this.counters.nodeCommandsIgnored += 1;
          this.logProblem("warn", `ignored: ${action.what}`, fields);
          break;
        case "not-held":
          this.counters.taskCommandsNotHeld += 1;
          this.logProblem("warn", `ignored: ${action.what}`, fields);
          break;
        case "pause":
          this.pause();
          break;
        case "resume":
          this.resume();
          break;
        case "reset":
          this.noteDropped(this.join.reset());
          this.noteDropped(
            [...this.deferred.splice(0), ...this.queue.splice(0)].map((task) => ({
              input: "(complete task)",
              taskId: task.taskId,
              reason: "reset" as const,
            })),
          );
          this.paused = false;
          void this.publishStatus(statusOnReset(this.running));
          break;
        case "terminate":
          void this.stop("TERMINATE_NODE command");
          break;
      }
    }
  }

  /** Whether the task is pending, queued, deferred or running: what a stop can act on. */
  private holdsTask(taskId: TaskIdImpl): boolean {
    const key = taskIdKey(taskId);
    if (this.runningTask !== undefined && taskIdKey(this.runningTask) === key) return true;
    for (const waiting of [this.queue, this.deferred]) {
      if (waiting.some((task) => taskIdKey(task.taskId) === key)) return true;
    }
    return this.join.holds(taskId);
  }

  private dropTask(taskId: TaskIdImpl, remember: boolean): void {
    const key = taskIdKey(taskId);
    let removed = 0;
    for (const waiting of [this.deferred, this.queue]) {
      const kept = waiting.filter((task) => taskIdKey(task.taskId) !== key);
      removed += waiting.length - kept.length;
      waiting.splice(0, waiting.length, ...kept);
    }
    this.noteDropped(this.join.cancel(taskId, remember));
    // One task id can be queued or deferred more than once (run again after RESET_TASK while
    // still queued): each entry removed is a task dropped.
    for (let i = 0; i < removed; i += 1)
      this.noteDropped([{ input: "(complete task)", taskId, reason: "cancelled" }]);
  }

  /**
   * STOP_NODE: the task running (if any) finishes and answers; tasks queued behind it wait
   * with those completing from now on, until START_NODE (they were run regardless before).
   */
  private pause(): void {
    this.paused = true;
    const waiting = this.queue.splice(0);
    for (const queued of waiting.reverse()) this.deferred.unshift(queued);
    this.counters.tasksDeferred += waiting.length;
    this.trimDeferred();
    // At once, as SustainML's nodes answer STOP_NODE, a running task or not.
    void this.publishStatus(Status.NODE_INACTIVE);
  }

  /** START_NODE: only a stopped node has anything to resume (`statusOnStart`). */
  private resume(): void {
    const status = statusOnStart(this.paused, this.running);
    if (status === undefined) return;
    this.paused = false;
    void this.publishStatus(status);
    for (const task of this.deferred.splice(0)) this.enqueue(task);
  }

  private onConfigurationRequest(sample: BusSample): void {
    if (sample.disposed || this.stopping) return;
    const request = this.decode(requestTypeImplCodec, sample, TOPICS.configRequest.name);
    if (!request) return;
    if (request.node_id !== this.definition.nodeId) {
      this.log("debug", "configuration request for another node", { nodeId: request.node_id });
      return;
    }
    this.counters.configurationRequests += 1;
    if (this.options.configuration === "ignore") {
      // Refused unread: a peer's request changed the figures published for everyone.
      this.counters.configurationRequestsRefused += 1;
      this.logProblem("warn", "configuration request refused (configuration: ignore)", {
        transaction: request.transaction_id,
        writer: sample.writer,
      });
      void this.writeResponse(refuseConfiguration(request)).catch((error: unknown) =>
        this.log("error", "configuration response not written", { error: String(error) }),
      );
      return;
    }
    const response = answerConfiguration(this.definition, request);
    const before = this.configurationInForce;
    if (response.success && response.configuration !== before) {
      // Such a request may be one an orchestrator wrote before this node started (the topic
      // is TRANSIENT_LOCAL), and it overrides the command line: the line says so with both.
      // Within the problem-log budget, as any line a peer can cause at will.
      this.configurationInForce = response.configuration;
      this.logProblem("warn", "configuration changed by a request", {
        transaction: request.transaction_id,
        writer: sample.writer,
        before: before ?? "(not readable)",
        after: response.configuration,
      });
    } else {
      this.logProblem("info", "configuration request answered", {
        transaction: request.transaction_id,
        success: response.success,
      });
    }
    void this.writeResponse(response).catch((error: unknown) =>
      this.log("error", "configuration response not written", { error: String(error) }),
    );
  }

  /**
   * Each (node_id, transaction_id) is an instance of a TRANSIENT_LOCAL writer, kept until it
   * is unregistered: without the window, a peer sending requests with new transaction ids
   * grew the node by a response each (30,000 requests: +57 MB, all replayed to a late reader).
   */
  private async writeResponse(response: ResponseTypeImpl): Promise<void> {
    const writer = this.responseWriter;
    if (writer === undefined) return;
    const keyHash = responseTypeImplCodec.keyHash(response);
    const retired = this.responseInstances.admit(keyHash);
    if (retired) {
      this.counters.instancesRetired.responses += 1;
      await writer.unregister(retired);
    }
    await writer.write(responseTypeImplCodec.encode(response), keyHash);
  }

  /**
   * Graceful stop: refuse new inputs and commands; the running task answers, and the tasks
   * queued behind it answer too (sustainml-wire.md §8.5) but with `stopping` set, which tells
   * the handler to answer at once (the carbon node estimates instead of measuring), so the stop
   * waits for one measurement at most, not one per queued task. Tasks deferred by STOP_NODE
   * and inputs still waiting for their task are dropped (`stopped`). Then the last status
   * (NODE_TERMINATING, which SustainML itself never sends) goes out and the bus closes.
   */
  async stop(reason = "stop requested"): Promise<void> {
    if (this.stopping) return this.stopped;
    this.stopping = true;
    this.log("info", "node stopping", {
      reason,
      queuedTasks: this.queue.length,
      counters: this.counters,
    });
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const reader of this.readers.splice(0)) await reader.close();
    this.dropAtStop();
    await this.draining;
    this.reportSuppressed();
    await this.publishStatus(Status.NODE_TERMINATING);
    await this.options.bus.close();
    this.log("info", "node stopped", { reason, counters: this.counters });
    this.resolveStopped();
    return this.stopped;
  }

  /**
   * What can no longer run once the node stops: tasks deferred by STOP_NODE (no START_NODE
   * will come) and inputs waiting for the rest of their task. Counted as dropped (`stopped`)
   * and logged as one line with the numbers: a line per input would spend the problem-log
   * budget, and the reader wants the totals.
   */
  private dropAtStop(): void {
    const deferredTasks = this.deferred.splice(0).length;
    const pendingInputs = this.join.dropAll().length;
    if (deferredTasks + pendingInputs === 0) return;
    this.counters.inputsDropped.stopped += deferredTasks + pendingInputs;
    this.log("warn", "dropped at stop", { reason: "stopped", deferredTasks, pendingInputs });
  }
}
