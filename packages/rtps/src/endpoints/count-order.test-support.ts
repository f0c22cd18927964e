/**
 * Counts a peer sends, in this order, and whether each is answered. DDSI-RTPS ignores a count
 * not newer than the last one taken (a repeat, an older one), and counts are 32-bit and wrap:
 * 2^31 - 1 is followed by -2^31, which is newer.
 */
export const COUNTS_IN_ORDER = [5, 5, 4, 2 ** 31 - 1, -(2 ** 31), 2 ** 31 - 2, -(2 ** 31) + 1];
export const COUNTS_ANSWERED = [true, false, false, true, true, false, true];
/** How many of COUNTS_IN_ORDER are ignored. */
export const COUNTS_IGNORED = COUNTS_ANSWERED.filter((answered) => !answered).length;
