import { decodeMessage } from "@wattprint/rtps";

/** Entity id of the SEDP writer that announces a participant's writers. */
const SEDP_PUBLICATIONS_WRITER = 0x000003c2;

/** Which datagrams carrying user samples the warm-up loses, counted per direction. */
const LOST_TO_NODE = new Set([12, 31, 57]);
const LOST_FROM_NODE = new Set([17, 44]);

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
      // Builtin (discovery) entity ids have both top bits of their kind set.
      if ((item.writerId & 0xc0) !== 0xc0) userData = true;
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
