import { OUR_BUILTIN_ENDPOINTS } from "../src/discovery/builtin-endpoints.ts";
import { encodeParticipantData } from "../src/discovery/spdp-data.ts";
import { encodeInlineQos } from "../src/endpoints/inline-qos.ts";
import { EntityIds, guidToBytes } from "../src/wire/guid.ts";
import { PROTOCOL_VERSION } from "../src/wire/header.ts";
import { type Locator, udpV4Locator } from "../src/wire/locator.ts";
import { MessageBuilder } from "../src/wire/message.ts";
import { writeData } from "../src/wire/submessages/data.ts";

/** A 12-byte GUID prefix made from `n`, in a range no random prefix is likely to hit. */
export function forgedPrefix(n: number): Uint8Array {
  const p = Uint8Array.of(0xfa, 0xce, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  new DataView(p.buffer).setUint32(8, n, false);
  return p;
}

/** The n-th of 65 536 distinct addresses in 198.51.0.0/16, the forged participants' "victims". */
export function victimAddress(n: number): string {
  return `198.51.${(n >> 8) & 0xff}.${n & 0xff}`;
}

export interface ForgedParticipant {
  readonly prefix: Uint8Array;
  readonly locators: readonly Locator[];
  /** Announced lease; Infinity is sent as DDSI's infinite duration. */
  readonly leaseMs?: number;
  readonly domainId?: number;
  /** The message header's prefix, when the sender is not the participant announced. */
  readonly sourcePrefix?: Uint8Array;
}

/**
 * An SPDP announcement of a participant that does not exist: what an attacker sends (the
 * task's reproduction used the same shape: builtin endpoints, locators of a victim).
 */
export function forgedSpdp(p: ForgedParticipant): Uint8Array {
  const payload = encodeParticipantData({
    guidPrefix: p.prefix,
    protocolVersion: PROTOCOL_VERSION,
    vendorId: 0x010f,
    domainId: p.domainId ?? 0,
    leaseDurationMs: p.leaseMs ?? Number.POSITIVE_INFINITY,
    builtinEndpoints: OUR_BUILTIN_ENDPOINTS,
    metatrafficUnicast: p.locators,
    metatrafficMulticast: [],
    defaultUnicast: p.locators,
    defaultMulticast: [],
    name: undefined,
    properties: {},
  });
  const mb = new MessageBuilder(0x010f, p.sourcePrefix ?? p.prefix);
  mb.infoTs(Date.now());
  writeData(mb.w, {
    readerId: EntityIds.spdpReader,
    writerId: EntityIds.spdpWriter,
    writerSN: 1,
    inlineQos: encodeInlineQos(
      guidToBytes({ prefix: p.prefix, entityId: EntityIds.participant }),
      "alive",
    ),
    payload,
  });
  return mb.take();
}

/** Forged participant `n` of a flood, claiming a victim's address on a port of its own. */
export function floodParticipant(n: number): ForgedParticipant {
  return { prefix: forgedPrefix(n), locators: [udpV4Locator(victimAddress(n), 7410 + (n % 64))] };
}

/** Whether `l` lies in 198.51.0.0/16 (see `victimAddress`). */
export function isVictim(l: Locator): boolean {
  return l.address[12] === 198 && l.address[13] === 51;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 5 ms: true once it holds, false after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}
