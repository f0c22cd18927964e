import type { EndpointDescription } from "../discovery/endpoint-description.ts";
import { type RemoteEndpointInfo, remoteEndpointInfo } from "../discovery/remote-endpoint.ts";
import type { ParticipantData } from "../discovery/spdp-data.ts";
import type { RtpsReader } from "../endpoints/reader.ts";
import type { RtpsWriter } from "../endpoints/writer.ts";
import type { IncompatibleReason } from "../qos/compatibility.ts";
import { matchEndpoints } from "../qos/compatibility.ts";
import { DURABILITY_RANK } from "../qos/endpoint-qos.ts";
import { type Guid, type GuidPrefix, guidToString, prefixToString } from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";

export interface MatcherDeps {
  readonly remoteParticipant: (prefix: GuidPrefix) => ParticipantData | undefined;
  readonly writers: () => Iterable<LocalWriter>;
  readonly readers: () => Iterable<LocalReader>;
  /** A remote writer was matched with one of our readers. */
  readonly writerMatched?: (writer: Guid) => void;
  /** SEDP endpoints kept per remote participant; more are refused. */
  readonly maxEndpointsPerParticipant: number;
  /** Remote readers one local writer is matched with; MAX_MATCHED_READERS_PER_WRITER when absent. */
  readonly maxMatchedReadersPerWriter?: number | undefined;
}

/**
 * Remote readers matched with one local writer, all participants together. Each costs the
 * writer a send per sample and per heartbeat: 128 participants × 512 readers is 65,536, which
 * made one 100-byte write send 13 MB (the audit's probe). A ROS 2 or SustainML topic has a
 * handful of readers; past this one, a reader is not matched (counted as
 * `readersOverWriterLimit`) and is tried again when it is announced again.
 */
export const MAX_MATCHED_READERS_PER_WRITER = 1_024;

/** What became of a remote endpoint SEDP announced. */
export type AddRemoteOutcome =
  | "added"
  | "updated"
  | "too-many"
  | "unknown-participant"
  /** A GUID known as a writer announced as a reader, or the reverse: refused, the first stays. */
  | "wrong-side"
  /** Its names would pass MAX_ENDPOINT_NAME_BYTES_PER_PARTICIPANT: refused (an update too). */
  | "over-name-budget";

/**
 * Bytes of names (topic, type, partitions) the endpoints of one remote participant may keep,
 * counted by `endpointNameBytes`. Names are capped one by one (512 characters, 64 partitions),
 * but 512 endpoints of 64 two-byte partitions of 512 characters kept 33 MB per participant,
 * 4 GB for a full table. 1 MiB is five times what 512 endpoints with 100-character topic and
 * type names are charged, and bounds a full table of 128 participants at 128 MiB of names.
 */
export const MAX_ENDPOINT_NAME_BYTES_PER_PARTICIPANT = 1024 * 1024;

/**
 * What the names of `ep` may keep alive: two bytes per UTF-16 code unit, as V8 stores a string
 * holding any character above U+00FF, whatever representation a given string has.
 */
export function endpointNameBytes(ep: EndpointDescription): number {
  let units = ep.topicName.length + ep.typeName.length;
  for (const p of ep.qos.partitions) units += p.length;
  return 2 * units;
}

/** What the matcher needs of one of our user endpoints (the DDS API's DataWriter, DataReader). */
interface LocalEndpoint {
  readonly guid: string;
  readonly description: EndpointDescription;
  handleMatched(info: RemoteEndpointInfo): void;
  handleUnmatched(info: RemoteEndpointInfo): void;
  handleIncompatible(info: RemoteEndpointInfo, reasons: readonly IncompatibleReason[]): void;
}

export interface LocalWriter extends LocalEndpoint {
  readonly rtps: RtpsWriter;
}

export interface LocalReader extends LocalEndpoint {
  readonly rtps: RtpsReader;
}

type Local = LocalWriter | LocalReader;

/** One remote participant's endpoints: the per-participant limits, and removal without a scan. */
interface ParticipantEndpoints {
  readonly keys: Set<string>;
  /** `endpointNameBytes` of those endpoints together. */
  nameBytes: number;
}

const NO_READERS: ReadonlySet<RtpsReader> = new Set();

/**
 * Pairs local and remote user endpoints as SEDP reports them, and keeps the
 * routing table from remote writers to our readers.
 */
