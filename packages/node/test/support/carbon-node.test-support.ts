import { resolveGridIntensity } from "@wattprint/core";
import { NodeId, type ResponseTypeImpl } from "@wattprint/messages";
import { afterEach } from "vitest";
import { MemoryDomain } from "../../src/adapters/memory-bus.ts";
import { startTaskClient, type TaskClient } from "../../src/client/task-client.ts";
import { createMemoryLogger } from "../../src/log.ts";
import {
  type CarbonFootprintNode,
  type CarbonNodePorts,
  type CarbonNodeSettings,
  carbonFootprintNode,
  defaultCarbonNodeSettings,
} from "../../src/nodes/carbon-footprint.ts";
import { NodeRuntime, type NodeRuntimeOptions } from "../../src/runtime/node-runtime.ts";

/*
 * The carbon node on an in-memory bus with an orchestrator beside it, as the node's end-to-end
 * tests drive it. A test file calls `carbonNodeRig()` once at module level: the `afterEach`
 * that stops the nodes must be registered in that file's scope, not at import time here.
 */

export type MemoryLogger = ReturnType<typeof createMemoryLogger>;

export interface CarbonNodeRigOptions {
  /** Laid over `defaultCarbonNodeSettings()`. */
  readonly settings?: Partial<CarbonNodeSettings>;
  /** The node's ports, e.g. `{ measurer }`; none means every task is estimated. */
  readonly ports?: CarbonNodePorts;
  /** Laid over the rig's bus and logger: a test's limits, clock or node-command policy. */
  readonly runtime?: Partial<NodeRuntimeOptions>;
  /** Changes the definition before the node starts with it (a gate, a throwing handler). */
  readonly wrap?: (node: CarbonFootprintNode) => CarbonFootprintNode;
  /**
   * Connects the orchestrator before the node starts, so it reads every status from
   * INITIALIZING on; connected after, it is a late reader and gets the last one only (KEEP_LAST 1).
   */
  readonly orchestratorFirst?: boolean;
  /**
   * Runs with the orchestrator connected and the node not yet started (implies
   * `orchestratorFirst`): what it writes is on the bus before the node joins (TRANSIENT_LOCAL).
   */
  readonly beforeNode?: (orchestrator: TaskClient) => Promise<void>;
}

export interface CarbonNodeRig {
  readonly domain: MemoryDomain;
  readonly logger: MemoryLogger;
  /** The definition the node runs, `wrap` applied: its `settings()` follow configuration. */
  readonly definition: CarbonFootprintNode;
  readonly runtime: NodeRuntime;
  /** Connected as ORCHESTRATOR_NODE: after the node unless `orchestratorFirst` or `beforeNode`. */
  readonly orchestrator: TaskClient;
}

/**
 * Registers an `afterEach` that stops every node the returned function started in the test
 * (stopping twice is harmless, so tests may stop their node themselves), and returns the
 * function that starts one rig.
 */
export function carbonNodeRig(): (options?: CarbonNodeRigOptions) => Promise<CarbonNodeRig> {
  const running: NodeRuntime[] = [];
  afterEach(async () => {
    for (const runtime of running.splice(0)) await runtime.stop("test over");
  });
  return async (options = {}) => {
    const domain = new MemoryDomain();
    const logger = createMemoryLogger();
    const node = carbonFootprintNode(
      { ...defaultCarbonNodeSettings(), ...options.settings },
      options.ports,
    );
    const definition = options.wrap ? options.wrap(node) : node;
    const startNode = async () => {
      const runtime = await NodeRuntime.start(definition, {
        bus: domain.connect("CARBON_FOOTPRINT_NODE"),
        logger,
        ...options.runtime,
      });
      running.push(runtime);
      return runtime;
    };
    const { beforeNode } = options;
    if (options.orchestratorFirst || beforeNode) {
      const orchestrator = await startTaskClient(domain.connect("ORCHESTRATOR_NODE"));
      await beforeNode?.(orchestrator);
      return { domain, logger, definition, runtime: await startNode(), orchestrator };
    }
    const runtime = await startNode();
    const orchestrator = await startTaskClient(domain.connect("ORCHESTRATOR_NODE"));
    return { domain, logger, definition, runtime, orchestrator };
  };
}

/** Spain's grid intensity from the embedded tables: `taskParts`' default region is Spain. */
export const spain = (): number => {
  const result = resolveGridIntensity({ location: "ES" });
  if (!result.ok) throw new Error("ES");
  return result.value.intensity.value;
};

/** Sends the carbon node a configuration request and waits for the response to it. */
export async function configureNode(
  orchestrator: TaskClient,
  transaction: number,
  configuration: string,
): Promise<ResponseTypeImpl> {
  await orchestrator.configure({
    node_id: NodeId.CARBON_FOOTPRINT,
    transaction_id: transaction,
    configuration,
  });
  const answer = () => orchestrator.responses.find((r) => r.transaction_id === transaction);
  await orchestrator.waitFor(() => answer() !== undefined, `response ${transaction}`);
  return answer() as ResponseTypeImpl;
}
