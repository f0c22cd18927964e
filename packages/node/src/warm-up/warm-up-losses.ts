import { ipv4ToNumber, type Locator, locatorIpNumber } from "@wattprint/rtps";
import { decodeMessage, EntityIds, isBuiltinEntity } from "@wattprint/rtps/memory";

/** Which datagrams carrying user samples the warm-up loses, counted per direction. */
const LOST_TO_NODE = new Set([12, 31, 57]);
const LOST_FROM_NODE = new Set([17, 44]);
const LAST_TO_NODE = Math.max(...LOST_TO_NODE);
const LAST_FROM_NODE = Math.max(...LOST_FROM_NODE);

/**
 * What a real session brings that a clean in-process network does not, applied to the
 * warm-up's first tasks: the client's writers are announced late (its first samples reach
 * the node before the node knows their writer, are held, then replayed), and a few datagrams
 * are lost each way (repaired through heartbeats, NACKs and GAPs). Without them the node's
 * optimised code has never seen those paths, and the first time a real peer takes one,
 * V8 throws the code away and recompiles it on a second core while tasks are running.
 * Every loss is repaired by the protocol, so each synthetic task is still answered.
 */
export class WarmUpLosses {
  private announcementDropped = false;
  private toNode = 0;
  private fromNode = 0;

  /** The node's IPv4 address as a number: one compare per datagram, no string. */
  private readonly nodeIp: number;

  /** `nodeAddress`: where the node under warm-up listens ("a.b.c.d"; it sends from there too). */
  constructor(nodeAddress: string) {
    this.nodeIp = ipv4ToNumber(nodeAddress);
  }

  /** A `MemoryNetwork` drop policy: true loses the datagram. */
  readonly drop = (datagram: Uint8Array, to: Locator): boolean => {
    // Past the last staged loss nothing is dropped: the rest of the warm-up decodes nothing.
    if (this.announcementDropped && this.toNode >= LAST_TO_NODE && this.fromNode >= LAST_FROM_NODE)
      return false;
    const decoded = decodeMessage(datagram);
    if (!decoded.ok) return false;
    const toNode = locatorIpNumber(to) === this.nodeIp;
    let userData = false;
    for (const item of decoded.value.items) {
      if (item.kind !== "data") continue;
      if (
        toNode &&
        !this.announcementDropped &&
        item.writerId === EntityIds.sedpPublicationsWriter
      ) {
        this.announcementDropped = true;
        return true;
      }
      if (!isBuiltinEntity(item.writerId)) userData = true;
    }
    if (!userData) return false;
    if (toNode) return LOST_TO_NODE.has(++this.toNode);
    return LOST_FROM_NODE.has(++this.fromNode);
  };
}
