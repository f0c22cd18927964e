import type { ParticipantData } from "../discovery/spdp-data.ts";
import { prefixToString } from "../wire/guid.ts";

export interface ParticipantInfo {
  readonly guidPrefix: string;
  readonly name: string | undefined;
  readonly vendorId: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly leaseDurationMs: number;
}

export function participantInfo(d: ParticipantData): ParticipantInfo {
  return {
    guidPrefix: prefixToString(d.guidPrefix),
    name: d.name,
    vendorId: d.vendorId,
    properties: d.properties,
    leaseDurationMs: d.leaseDurationMs,
  };
}
