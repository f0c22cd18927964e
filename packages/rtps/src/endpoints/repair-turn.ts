import { prefixToString } from "../wire/guid.ts";
import type { SequenceNumber } from "../wire/sequence-number.ts";
import type { ReaderProxy } from "./reader-proxy.ts";

/**
 * The repairs one writer's readers asked for during one event-loop turn, answered together
 * as the turn's datagrams leave, a fair share to each remote participant.
 *
 * Answered as they came, one participant's ACKNACKs and NACK_FRAGs could spend the whole
 * turn's budget before another's were read: a verified peer flooding them kept every other
 * reader's repairs cut, turn after turn, for as long as it flooded. Collected first, the
 * budget is dealt round-robin, one request at a time, over the participants that asked: with
 * K participants flooding, another reader still gets at least one request in K + 1 of the
 * turn's budget, and the turn's total stays what it was.
 *
 * A reader's later ACKNACK in the same turn replaces its earlier one (it says what the reader
 * is missing now), as does a later NACK_FRAG for the same sample: a flood from one reader
 * asks for its window once, not once per ACKNACK. What a participant asks for beyond one
 * budget's worth in a turn is cut at once.
 */

/** What one request costs and whether it is sent: decided by the writer's history at the turn's end. */
export interface RepairCost {
  readonly samples: number;
  readonly fragments: number;
}

/** One reader's requests of the turn. */
export interface ReaderRepairs {
  readonly proxy: ReaderProxy;
  /** SNs its latest ACKNACK asked for, ascending. */
  sns: SequenceNumber[];
  /** SNs its NACK_FRAGs named that are not held: each answered with a GAP. */
  readonly gone: SequenceNumber[];
  /** Per fragmented sample, the fragments its latest NACK_FRAG for it asked for, ascending. */
  readonly fragments: Map<SequenceNumber, number[]>;
  /** Requests refused when they came, over the participant's share: counted, and asked again. */
  cutSamples: number;
  cutFragments: number;
}

interface ParticipantRepairs {
  samples: number;
  fragments: number;
  readonly readers: Map<ReaderProxy, ReaderRepairs>;
}

/** What the requests of one reader got, once the turn's budget was dealt. */
export interface ReaderAnswer {
  readonly repairs: ReaderRepairs;
  /** Asked-for SNs (ACKNACK) and gone ones (NACK_FRAG) granted, ascending by SN per source. */
  readonly sns: SequenceNumber[];
  /** Fragments granted, per sample. */
  readonly fragments: Map<SequenceNumber, number[]>;
  cutSamples: number;
  cutFragments: number;
}

/** The change a repair request is about, as the round-robin deals it. */
interface Request {
  readonly answer: ReaderAnswer;
  readonly sn: SequenceNumber;
  /** 0 for an SN (DATA, a whole fragmented sample, or a GAP); else the fragment number. */
  readonly fragment: number;
}

export class RepairTurn {
  private readonly participants = new Map<string, ParticipantRepairs>();

  constructor(
    /** SNs one participant may have queued in a turn (and the turn's total budget of them). */
    private readonly samplesPerTurn: number,
    /** Fragments likewise. */
    private readonly fragmentsPerTurn: number,
  ) {}

  get empty(): boolean {
    return this.participants.size === 0;
  }

  /**
   * The reader's latest ACKNACK asks for `sns` (ascending, at most one window): it replaces
   * what its earlier ACKNACKs of this turn asked for. Answers how many requested SNs that
   * replaced, and how many of these the participant's share could not take.
   */
  askSamples(
    proxy: ReaderProxy,
    sns: readonly SequenceNumber[],
  ): { superseded: number; cut: number } {
    const { participant, reader } = this.readerOf(proxy);
    const superseded = reader.sns.length;
    participant.samples -= superseded;
    const room = Math.max(0, this.samplesPerTurn - participant.samples);
    reader.sns = sns.length <= room ? [...sns] : sns.slice(0, room);
    participant.samples += reader.sns.length;
    const cut = sns.length - reader.sns.length;
    reader.cutSamples += cut;
    return { superseded, cut };
  }

  /** A NACK_FRAG named a sample no longer held: a GAP for it, once a turn. Answers whether it was cut. */
  askGap(proxy: ReaderProxy, sn: SequenceNumber): boolean {
    const { participant, reader } = this.readerOf(proxy);
    if (reader.gone.includes(sn)) return false;
    if (participant.samples >= this.samplesPerTurn) {
      reader.cutSamples++;
      return true;
    }
    reader.gone.push(sn);
    participant.samples++;
    return false;
  }

