import { type CO2FootprintImpl, NodeName, Status, type TaskIdImpl } from "@wattprint/messages";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { TransportFactory } from "@wattprint/rtps";
import { fastDdsFraming, MemoryNetwork } from "@wattprint/rtps/memory";
import { createRtpsBus } from "../adapters/rtps-bus.ts";
import { startTaskClient, type TaskClient } from "../client/task-client.ts";
import type { Logger } from "../log.ts";
import type { CarbonFootprintNode } from "../nodes/carbon-footprint.ts";
import type { BusPort } from "../ports/bus.ts";
import { NodeRuntime } from "../runtime/node-runtime.ts";
import { WarmUpLosses } from "./warm-up-losses.ts";

export interface WarmUpOptions {
  /** Synthetic tasks to run; V8 has optimised the task path after a few thousand. */
  readonly tasks: number;
  /** Tasks per burst in the second half, so the batched paths are compiled too. */
  readonly burstSize?: number;
  /** Gives up (and says so) after this long; the node then starts cold. */
  readonly timeoutMs?: number;
  /** Ends the warm-up early (`aborted`): a process told to stop while warming up. */
  readonly signal?: AbortSignal;
  /**
   * The logger the node will serve with. The synthetic tasks log through it, so V8 optimises
   * the node's logging as it will run; the caller decides what of those records to keep.
   */
  readonly logger: Logger;
}

export interface WarmUpReport {
  readonly tasks: number;
  readonly elapsedMs: number;
  /** Datagrams the warm-up's network lost on purpose (see WarmUpLosses), all repaired. */
  readonly lostDatagrams: number;
}

/**
 * Why the warm-up gave up: its time limit passed (`timeout`), the node answered a synthetic
 * task with an ERROR status (`task-failed`), or with an output that cannot be right
 * (`wrong-answer`), or its caller's signal aborted it (`aborted`). The node still serves,
 * only cold; the message starts `warm-up failed:`.
 */
export type WarmUpErrorKind = "timeout" | "task-failed" | "wrong-answer" | "aborted";

export type WarmUpError = Failure<WarmUpErrorKind>;

/** Carries a warm-up failure through the waiters' promises to warmUpCarbonNode's catch. */
class WarmUpAbort extends Error {
  constructor(readonly failure: WarmUpError) {
    super(failure.message);
  }
}

/** Tasks the first, short-lived client sends before it leaves. */
const FIRST_CLIENT_TASKS = 20;

/** Where the private network puts the node under warm-up. */
const NODE_IP = "10.0.0.1";

/** Problem id of the synthetic tasks; they never leave the process. */
const WARM_UP_PROBLEM = 0xffff_fff0;

/**
 * Runs synthetic tasks through the carbon node's definition, hosted by a private runtime on
 * an RTPS network that lives in this process, before the real node opens. The real node then
 * serves with the same definition (the same closures) and the same code, so its first tasks
 * run optimised instead of racing the JIT: measured on the task-latency benchmark, JIT
 * compilation during the first thousands of tasks took a core from the orchestrator and
 * doubled the latency tail. Each synthetic task must come back with an answer for its own
 * task id and no ERROR status, so this also checks the whole path once.
 */