export class EndpointMatcher {
  private readonly remotes = new Map<string, EndpointDescription>();
  /** local guid -> remote guids it is matched with. */
  private readonly matches = new Map<string, Set<string>>();
  /**
   * remote guid -> local endpoints matched with it: a remote endpoint goes away through the
   * matches it made, whatever its description says now, and without a scan of every local one.
   */
  private readonly matchedWith = new Map<string, Set<Local>>();
  private readonly readersByWriter = new Map<string, Set<RtpsReader>>();
  /** Remote participant prefix -> its endpoints. */
  private readonly byParticipant = new Map<string, ParticipantEndpoints>();

  readonly counters = {
    /** Remote readers not matched: the writer had MAX_MATCHED_READERS_PER_WRITER already. */
    readersOverWriterLimit: 0,
  };

  constructor(private readonly deps: MatcherDeps) {}

  get remoteEndpoints(): readonly EndpointDescription[] {
    return [...this.remotes.values()];
  }

  readersOf(writerGuid: Guid): ReadonlySet<RtpsReader> {
    // Always a Set: one iterable shape keeps the routing loop's optimised code valid.
    return this.readersByWriter.get(guidToString(writerGuid)) ?? NO_READERS;
  }

  addRemote(ep: EndpointDescription): AddRemoteOutcome {
    const key = guidToString(ep.guid);
    const known = this.remotes.get(key);
    // Refused rather than replaced: a GUID's kind fixes its side (SEDP refuses announcements
    // where they disagree), so a flip is forged or broken, and the first announcement stays,
    // as a participant's first locators do. Replacing it would let one datagram tear down the
    // matches made on one side and make others on the other.
    if (known && known.side !== ep.side) return "wrong-side";
    // Only a discovered participant's endpoints: SEDP data naming any other prefix would
    // otherwise grow the table outside the remote participant limit.
    if (!known && !this.deps.remoteParticipant(ep.guid.prefix)) return "unknown-participant";
    const prefixKey = prefixToString(ep.guid.prefix);
    const own = this.byParticipant.get(prefixKey) ?? { keys: new Set<string>(), nameBytes: 0 };
    if (!known && own.keys.size >= this.deps.maxEndpointsPerParticipant) return "too-many";
    const nameBytes =
      own.nameBytes - (known ? endpointNameBytes(known) : 0) + endpointNameBytes(ep);
    if (nameBytes > MAX_ENDPOINT_NAME_BYTES_PER_PARTICIPANT) return "over-name-budget";
    own.keys.add(key);
    own.nameBytes = nameBytes;
    this.byParticipant.set(prefixKey, own);
    // Re-announced on another topic: the matches made on the old one end with it.
    if (known && known.topicName !== ep.topicName) this.unmatchAll(key, known);
    this.remotes.set(key, ep);
    const locals: Iterable<Local> =
      ep.side === "writer" ? this.deps.readers() : this.deps.writers();
    for (const local of locals) this.evaluate(local, ep, key);
    return known ? "updated" : "added";
  }

  removeRemote(guid: Guid): void {
    const key = guidToString(guid);
    const ep = this.remotes.get(key);
    if (!ep) return;
    this.remotes.delete(key);
    const prefixKey = prefixToString(guid.prefix);
    const own = this.byParticipant.get(prefixKey);
    if (own?.keys.delete(key)) own.nameBytes -= endpointNameBytes(ep);
    if (own?.keys.size === 0) this.byParticipant.delete(prefixKey);
    this.unmatchAll(key, ep);
  }

  removeParticipant(prefix: GuidPrefix): void {
    const own = this.byParticipant.get(prefixToString(prefix));
    if (!own) return;
    for (const key of [...own.keys]) {
      const ep = this.remotes.get(key);
      if (ep) this.removeRemote(ep.guid);
    }
    this.byParticipant.delete(prefixToString(prefix));
  }

  /** The endpoints announced by one remote participant. */
  remoteEndpointsOf(prefix: GuidPrefix): EndpointDescription[] {
    const own = this.byParticipant.get(prefixToString(prefix));
    const out: EndpointDescription[] = [];
    for (const key of own?.keys ?? []) {
      const ep = this.remotes.get(key);
      if (ep) out.push(ep);
    }
    return out;
  }