  /**
   * The reader's latest NACK_FRAG for sample `sn` asks for `fragments` (ascending, each in the
   * sample): it replaces what an earlier one for the same sample asked for this turn.
   */
  askFragments(
    proxy: ReaderProxy,
    sn: SequenceNumber,
    fragments: readonly number[],
  ): { superseded: number; cut: number } {
    const { participant, reader } = this.readerOf(proxy);
    const superseded = reader.fragments.get(sn)?.length ?? 0;
    participant.fragments -= superseded;
    const room = Math.max(0, this.fragmentsPerTurn - participant.fragments);
    const taken = fragments.length <= room ? [...fragments] : fragments.slice(0, room);
    if (taken.length > 0) reader.fragments.set(sn, taken);
    else reader.fragments.delete(sn);
    participant.fragments += taken.length;
    const cut = fragments.length - taken.length;
    reader.cutFragments += cut;
    return { superseded, cut };
  }

  /**
   * Deals the turn's budget and forgets the turn. Round-robin over the participants in the
   * order they first asked, one request each per round, each reader's requests in order (its
   * ACKNACK's SNs, its GAPs, then its fragments). `cost` prices an SN by what the writer holds
   * for it; a request that does not fit what is left is cut, and the next one tried.
   */
  deal(cost: (proxy: ReaderProxy, sn: SequenceNumber) => RepairCost): ReaderAnswer[] {
    const answers: ReaderAnswer[] = [];
    const queues: Request[][] = [];
    for (const participant of this.participants.values()) {
      const queue: Request[] = [];
      for (const repairs of participant.readers.values()) {
        const answer: ReaderAnswer = {
          repairs,
          sns: [],
          fragments: new Map(),
          cutSamples: repairs.cutSamples,
          cutFragments: repairs.cutFragments,
        };
        answers.push(answer);
        for (const sn of repairs.sns) queue.push({ answer, sn, fragment: 0 });
        for (const sn of repairs.gone) queue.push({ answer, sn, fragment: 0 });
        for (const [sn, list] of repairs.fragments)
          for (const fragment of list) queue.push({ answer, sn, fragment });
      }
      queues.push(queue);
    }
    this.participants.clear();
    let samplesLeft = this.samplesPerTurn;
    let fragmentsLeft = this.fragmentsPerTurn;
    const next = new Array<number>(queues.length).fill(0);
    for (let dealt = true; dealt; ) {
      dealt = false;
      for (let p = 0; p < queues.length; p++) {
        const queue = queues[p] as Request[];
        const at = next[p] as number;
        if (at >= queue.length) continue;
        next[p] = at + 1;
        dealt = true;
        const { answer, sn, fragment } = queue[at] as Request;
        if (fragment > 0) {
          if (fragmentsLeft > 0) {
            fragmentsLeft--;
            const list = answer.fragments.get(sn);
            if (list) list.push(fragment);
            else answer.fragments.set(sn, [fragment]);
          } else answer.cutFragments++;
          continue;
        }
        const price = cost(answer.repairs.proxy, sn);
        // A whole fragmented sample goes while any fragment budget is left, even past it: a
        // sample of more fragments than the budget is still resent once a turn.
        if (samplesLeft >= price.samples && (price.fragments === 0 || fragmentsLeft > 0)) {
          samplesLeft -= price.samples;
          fragmentsLeft = Math.max(0, fragmentsLeft - price.fragments);
          answer.sns.push(sn);
        } else answer.cutSamples++;
      }
    }
    return answers;
  }

  private readerOf(proxy: ReaderProxy): {
    participant: ParticipantRepairs;
    reader: ReaderRepairs;
  } {
    const key = prefixToString(proxy.info.guid.prefix);
    let participant = this.participants.get(key);
    if (participant === undefined) {
      participant = { samples: 0, fragments: 0, readers: new Map() };
      this.participants.set(key, participant);
    }
    let reader = participant.readers.get(proxy);
    if (reader === undefined) {
      reader = {
        proxy,
        sns: [],
        gone: [],
        fragments: new Map(),
        cutSamples: 0,
        cutFragments: 0,
      };
      participant.readers.set(proxy, reader);
    }
    return { participant, reader };
  }
}
