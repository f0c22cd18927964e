import type { SequenceNumber } from "../wire/sequence-number.ts";

/**
 * How far ahead of the next expected SN a reliable reader holds what arrived out of order. A
 * writer's repairs stay well inside it (our ACKNACK asks for 256 SNs at most); an SN further
 * ahead is dropped and counted, and comes again once the hole before it is repaired.
 */
export const REORDER_WINDOW = 4096;
const INITIAL_SLOTS = 16;
/**
 * What one slot beyond the initial ones is charged (a pointer, uncompressed): a GAP far ahead of
 * a hole grows the slots to 4,096 (32 KB) for a few nulls, so growth is charged like held samples.
 */
export const SLOT_BYTES = 8;

/**
 * A reliable reader's in-order state for one writer: `next`, the first SN neither delivered
 * nor known irrelevant, and what arrived in [next + 1, next + REORDER_WINDOW) — a value, or
 * `null` for an SN the writer declared irrelevant. Slots are indexed by SN modulo their
 * number (a power of two, grown on demand up to the window, back to the initial count once
 * empty), so every operation is O(1) and a walk from `next` never passes the window, whatever
 * SNs a peer sends.
 */
export class ReorderBuffer<T> {
  next: SequenceNumber = 1;
  /** Occupied slots. */
  size = 0;
  // `undefined` marks an empty slot, `null` an irrelevant SN.
  private slots: Array<T | null | undefined> = new Array(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;

  has(sn: SequenceNumber): boolean {
    if (this.size === 0) return false;
    const ahead = sn - this.next;
    // `sn & mask` is sn modulo the slot count: ToInt32 keeps the low 32 bits of any SN.
    return ahead >= 0 && ahead <= this.mask && this.slots[sn & this.mask] !== undefined;
  }

  /** Bytes the slots take beyond the initial ones (see SLOT_BYTES). */
  get extraSlotBytes(): number {
    return (this.mask + 1 - INITIAL_SLOTS) * SLOT_BYTES;
  }

  /** Bytes `extraSlotBytes` would grow by to hold `sn` (0 when it fits, or is past the window). */
  growthBytesFor(sn: SequenceNumber): number {
    const ahead = sn - this.next;
    if (ahead <= this.mask || ahead >= REORDER_WINDOW) return 0;
    return (slotCountFor(this.mask + 1, ahead) - (this.mask + 1)) * SLOT_BYTES;
  }

  /** Holds `value` for `sn` (> next, not held yet); false when `sn` is past the window. */
  hold(sn: SequenceNumber, value: T | null): boolean {
    const ahead = sn - this.next;
    if (ahead >= REORDER_WINDOW) return false;
    if (ahead > this.mask) this.grow(ahead);
    this.slots[sn & this.mask] = value;
    this.size++;
    return true;
  }

  /** Moves past `next`: returns what was held for it, or undefined when nothing was. */
  shift(): T | null | undefined {
    const at = this.next & this.mask;
    const held = this.size > 0 ? this.slots[at] : undefined;
    if (held !== undefined) {
      this.slots[at] = undefined;
      // Emptied after a burst (or a GAP far ahead): back to the initial slots, so the grown ones
      // are not kept for the life of the match.
      if (--this.size === 0 && this.mask >= INITIAL_SLOTS) this.shrink();
    }
    this.next++;
    return held;
  }

  /** Moves `next` up to `sn`; the caller has taken what was held below it (see `shift`). */
  jumpTo(sn: SequenceNumber): void {
    if (sn > this.next) this.next = sn;
  }

  /**
   * Empties the buffer and sets `next` to `sn`, backwards too: the writer said it wrote less
   * than we expected (see SnJumps). The caller gives back what the held values were charged.
   */
  reset(sn: SequenceNumber): void {
    this.shrink();
    this.size = 0;
    this.next = sn;
  }

  private shrink(): void {
    this.slots = new Array(INITIAL_SLOTS).fill(undefined);
    this.mask = INITIAL_SLOTS - 1;
  }

  private grow(ahead: number): void {
    const count = slotCountFor(this.slots.length, ahead);
    const slots = new Array<T | null | undefined>(count).fill(undefined);
    const mask = count - 1;
    // Each held SN lies in [next, next + old count): recover it from its old slot.
    for (let i = 0; i <= this.mask; i++) {
      const held = this.slots[i];
      if (held === undefined) continue;
      const sn = this.next + ((i - this.next) & this.mask);
      slots[sn & mask] = held;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** The slot count `hold` grows `count` to for an SN `ahead` of `next`: doubled until above it. */
function slotCountFor(count: number, ahead: number): number {
  let grown = count * 2;
  while (grown <= ahead) grown *= 2;
  return grown;
}