  addLocal(local: Local): void {
    const side = local.description.side === "writer" ? "reader" : "writer";
    for (const [key, ep] of this.remotes) if (ep.side === side) this.evaluate(local, ep, key);
  }

  removeLocal(local: Local): void {
    const matched = this.matches.get(local.guid);
    if (!matched) return;
    for (const key of [...matched]) {
      const ep = this.remotes.get(key);
      if (ep) this.unmatch(local, ep);
    }
    this.matches.delete(local.guid);
  }

  private info(ep: EndpointDescription): RemoteEndpointInfo {
    return remoteEndpointInfo(ep, this.deps.remoteParticipant(ep.guid.prefix)?.name);
  }

  /** User traffic goes to the endpoint's locators, else the participant's default ones (never metatraffic first). */
  private locatorsOf(ep: EndpointDescription): readonly Locator[] {
    if (ep.unicastLocators.length > 0) return ep.unicastLocators;
    const p = this.deps.remoteParticipant(ep.guid.prefix);
    if (!p) return [];
    return p.defaultUnicast.length > 0 ? p.defaultUnicast : p.metatrafficUnicast;
  }

  /** Ends every match `remote` (stored under `remoteKey`) made, with whichever local endpoints. */
  private unmatchAll(remoteKey: string, remote: EndpointDescription): void {
    const locals = this.matchedWith.get(remoteKey);
    // A copy: `handleUnmatched` runs the application's listeners, which may close endpoints.
    if (locals) for (const local of [...locals]) this.unmatch(local, remote);
  }

  private evaluate(local: Local, remote: EndpointDescription, remoteKey: string): void {
    if (local.description.topicName !== remote.topicName) return;
    const matched = this.matches.get(local.guid) ?? new Set<string>();
    const writer = local.description.side === "writer" ? local.description : remote;
    const reader = local.description.side === "writer" ? remote : local.description;
    const result = matchEndpoints(writer, reader);
    if (!result.compatible) {
      if (matched.has(remoteKey)) this.unmatch(local, remote);
      local.handleIncompatible(this.info(remote), result.reasons);
      return;
    }
    if (matched.has(remoteKey)) return;
    const cap = this.deps.maxMatchedReadersPerWriter ?? MAX_MATCHED_READERS_PER_WRITER;
    if (local.description.side === "writer" && matched.size >= cap) {
      this.counters.readersOverWriterLimit++;
      return;
    }
    matched.add(remoteKey);
    this.matches.set(local.guid, matched);
    const withLocals = this.matchedWith.get(remoteKey);
    if (withLocals) withLocals.add(local);
    else this.matchedWith.set(remoteKey, new Set([local]));
    const locators = this.locatorsOf(remote);
    if (local.description.side === "writer") {
      (local as LocalWriter).rtps.matchReader({
        guid: remote.guid,
        locators,
        reliable: remote.qos.reliability === "reliable",
        wantsHistory: DURABILITY_RANK[remote.qos.durability] >= DURABILITY_RANK["transient-local"],
      });
    } else {
      const rtps = (local as LocalReader).rtps;
      rtps.matchWriter({
        guid: remote.guid,
        locators,
        reliable:
          remote.qos.reliability === "reliable" && local.description.qos.reliability === "reliable",
      });
      const set = this.readersByWriter.get(remoteKey) ?? new Set<RtpsReader>();
      set.add(rtps);
      this.readersByWriter.set(remoteKey, set);
    }
    local.handleMatched(this.info(remote));
    if (local.description.side === "reader") this.deps.writerMatched?.(remote.guid);
  }

  private unmatch(local: Local, remote: EndpointDescription): void {
    const remoteKey = guidToString(remote.guid);
    const matched = this.matches.get(local.guid);
    if (!matched?.delete(remoteKey)) return;
    const withLocals = this.matchedWith.get(remoteKey);
    withLocals?.delete(local);
    if (withLocals?.size === 0) this.matchedWith.delete(remoteKey);
    if (local.description.side === "writer") {
      (local as LocalWriter).rtps.unmatchReader(remote.guid);
    } else {
      const rtps = (local as LocalReader).rtps;
      rtps.unmatchWriter(remote.guid);
      const set = this.readersByWriter.get(remoteKey);
      set?.delete(rtps);
      if (set?.size === 0) this.readersByWriter.delete(remoteKey);
    }
    local.handleUnmatched(this.info(remote));
  }
}
