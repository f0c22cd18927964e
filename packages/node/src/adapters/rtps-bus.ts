import {
  createParticipant,
  type DataReader,
  type DataWriter,
  type EndpointOptions,
  guidToString,
  type IncompatibleReason,
  type Participant,
  type ParticipantOptions,
  PeerAllowlist,
  type ReceivedSample,
  type RemoteEndpointInfo,
  type TransportFactory,
} from "@wattprint/rtps";
import type { Logger } from "../log.ts";
import type { BusPort, BusSample, BusWriter, TopicSpec } from "../ports/bus.ts";
import { DEFAULT_DROP_LOG_INTERVAL_MS, startDropLog } from "./drop-log.ts";

/** The participant's hostile-input limits a node may set (rtps README, "Hostile input"). */
export type RtpsPeerLimits = Pick<
  ParticipantOptions,
  | "allowedPeers"
  | "maxRemoteParticipants"
  | "maxRemoteLeaseMs"
  | "maxEndpointsPerParticipant"
  | "maxSampleSize"
>;

/**
 * The largest sample a node's bus takes, 256 KiB. SustainML's task inputs are a few kilobytes
 * (names, a short problem text, `extra_data` of at most 64 KiB); the participant's own
 * default, 64 MiB, let a peer park 50 samples per input of that size in the task join, gigabytes
 * of strings once decoded. Larger samples are dropped in reassembly and counted
 * (`sample-too-large` in the drop log).
 */
export const DEFAULT_MAX_SAMPLE_BYTES = 256 * 1024;

/**
 * Reassembly buffers scaled to the sample limit: four samples in flight per remote writer,
 * sixteen in all (the participant's defaults, 96 and 192 MiB, suit its 64 MiB samples).
 */
export function sampleLimits(
  maxSampleSize: number,
): Pick<
  ParticipantOptions,
  "maxSampleSize" | "maxPendingFragmentBytesPerWriter" | "maxPendingFragmentBytes"
> {
  return {
    maxSampleSize,
    maxPendingFragmentBytesPerWriter: 4 * maxSampleSize,
    maxPendingFragmentBytes: 16 * maxSampleSize,
  };
}

/** Checks `allowedPeers` entries as the participant will: the reason when one is unreadable. */
export function allowedPeersProblem(entries: readonly string[]): string | undefined {
  const parsed = PeerAllowlist.parse(entries);
  return parsed.ok ? undefined : parsed.error.message;
}

export interface RtpsBusOptions {
  /** Participant name announced in SPDP (PID_ENTITY_NAME): the orchestrator keys on it. */
  readonly participantName: string;
  readonly domainId: number;
  /** IPv4 address of the NIC to use; the bus never guesses one. */
  readonly interfaceAddress: string;
  /** PID_PROPERTY_LIST, e.g. fastdds.application.id=SUSTAINML. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Replaces UDP, for tests over rtps's memory network. */
  readonly transport?: TransportFactory;
  readonly logger: Logger;
  /** Limits on remote peers; each one omitted takes the participant's default. */
  readonly peerLimits?: RtpsPeerLimits;
  /** At most one summary line of dropped peer traffic per this many ms. Default 10 s. */
  readonly dropLogIntervalMs?: number;
}

/** The match events DataWriter and DataReader share, with the same listener shapes. */
interface MatchEvents {
  on(event: "matched" | "unmatched", listener: (remote: RemoteEndpointInfo) => void): unknown;
  on(
    event: "incompatible",
    listener: (remote: RemoteEndpointInfo, reasons: readonly IncompatibleReason[]) => void,
  ): unknown;
}

export class RtpsBusError extends Error {
  override readonly name = "RtpsBusError";
}

/**
 * Every sample has the same shape (keyHash present even when undefined): the task path is
 * compiled once, during the warm-up, and a second object shape would make V8 recompile it.
 */
function toBusSample(sample: ReceivedSample): BusSample {
  return {
    payload: sample.payload,
    keyHash: sample.keyHash,
    disposed: sample.instanceState !== "alive",
    writer: guidToString(sample.writerGuid),
  };
}

/**
 * A class, not a literal of closures per writer: the warm-up's writers and the real ones then
 * share their methods, and code V8 optimised against the first stays valid for the second.
 */
class RtpsBusWriter implements BusWriter {
  constructor(
    private readonly writer: DataWriter,
    private readonly topicName: string,
    private readonly onClose: () => void,
  ) {}

  async write(payload: Uint8Array, keyHash: Uint8Array): Promise<void> {
    this.check(this.writer.write(payload, { keyHash }), "write");
  }

