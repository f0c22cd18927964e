import {
  type CO2FootprintImpl,
  CONFIG_TOPIC_QOS,
  co2FootprintImplCodec,
  type EndpointQos,
  type HWResourceImpl,
  hwResourceImplCodec,
  type MessageCodec,
  type MLModelImpl,
  mlModelImplCodec,
  type NodeControlImpl,
  type NodeStatusImpl,
  nodeControlImplCodec,
  nodeStatusImplCodec,
  type RequestTypeImpl,
  type ResponseTypeImpl,
  requestTypeImplCodec,
  responseTypeImplCodec,
  TASK_DATA_QOS,
  type TaskIdImpl,
  TOPICS,
  type UserInputImpl,
  userInputImplCodec,
  writeExtraData,
} from "@wattprint/messages";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { BusPort, BusWriter } from "../ports/bus.ts";

/**
 * A minimal SustainML orchestrator over any bus: writes the three inputs of a task, control
 * commands and configuration requests, and collects the node's statuses, outputs and
 * responses. `wattprint bus send-task` and the runtime tests both drive a node with it.
 */
export interface TaskClient {
  readonly statuses: NodeStatusImpl[];
  readonly outputs: CO2FootprintImpl[];
  readonly responses: ResponseTypeImpl[];
  /** Samples from the node that did not decode, with the reason. */
  readonly decodeErrors: string[];
  /**
   * Entries each list above gave up, oldest first, to stay within MAX_COLLECTED_PER_LIST:
   * any peer on the domain can publish on these topics, as fast as it likes.
   */
  readonly dropped: TaskClientDropped;
  sendTask(taskId: TaskIdImpl, overrides?: TaskOverrides): Promise<void>;
  /** Unregisters a finished task's three inputs, freeing their instances (500 at most). */
  releaseTask(taskId: TaskIdImpl): Promise<void>;
  sendRaw(topic: "model" | "userInput" | "hw", payload: Uint8Array): Promise<void>;
  send<K extends "model" | "userInput" | "hw">(topic: K, value: TaskParts[K]): Promise<void>;
  control(command: Partial<NodeControlImpl>): Promise<void>;
  configure(request: RequestTypeImpl): Promise<void>;
  /**
   * Polls `predicate` until it holds or `timeoutMs` (default 5000) passes; a timeout is a
   * `Failure<"timeout">` whose message names `what` was awaited. For a node that may not be
   * there (the CLI's send-task).
   */
  waitUntil(
    predicate: () => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<Result<void, WaitTimeout>>;
  /** `waitUntil` for tests and scripts, where a timeout is a failure: it throws its message. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Called for each status and output as it arrives (for live printing). */
  onEvent(listener: (event: TaskClientEvent) => void): void;
}

/** Entries kept in each of a client's lists; a flood past it drops the oldest, counted. */
export const MAX_COLLECTED_PER_LIST = 10_000;

export interface TaskClientDropped {
  statuses: number;
  outputs: number;
  responses: number;
  decodeErrors: number;
}

/** Appends `value`, dropping the oldest entries past the limit; returns how many went. */
function pushBounded<V>(list: V[], value: V): number {
  list.push(value);
  const excess = list.length - MAX_COLLECTED_PER_LIST;
  if (excess <= 0) return 0;
  list.splice(0, excess);
  return excess;
}

/** Nothing arrived in time: `timed out waiting for <what>`. */
export interface WaitTimeout extends Failure<"timeout"> {
  readonly timeoutMs: number;
}

export type TaskClientEvent =
  | { readonly kind: "status"; readonly status: NodeStatusImpl }
  | { readonly kind: "output"; readonly output: CO2FootprintImpl }
  | { readonly kind: "response"; readonly response: ResponseTypeImpl };

export interface TaskParts {
  model: MLModelImpl;
  userInput: UserInputImpl;
  hw: HWResourceImpl;
}

export interface TaskOverrides {
  model?: Partial<MLModelImpl>;
  userInput?: Partial<UserInputImpl>;
  hw?: Partial<HWResourceImpl>;
}

const spec = (topicName: string, typeName: string, qos: EndpointQos) => ({
  topicName,
  typeName,
  keyed: true,
  qos,
});

export function taskParts(taskId: TaskIdImpl, overrides: TaskOverrides = {}): TaskParts {
  return {
    model: {
      ...mlModelImplCodec.defaults(),
      model: "bert-base",
      model_path: "bert.onnx",
      ...overrides.model,
      task_id: taskId,
    },
    userInput: {
      ...userInputImplCodec.defaults(),
      geo_location_region: "Spain",
      geo_location_continent: "Europe",
      extra_data: writeExtraData({ num_outputs: 1 }),
      ...overrides.userInput,
      task_id: taskId,
    },
    hw: {
      ...hwResourceImplCodec.defaults(),
      hw_description: "PIM_AI_1chip",
      power_consumption: 100,
      latency: 0.01,
      ...overrides.hw,
      task_id: taskId,
    },
  };
}

async function waitUntil(
  predicate: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<Result<void, WaitTimeout>> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      return err(failure("timeout", `timed out waiting for ${what}`, { timeoutMs }));
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return ok(undefined);
}

export async function startTaskClient(bus: BusPort): Promise<TaskClient> {
  const statuses: NodeStatusImpl[] = [];
  const outputs: CO2FootprintImpl[] = [];
  const responses: ResponseTypeImpl[] = [];
  const listeners: ((event: TaskClientEvent) => void)[] = [];
  const decodeErrors: string[] = [];
  const dropped: TaskClientDropped = { statuses: 0, outputs: 0, responses: 0, decodeErrors: 0 };
  const collect =
    <V>(
      codec: MessageCodec<V>,
      into: V[],
      list: keyof TaskClientDropped,
      toEvent: (value: V) => TaskClientEvent,
    ) =>
    (sample: { payload: Uint8Array; disposed: boolean }) => {
      if (sample.disposed) return;
      const decoded = codec.decode(sample.payload);
      // A peer's bad sample must not end the client: note it and carry on.
      if (!decoded.ok) {
        dropped.decodeErrors += pushBounded(
          decodeErrors,
          `${codec.typeName}: ${decoded.error.message}`,
        );
        return;
      }
      dropped[list] += pushBounded(into, decoded.value);
      for (const listener of listeners) listener(toEvent(decoded.value));
    };
  await bus.openReader(
    spec(TOPICS.status.name, TOPICS.status.typeName, TASK_DATA_QOS),
    collect(nodeStatusImplCodec, statuses, "statuses", (status) => ({ kind: "status", status })),
  );
  await bus.openReader(
    spec(TOPICS.carbonOutput.name, TOPICS.carbonOutput.typeName, TASK_DATA_QOS),
    collect(co2FootprintImplCodec, outputs, "outputs", (output) => ({ kind: "output", output })),
  );
  await bus.openReader(
    spec(TOPICS.configResponse.name, TOPICS.configResponse.typeName, CONFIG_TOPIC_QOS),
    collect(responseTypeImplCodec, responses, "responses", (response) => ({
      kind: "response",
      response,
    })),
  );
  const writers: Record<"model" | "userInput" | "hw", BusWriter> = {
    model: await bus.openWriter(
      spec(TOPICS.mlModelOutput.name, TOPICS.mlModelOutput.typeName, TASK_DATA_QOS),
    ),
    userInput: await bus.openWriter(
      spec(TOPICS.userInput.name, TOPICS.userInput.typeName, TASK_DATA_QOS),
    ),
    hw: await bus.openWriter(
      spec(TOPICS.hwResourcesOutput.name, TOPICS.hwResourcesOutput.typeName, TASK_DATA_QOS),
    ),
  };
  const codecs = {
    model: mlModelImplCodec,
    userInput: userInputImplCodec,
    hw: hwResourceImplCodec,
  } as const;
  const control = await bus.openWriter(
    spec(TOPICS.control.name, TOPICS.control.typeName, TASK_DATA_QOS),
  );
  const requests = await bus.openWriter(
    spec(TOPICS.configRequest.name, TOPICS.configRequest.typeName, CONFIG_TOPIC_QOS),
  );

  const send = async <K extends "model" | "userInput" | "hw">(topic: K, value: TaskParts[K]) => {
    const codec = codecs[topic] as unknown as MessageCodec<TaskParts[K]>;
    await writers[topic].write(codec.encode(value), codec.keyHash(value));
  };
  return {
    statuses,
    outputs,
    responses,
    decodeErrors,
    dropped,
    onEvent: (listener) => {
      listeners.push(listener);
    },
    send,
    async sendTask(taskId, overrides) {
      const parts = taskParts(taskId, overrides);
      await send("model", parts.model);
      await send("userInput", parts.userInput);
      await send("hw", parts.hw);
    },
    async releaseTask(taskId) {
      const parts = taskParts(taskId);
      await writers.model.unregister(mlModelImplCodec.keyHash(parts.model));
      await writers.userInput.unregister(userInputImplCodec.keyHash(parts.userInput));
      await writers.hw.unregister(hwResourceImplCodec.keyHash(parts.hw));
    },
    async sendRaw(topic, payload) {
      await writers[topic].write(payload, new Uint8Array(16));
    },
    async control(command) {
      const value: NodeControlImpl = {
        ...nodeControlImplCodec.defaults(),
        source_node: "ORCHESTRATOR",
        ...command,
      };
      await control.write(nodeControlImplCodec.encode(value), nodeControlImplCodec.keyHash(value));
    },
    async configure(request) {
      await requests.write(
        requestTypeImplCodec.encode(request),
        requestTypeImplCodec.keyHash(request),
      );
    },
    waitUntil,
    async waitFor(predicate, what, timeoutMs) {
      const waited = await waitUntil(predicate, what, timeoutMs);
      if (!waited.ok) throw new Error(waited.error.message);
    },
  };
}
