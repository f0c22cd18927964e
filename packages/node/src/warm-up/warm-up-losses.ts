import { decodeMessage, isBuiltinEntity } from "@wattprint/rtps/memory";

/** Entity id of the SEDP writer that announces a participant's writers. */
const SEDP_PUBLICATIONS_WRITER = 0x000003c2;

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

  /** `nodeAddress`: where the node under warm-up listens (its datagrams come from there too). */
  constructor(private readonly nodeAddress: readonly number[]) {}

  /** A `MemoryNetwork` drop policy: true loses the datagram. */
  readonly drop = (datagram: Uint8Array, to: { readonly address: Uint8Array }): boolean => {
    // Past the last staged loss nothing is dropped: the rest of the warm-up decodes nothing.
    if (this.announcementDropped && this.toNode >= LAST_TO_NODE && this.fromNode >= LAST_FROM_NODE)
      return false;
    const decoded = decodeMessage(datagram);
    if (!decoded.ok) return false;
    const toNode = this.isNode(to.address);
    let userData = false;
    for (const item of decoded.value.items) {
      if (item.kind !== "data") continue;
      if (toNode && !this.announcementDropped && item.writerId === SEDP_PUBLICATIONS_WRITER) {
        this.announcementDropped = true;
        return true;
      }
      if (!isBuiltinEntity(item.writerId)) userData = true;
    }
    if (!userData) return false;
    if (toNode) return LOST_TO_NODE.has(++this.toNode);
    return LOST_FROM_NODE.has(++this.fromNode);
  };

  private isNode(address: Uint8Array): boolean {
    // IPv4 locators keep the address in the last four of their 16 bytes.
    for (let i = 0; i < 4; i++) if (address[12 + i] !== this.nodeAddress[i]) return false;
    return true;
  }
}
