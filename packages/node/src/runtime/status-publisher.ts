import { ErrorCode, nodeStatusImplCodec, Status, TaskStatus } from "@wattprint/messages";
import type { BusWriter } from "../ports/bus.ts";
import { wireSafeText } from "./wire-text.ts";

/**
 * Publishes a node's status as SustainML does: one instance per node (`task_id` {0,0}),
 * `task_status` left at its default. Publications are chained so they leave in the order
 * they were decided, whatever the bus does; ERROR also carries its description and code.
 */
export class StatusPublisher {
  private status: Status = Status.NODE_INACTIVE;
  private chain: Promise<void> = Promise.resolve();
  /** One instance for the node's life: its MD5 key hash is computed once. */
  private readonly keyHash: Uint8Array;
  /**
   * Without an error description a status sample depends on the status alone: RUNNING and
   * IDLE, published around every task, are encoded once (the writer never alters payloads).
   */
  private readonly encoded = new Map<Status, Uint8Array>();

  constructor(
    private readonly writer: BusWriter,
    private readonly nodeName: string,
    private readonly onError: (error: unknown) => void,
    /** Called when a description had to be cut or cleaned before it could be published. */
    private readonly onDescriptionChanged: () => void = () => {},
  ) {
    this.keyHash = nodeStatusImplCodec.keyHash({
      ...nodeStatusImplCodec.defaults(),
      node_name: nodeName,
      task_id: { problem_id: 0, iteration_id: 0 },
    });
  }

  get current(): Status {
    return this.status;
  }

  publish(status: Status, errorDescription = ""): Promise<void> {
    this.status = status;
    // Descriptions quote task inputs: unchecked, a NUL from a peer's JSON made the encoder
    // throw here, and the task that published it never answered.
    const safe = wireSafeText(errorDescription);
    if (safe.changed) this.onDescriptionChanged();
    const payload = this.payload(status, safe.text);
    this.chain = this.chain.then(() =>
      this.writer.write(payload, this.keyHash).catch(this.onError),
    );
    return this.chain;
  }

  private payload(status: Status, errorDescription: string): Uint8Array {
    const cached = errorDescription === "" ? this.encoded.get(status) : undefined;
    if (cached) return cached;
    const sample = {
      node_status: status,
      task_status: TaskStatus.TASK_WAITING,
      error_code: status === Status.NODE_ERROR ? ErrorCode.INTERNAL_ERROR : ErrorCode.NO_ERROR,
      error_description: errorDescription,
      node_name: this.nodeName,
      task_id: { problem_id: 0, iteration_id: 0 },
    };
    const encoded = nodeStatusImplCodec.encode(sample);
    if (errorDescription === "") this.encoded.set(status, encoded);
    return encoded;
  }
}
