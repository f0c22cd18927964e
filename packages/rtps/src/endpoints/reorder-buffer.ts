import type { SequenceNumber } from "../wire/sequence-number.ts";

/**
 * How far ahead of the next expected SN a reliable reader holds what arrived out of order. A
 * writer's repairs stay well inside it (our ACKNACK asks for 256 SNs at most); an SN further
 * ahead is dropped and counted, and comes again once the hole before it is repaired.
 */
export const REORDER_WINDOW = 4096;
const INITIAL_SLOTS = 16;

/**
 * A reliable reader's in-order state for one writer: `next`, the first SN neither delivered
 * nor known irrelevant, and what arrived in [next + 1, next + REORDER_WINDOW) — a value, or
 * `null` for an SN the writer declared irrelevant. Slots are indexed by SN modulo their
 * number (a power of two, grown on demand up to the window), so every operation is O(1) and a
 * walk from `next` never passes the window, whatever SNs a peer sends.
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
      this.size--;
    }
    this.next++;
    return held;
  }

  /** Moves `next` up to `sn`; the caller has taken what was held below it (see `shift`). */
  jumpTo(sn: SequenceNumber): void {
    if (sn > this.next) this.next = sn;
  }

  private grow(ahead: number): void {
    let count = this.slots.length * 2;
    while (count <= ahead) count *= 2;
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
