/**
 * RTPS `Count_t` (HEARTBEAT, ACKNACK, NACK_FRAG, HEARTBEAT_FRAG) is a signed 32-bit counter that
 * wraps. Compared as plain numbers, a peer whose count wrapped from 2^31 - 1 to -2^31 would
 * never be heard again; compared in serial-number arithmetic (RFC 1982), a count is newer when
 * it is ahead by less than half the range.
 */

/** No count seen yet from this peer: the first one is always newer. */
export const NO_COUNT = Number.NEGATIVE_INFINITY;

export function isNewerCount(count: number, last: number): boolean {
  return last === NO_COUNT || ((count - last) | 0) > 0;
}

/** The count after `count`, wrapping at 2^31 as the wire's int32 does. */
export function nextCount(count: number): number {
  return (count + 1) | 0;
}
