import type { Result } from "@wattprint/result";
import { type DecodeError, fail, guard } from "../wire/cursor.ts";
import { EntityIds, type GuidPrefix, guidFromBytes, guidToBytes } from "../wire/guid.ts";
import { PROTOCOL_VERSION, type ProtocolVersion } from "../wire/header.ts";
import { type Locator, LocatorKind, writeLocator } from "../wire/locator.ts";
import { findParameter, type ParameterList, ParameterListBuilder } from "../wire/parameter-list.ts";
import { Pid } from "../wire/pids.ts";
import { writeDurationMs } from "../wire/time.ts";
import {
  MAX_DISCOVERY_NAME_CHARS,
  readDurationValue,
  readLocatorValue,
  readStringValue,
  readU32Value,
  valueReader,
} from "./parameter-values.ts";
import { plCdrPayload } from "./sedp-data.ts";

/** SPDP participant data (DDSI-RTPS §8.5.3.2). */
export interface ParticipantData {
  readonly guidPrefix: GuidPrefix;
  readonly protocolVersion: ProtocolVersion;
  readonly vendorId: number;
  readonly domainId: number | undefined;
  readonly leaseDurationMs: number;
  readonly builtinEndpoints: number;
  readonly metatrafficUnicast: readonly Locator[];
  readonly metatrafficMulticast: readonly Locator[];
  readonly defaultUnicast: readonly Locator[];
  readonly defaultMulticast: readonly Locator[];
  readonly name: string | undefined;
  readonly properties: Readonly<Record<string, string>>;
}

/** Default lease when a peer omits PID_PARTICIPANT_LEASE_DURATION (DDSI-RTPS: 100 s). */
const DEFAULT_LEASE_MS = 100_000;
const MAX_PROPERTIES = 256;

export const BuiltinEndpoint = {
  participantAnnouncer: 1 << 0,
  participantDetector: 1 << 1,
  publicationsAnnouncer: 1 << 2,
  publicationsDetector: 1 << 3,
  subscriptionsAnnouncer: 1 << 4,
  subscriptionsDetector: 1 << 5,
  participantMessageWriter: 1 << 10,
  participantMessageReader: 1 << 11,
} as const;

function readProperties(list: ParameterList): Record<string, string> {
  const p = findParameter(list, Pid.propertyList);
  // No prototype: a property named "__proto__" is kept as one, not swallowed by the setter.
  const out: Record<string, string> = Object.create(null);
  if (!p) return out;
  const r = valueReader(list, p);
  const n = Math.min(r.u32(), MAX_PROPERTIES);
  for (let i = 0; i < n; i++) {
    r.align(4, 0);
    const name = r.string();
    r.align(4, 0);
    const value = r.string();
    // Kept for the participant's lifetime: an overlong property is left out, the rest kept.
    if (name.length > MAX_DISCOVERY_NAME_CHARS || value.length > MAX_DISCOVERY_NAME_CHARS) continue;
    out[name] = value;
  }
  return out;
}

/** Only UDPv4 locators are usable; SHM (kind 16) and others are dropped here. */
function udpLocators(list: ParameterList, pid: number): Locator[] {
  const out: Locator[] = [];
  for (const p of list.parameters) {
    if (p.pid !== pid) continue;
    const l = readLocatorValue(list, p);
    if (l.kind === LocatorKind.udpV4) out.push(l);
  }
  return out;
}

export function decodeParticipantData(
  list: ParameterList,
  headerVendorId: number,
): Result<ParticipantData, DecodeError> {
  return guard(() => {
    const guidParam = findParameter(list, Pid.participantGuid);
    if (!guidParam || guidParam.value.length < 16)
      fail("invalid-value", "SPDP without participant GUID");
    const guid = guidFromBytes(guidParam.value);
    const pv = findParameter(list, Pid.protocolVersion);
    const vendor = findParameter(list, Pid.vendorId);
    const domain = findParameter(list, Pid.domainId);
    const lease = findParameter(list, Pid.participantLeaseDuration);
    const endpoints = findParameter(list, Pid.builtinEndpointSet);
    const name = findParameter(list, Pid.entityName);
    return {
      guidPrefix: guid.prefix,
      protocolVersion:
        pv && pv.value.length >= 2
          ? { major: pv.value[0] ?? 2, minor: pv.value[1] ?? 0 }
          : PROTOCOL_VERSION,
      vendorId:
        vendor && vendor.value.length >= 2
          ? ((vendor.value[0] ?? 0) << 8) | (vendor.value[1] ?? 0)
          : headerVendorId,
      domainId: domain ? readU32Value(list, domain) : undefined,
      leaseDurationMs: lease ? readDurationValue(list, lease) : DEFAULT_LEASE_MS,
      builtinEndpoints: endpoints ? readU32Value(list, endpoints) : 0,
      metatrafficUnicast: udpLocators(list, Pid.metatrafficUnicastLocator),
      metatrafficMulticast: udpLocators(list, Pid.metatrafficMulticastLocator),
      defaultUnicast: udpLocators(list, Pid.defaultUnicastLocator),
      defaultMulticast: udpLocators(list, Pid.defaultMulticastLocator),
      name: name ? readStringValue(list, name) : undefined,
      properties: readProperties(list),
    };
  });
}

export function encodeParticipantData(d: ParticipantData): Uint8Array {
  const b = new ParameterListBuilder();
  b.add(Pid.protocolVersion, (w) => {
    w.u8(d.protocolVersion.major);
    w.u8(d.protocolVersion.minor);
  });
  b.add(Pid.vendorId, (w) => {
    w.u8((d.vendorId >> 8) & 0xff);
    w.u8(d.vendorId & 0xff);
  });
  b.addBytes(
    Pid.participantGuid,
    guidToBytes({ prefix: d.guidPrefix, entityId: EntityIds.participant }),
  );
  if (d.domainId !== undefined) {
    const domainId = d.domainId;
    b.add(Pid.domainId, (w) => w.u32(domainId));
  }
  b.add(Pid.builtinEndpointSet, (w) => w.u32(d.builtinEndpoints));
  b.add(Pid.participantLeaseDuration, (w) => writeDurationMs(w, d.leaseDurationMs));
  for (const l of d.metatrafficUnicast)
    b.add(Pid.metatrafficUnicastLocator, (w) => writeLocator(w, l));
  for (const l of d.metatrafficMulticast)
    b.add(Pid.metatrafficMulticastLocator, (w) => writeLocator(w, l));
  for (const l of d.defaultUnicast) b.add(Pid.defaultUnicastLocator, (w) => writeLocator(w, l));
  for (const l of d.defaultMulticast) b.add(Pid.defaultMulticastLocator, (w) => writeLocator(w, l));
  if (d.name !== undefined) {
    const name = d.name;
    b.add(Pid.entityName, (w) => w.string(name));
  }
  const entries = Object.entries(d.properties);
  if (entries.length > 0) {
    b.add(Pid.propertyList, (w) => {
      const start = w.offset;
      w.u32(entries.length);
      for (const [k, v] of entries) {
        w.align(4, start);
        w.string(k);
        w.align(4, start);
        w.string(v);
      }
    });
  }
  return plCdrPayload(b.finish());
}