export async function warmUpCarbonNode(
  definition: CarbonFootprintNode,
  options: WarmUpOptions,
): Promise<Result<WarmUpReport, WarmUpError>> {
  const started = performance.now();
  const network = new MemoryNetwork();
  network.dropPolicy = new WarmUpLosses(NODE_IP).drop;
  const { logger } = options;
  const buses: BusPort[] = [];
  const open = async (name: string, address: string, transport: TransportFactory) => {
    const bus = await createRtpsBus({
      participantName: name,
      domainId: 0,
      interfaceAddress: address,
      transport,
      logger,
    });
    buses.push(bus);
    return bus;
  };
  // The orchestrator SustainML ships is Fast DDS: clients frame their datagrams the same
  // way, so the node's JIT is trained on the receive paths real tasks take.
  const openClient = async (name: string, address: string): Promise<WarmUpClient> => {
    const bus = await open(name, address, fastDdsFraming(network.transport(address)));
    const client = await startTaskClient(bus);
    client.onEvent((event) => {
      if (event.kind === "output") answers.arrived(event.output);
      if (event.kind === "status" && event.status.node_status === Status.NODE_ERROR) {
        answers.fail("task-failed", `the node reported ERROR: ${event.status.error_description}`);
      }
    });
    return { bus, client };
  };
  let runtime: NodeRuntime | undefined;
  const answers = new Answers(started + (options.timeoutMs ?? 30_000));
  const abort = (): void => answers.fail("aborted", "stopped by its caller");
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    runtime = await NodeRuntime.start(definition, {
      bus: await open(NodeName.CARBON_FOOTPRINT_NODE, NODE_IP, network.transport(NODE_IP)),
      logger,
    });
    const burstSize = Math.max(1, options.burstSize ?? 25);
    // A first client sends a few tasks and leaves, as an orchestrator that restarts does: the
    // node's paths for a peer that goes (unmatching, disposals) are trained early, instead of
    // being met first when the warm-up ends, which left those functions deoptimised.
    const first = Math.min(FIRST_CLIENT_TASKS, options.tasks);
    const firstClient = await openClient("WATTPRINT_WARM_UP_1", "10.0.0.2");
    await runTasks(firstClient, 1, first, 1, answers);
    await firstClient.bus.close();
    buses.splice(buses.indexOf(firstClient.bus), 1);
    const client = await openClient("WATTPRINT_WARM_UP", "10.0.0.3");
    // Half sequential tasks, half bursts, so the batched paths are compiled too.
    const sequentialEnd = Math.max(first, Math.ceil(options.tasks / 2));
    await runTasks(client, first + 1, sequentialEnd, 1, answers);
    await runTasks(client, sequentialEnd + 1, options.tasks, burstSize, answers);
    return ok({
      tasks: options.tasks,
      elapsedMs: performance.now() - started,
      lostDatagrams: network.dropped,
    });
  } catch (thrown) {
    // Only the warm-up's own verdicts are values; anything else is a bug and stays a throw.
    if (thrown instanceof WarmUpAbort) return err(thrown.failure);
    throw thrown;
  } finally {
    options.signal?.removeEventListener("abort", abort);
    answers.close();
    await runtime?.stop("warm-up done");
    for (const bus of buses) await bus.close();
  }
}

interface WarmUpClient {
  readonly bus: BusPort;
  readonly client: TaskClient;
}

/** Sends tasks `from`..`to` (inclusive), `size` at a time, and waits for every answer. */
async function runTasks(
  { client }: WarmUpClient,
  from: number,
  to: number,
  size: number,
  answers: Answers,
): Promise<void> {
  answers.expectFrom(from);
  for (let next = from; next <= to; next += size) {
    const ids = Array.from({ length: Math.min(size, to - next + 1) }, (_, i) => taskId(next + i));
    // Promise.all first, so a failure while sending is already handled when it rejects.
    const answered = Promise.all(ids.map((id) => answers.waitFor(id)));
    for (const id of ids) await client.sendTask(id);
    await answered;
    for (const id of ids) await client.releaseTask(id);
  }
}

function taskId(iteration: number): TaskIdImpl {
  return { problem_id: WARM_UP_PROBLEM, iteration_id: iteration };
}

/** Resolves one waiter per task id when its output arrives; rejects all of them on a failure. */
class Answers {
  private readonly waiters = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private failure: WarmUpAbort | undefined;
  /** Outputs of earlier tasks, which the node's durable writer replays to a new client. */
  private replayedBelow = 1;
  private readonly timer: NodeJS.Timeout;

  constructor(deadline: number) {
    this.timer = setTimeout(
      () => this.fail("timeout", "timed out"),
      Math.max(0, deadline - performance.now()),
    );
    // A warm-up in progress must not keep a stopping process alive.
    this.timer.unref();
  }

  /** Tasks below `first` were answered before; their outputs may arrive again (replays). */
  expectFrom(first: number): void {
    this.replayedBelow = first;
  }

  waitFor(id: TaskIdImpl): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiters.set(id.iteration_id, { resolve, reject });
    });
  }

  arrived(output: CO2FootprintImpl): void {
    const { problem_id: problem, iteration_id: iteration } = output.task_id;
    if (problem === WARM_UP_PROBLEM && iteration < this.replayedBelow) return;
    const waiter = this.waiters.get(iteration);
    if (problem !== WARM_UP_PROBLEM || !waiter) {
      this.fail("wrong-answer", `an output for task (${problem}, ${iteration}) nobody asked for`);
      return;
    }
    if (!Number.isFinite(output.carbon_footprint) || output.carbon_footprint < 0) {
      this.fail(
        "wrong-answer",
        `task ${iteration} answered carbon_footprint ${output.carbon_footprint}`,
      );
      return;
    }
    this.waiters.delete(iteration);
    waiter.resolve();
  }

  close(): void {
    clearTimeout(this.timer);
  }

  /** The first failure wins: later ones are consequences of it. */
  fail(kind: WarmUpErrorKind, what: string): void {
    this.failure ??= new WarmUpAbort(failure(kind, `warm-up failed: ${what}`));
    clearTimeout(this.timer);
    for (const waiter of this.waiters.values()) waiter.reject(this.failure);
    this.waiters.clear();
  }
}
