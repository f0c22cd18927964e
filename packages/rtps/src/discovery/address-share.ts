/**
 * Remote participants per source address (the datagram that announced each first). One host
 * could otherwise fill the participant table: it proves any number of participants from its
 * own address, and verified participants are not evicted for an unverified newcomer. 128 of
 * them (29 KB once, then about 290 B/s of renewals) refused every genuine newcomer for good.
 */
/**
 * Participants of one address never evicted for a newcomer from another: a host running a
 * handful (a SustainML node, a few ROS 2 processes) keeps them all, so a flood of announcements
 * from spoofed source addresses cannot take a genuine host's verified participants one by one.
 * A squatter must prove participants from more than 128 / 8 = 16 addresses it receives at to
 * fill the table again.
 */
export const SPARED_PER_ADDRESS = 8;

export class AddressShare {
  private readonly counts = new Map<string, number>();

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }

  add(address: string): void {
    this.counts.set(address, this.count(address) + 1);
  }

  remove(address: string): void {
    const n = this.count(address) - 1;
    if (n > 0) this.counts.set(address, n);
    else this.counts.delete(address);
  }

  /**
   * The most represented address, when it holds more than SPARED_PER_ADDRESS participants and
   * at least two more than `address`: one of its participants may then make room for a newcomer from `address`
   * without that address becoming the most represented in turn (so two crowded addresses do
   * not take turns evicting each other). A table of a few participants per host has none.
   * At most one entry per participant kept: a walk of the table's size.
   */
  crowdedOver(address: string): string | undefined {
    let most: string | undefined;
    let mostCount = 0;
    for (const [a, n] of this.counts) {
      if (n > mostCount) {
        most = a;
        mostCount = n;
      }
    }
    const crowded = mostCount > SPARED_PER_ADDRESS && mostCount >= this.count(address) + 2;
    return crowded ? most : undefined;
  }
}
