import { type CO2FootprintImpl, NodeName, Status, type TaskIdImpl } from "@wattprint/messages";
import { MemoryNetwork } from "@wattprint/rtps";
import { createRtpsBus } from "../adapters/rtps-bus.ts";
import { startTaskClient } from "../client/task-client.ts";
import type { Logger } from "../log.ts";
import type { BusPort } from "../ports/bus.ts";
import { NodeRuntime } from "../runtime/node-runtime.ts";
import { type CarbonNodeSettings, carbonFootprintNode } from "./carbon-footprint.ts";

export interface WarmUpOptions {
  /** Synthetic tasks to run; V8 has optimised the task path after a few thousand. */
  readonly tasks: number;
  /** Tasks per burst in the second half, so the batched paths are compiled too. */
  readonly burstSize?: number;
  /** Gives up (and says so) after this long; the node then starts cold. */
  readonly timeoutMs?: number;
}

export interface WarmUpReport {
  readonly tasks: number;
  readonly elapsedMs: number;
}

export class WarmUpError extends Error {
  override readonly name = "WarmUpError";
}

/** Problem id of the synthetic tasks; they never leave the process. */
const WARM_UP_PROBLEM = 0xffff_fff0;

/**
 * Runs synthetic tasks through a private copy of the carbon node, over an RTPS network that
 * lives in this process, before the real node opens. The real node shares the same code, so
 * its first tasks run optimised instead of racing the JIT: measured on the task-latency
 * benchmark, JIT compilation during the first thousands of tasks took a core from the
 * orchestrator and doubled the latency tail. Each synthetic task must come back with an
 * answer for its own task id and no ERROR status, so this also checks the whole path once.
 */
export async function warmUpCarbonNode(
  settings: CarbonNodeSettings,
  options: WarmUpOptions,
): Promise<WarmUpReport> {
  const started = performance.now();
  const network = new MemoryNetwork();
  // Debug and info records of thousands of synthetic tasks serve nobody: only problems are
  // kept (a few), so that a failed warm-up can say what went wrong.
  const problems: string[] = [];
  const logger: Logger = {
    enabled: (level) => level === "warn" || level === "error",
    log: (level, message) => {
      if ((level === "warn" || level === "error") && problems.length < 5) problems.push(message);
    },
  };
  const buses: BusPort[] = [];
  const open = async (name: string, address: string) => {
    const bus = await createRtpsBus({
      participantName: name,
      domainId: 0,
      interfaceAddress: address,
      transport: network.transport(address),
      logger,
    });
    buses.push(bus);
    return bus;
  };
  let runtime: NodeRuntime | undefined;
  const answers = new Answers(started + (options.timeoutMs ?? 30_000));
  try {
    runtime = await NodeRuntime.start(carbonFootprintNode(settings), {
      bus: await open(NodeName.CARBON_FOOTPRINT_NODE, "10.0.0.1"),
      logger,
    });
    const client = await startTaskClient(await open("WATTPRINT_WARM_UP", "10.0.0.2"));
    client.onEvent((event) => {
      if (event.kind === "output") answers.arrived(event.output);
      if (event.kind === "status" && event.status.node_status === Status.NODE_ERROR) {
        answers.fail(`the node reported ERROR: ${event.status.error_description}`);
      }
    });
    const burstSize = Math.max(1, options.burstSize ?? 25);
    const sequential = Math.ceil(options.tasks / 2);
    let next = 1;
    while (next <= options.tasks) {
      const size = next <= sequential ? 1 : Math.min(burstSize, options.tasks - next + 1);
      const ids = Array.from({ length: size }, (_, i) => taskId(next + i));
      next += size;
      // Promise.all first, so a failure while sending is already handled when it rejects.
      const answered = Promise.all(ids.map((id) => answers.waitFor(id)));
      for (const id of ids) await client.sendTask(id);
      await answered;
      for (const id of ids) await client.releaseTask(id);
    }
    return { tasks: options.tasks, elapsedMs: performance.now() - started };
  } catch (error) {
    if (error instanceof WarmUpError && problems.length > 0)
      throw new WarmUpError(`${error.message} (node log: ${problems.join("; ")})`);
    throw error;
  } finally {
    answers.close();
    await runtime?.stop("warm-up done");
    for (const bus of buses) await bus.close();
  }
}

function taskId(iteration: number): TaskIdImpl {
  return { problem_id: WARM_UP_PROBLEM, iteration_id: iteration };
}

/** Resolves one waiter per task id when its output arrives; rejects all of them on a failure. */
class Answers {
  private readonly waiters = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private failure: WarmUpError | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(deadline: number) {
    this.timer = setTimeout(
      () => this.fail("timed out"),
      Math.max(0, deadline - performance.now()),
    );
    // A warm-up in progress must not keep a stopping process alive.
    this.timer.unref();
  }

  waitFor(id: TaskIdImpl): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiters.set(id.iteration_id, { resolve, reject });
    });
  }

  arrived(output: CO2FootprintImpl): void {
    const { problem_id: problem, iteration_id: iteration } = output.task_id;
    const waiter = this.waiters.get(iteration);
    if (problem !== WARM_UP_PROBLEM || !waiter) {
      this.fail(`an output for task (${problem}, ${iteration}) nobody asked for`);
      return;
    }
    if (!Number.isFinite(output.carbon_footprint) || output.carbon_footprint < 0) {
      this.fail(`task ${iteration} answered carbon_footprint ${output.carbon_footprint}`);
      return;
    }
    this.waiters.delete(iteration);
    waiter.resolve();
  }

  close(): void {
    clearTimeout(this.timer);
  }

  fail(reason: string): void {
    this.failure ??= new WarmUpError(`warm-up failed: ${reason}`);
    clearTimeout(this.timer);
    for (const waiter of this.waiters.values()) waiter.reject(this.failure);
    this.waiters.clear();
  }
}