  async dispose(keyHash: Uint8Array): Promise<void> {
    this.check(this.writer.dispose(keyHash), "dispose");
  }

  async unregister(keyHash: Uint8Array): Promise<void> {
    this.check(this.writer.unregister(keyHash), "unregister");
  }

  async close(): Promise<void> {
    this.onClose();
    this.writer.close();
  }

  private check(result: ReturnType<DataWriter["write"]>, what: string): void {
    if (!result.ok)
      throw new RtpsBusError(
        `${what} on ${this.topicName} failed: ${result.error.kind}: ${result.error.message}`,
      );
  }
}

/**
 * The default bus: one RTPS participant for the whole node, named after it, as SustainML's
 * NodeImpl creates one per node. Matching events and write failures go to the log.
 */
export async function createRtpsBus(options: RtpsBusOptions): Promise<BusPort> {
  const created = await createParticipant({
    domainId: options.domainId,
    interfaceAddress: options.interfaceAddress,
    name: options.participantName,
    ...(options.properties ? { properties: options.properties } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    ...options.peerLimits,
    ...sampleLimits(options.peerLimits?.maxSampleSize ?? DEFAULT_MAX_SAMPLE_BYTES),
  });
  if (!created.ok) {
    throw new RtpsBusError(
      `cannot open RTPS participant on ${options.interfaceAddress} domain ${options.domainId}: ${created.error.message}`,
    );
  }
  const participant: Participant = created.value;
  const { logger } = options;
  // Before any endpoint opens: discovery and match lines are held to its budgets.
  const dropLog = startDropLog(
    () => participant.dropCounters(),
    logger,
    options.dropLogIntervalMs ?? DEFAULT_DROP_LOG_INTERVAL_MS,
  );
  const endpoints = new Set<DataWriter | DataReader>();
  /** Opens an endpoint for `spec` and logs its matches; writers and readers alike. */
  const open = <E extends DataWriter | DataReader>(
    spec: TopicSpec,
    role: "writer" | "reader",
    create: (options: EndpointOptions) => E,
  ): E => {
    const endpoint = create({
      topicName: spec.topicName,
      typeName: spec.typeName,
      keyed: spec.keyed,
      // The catalogue's QoS is spelled as rtps's QosInput (messages' topics.ts): no translation.
      qos: spec.qos,
    });
    const events: MatchEvents = endpoint;
    const fields = (remote: RemoteEndpointInfo) => ({ topic: spec.topicName, remote: remote.guid });
    // Within a budget: one peer opening and closing endpoints in a loop wrote three lines per
    // endpoint, as many as it liked (6,000 in 6.6 s).
    events.on("matched", (remote) => {
      if (dropLog.admitMatchLine()) logger.log("info", `${role} matched`, fields(remote));
    });
    events.on("unmatched", (remote) => {
      if (dropLog.admitMatchLine()) logger.log("info", `${role} unmatched`, fields(remote));
    });
    events.on("incompatible", (remote, reasons) => {
      if (!dropLog.admitMatchLine()) return;
      logger.log("warn", `${role} incompatible with a remote endpoint`, {
        ...fields(remote),
        reasons,
      });
    });
    endpoints.add(endpoint);
    return endpoint;
  };
  participant.on("participantDiscovered", (info) => {
    if (dropLog.admitPeerLine())
      logger.log("info", "participant discovered", {
        name: info.name ?? "(unnamed)",
        guidPrefix: info.guidPrefix,
      });
  });
  participant.on("participantLost", (info, reason) => {
    if (dropLog.admitPeerLine())
      logger.log("info", "participant lost", { name: info.name ?? "(unnamed)", reason });
  });

  return {
    participantName: options.participantName,
    describe: () =>
      `rtps domain ${options.domainId} on ${options.interfaceAddress} as ${options.participantName}`,
    async openWriter(spec) {
      const writer = open(spec, "writer", (o) => participant.createWriter(o));
      return new RtpsBusWriter(writer, spec.topicName, () => endpoints.delete(writer));
    },
    async openReader(spec, onSample) {
      const reader = open(spec, "reader", (o) => participant.createReader(o));
      reader.on("sample", (sample) => onSample(toBusSample(sample)));
      return {
        close: async () => {
          endpoints.delete(reader);
          reader.close();
        },
      };
    },
    async close() {
      dropLog.stop();
      for (const endpoint of endpoints) endpoint.close();
      endpoints.clear();
      await participant.close();
    },
  };
}
