/** Well-known port mapping, DDSI-RTPS §9.6.1.1 (default PB/DG/PG/d0..d3 values). */
const PB = 7400;
const DG = 250;
const PG = 2;
const D0 = 0;
const D1 = 10;
const D2 = 1;
const D3 = 11;

export const SPDP_MULTICAST_ADDRESS = "239.255.0.1";

/** Highest participant id we try before giving up (the port space of one domain holds 120). */
export const MAX_PARTICIPANT_ID = 119;

export function metatrafficMulticastPort(domainId: number): number {
  return PB + DG * domainId + D0;
}

export function metatrafficUnicastPort(domainId: number, participantId: number): number {
  return PB + DG * domainId + D1 + PG * participantId;
}

export function userMulticastPort(domainId: number): number {
  return PB + DG * domainId + D2;
}

export function userUnicastPort(domainId: number, participantId: number): number {
  return PB + DG * domainId + D3 + PG * participantId;
}

/** Domain ids whose ports stay below 65536 (0..232). */
export function isValidDomainId(domainId: number): boolean {
  return (
    Number.isInteger(domainId) &&
    domainId >= 0 &&
    userUnicastPort(domainId, MAX_PARTICIPANT_ID) <= 0xffff
  );
}
