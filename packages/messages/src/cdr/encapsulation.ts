import { EncapsulationKind } from "@foxglove/cdr";
import { type Failure, failure, type Result } from "@wattprint/result";

/** How a payload's body is laid out, derived from its 2-byte representation identifier. */
export interface Encapsulation {
  readonly kind: EncapsulationKind;
  readonly littleEndian: boolean;
  /** XCDR2: f64 aligned to 4, DHEADER before sequences of strings. */
  readonly xcdr2: boolean;
  /** D_CDR2: DHEADER before every appendable struct, nested ones included. */
  readonly delimited: boolean;
}

/** The encapsulation, or why the identifier is not one this decoder reads. */
export type EncapsulationLookup = Result<Encapsulation, Failure<"bad-encapsulation">>;

const unsupported = (message: string): EncapsulationLookup => ({
  ok: false,
  error: failure("bad-encapsulation", message),
});

const SUPPORTED: ReadonlyMap<number, Encapsulation> = new Map(
  (
    [
      [EncapsulationKind.CDR_BE, false, false, false],
      [EncapsulationKind.CDR_LE, true, false, false],
      [EncapsulationKind.RTPS_CDR2_BE, false, true, false],
      [EncapsulationKind.RTPS_CDR2_LE, true, true, false],
      [EncapsulationKind.CDR2_BE, false, true, false],
      [EncapsulationKind.CDR2_LE, true, true, false],
      [EncapsulationKind.RTPS_DELIMITED_CDR2_BE, false, true, true],
      [EncapsulationKind.RTPS_DELIMITED_CDR2_LE, true, true, true],
      [EncapsulationKind.DELIMITED_CDR2_BE, false, true, true],
      [EncapsulationKind.DELIMITED_CDR2_LE, true, true, true],
    ] as const
  ).map(([kind, littleEndian, xcdr2, delimited]) => [
    kind,
    { kind, littleEndian, xcdr2, delimited },
  ]),
);

const PARAMETER_LISTS: ReadonlySet<number> = new Set([
  EncapsulationKind.PL_CDR_BE,
  EncapsulationKind.PL_CDR_LE,
  EncapsulationKind.RTPS_PL_CDR2_BE,
  EncapsulationKind.RTPS_PL_CDR2_LE,
  EncapsulationKind.PL_CDR2_BE,
  EncapsulationKind.PL_CDR2_LE,
]);

function hex16(high: number, low: number): string {
  return `0x${((high << 8) | low).toString(16).padStart(4, "0")}`;
}

/**
 * Reads the representation identifier. The options bytes are ignored, as RTPS asks; Fast DDS
 * puts the end padding count there.
 */
export function lookupEncapsulation(high: number, low: number): EncapsulationLookup {
  const id = hex16(high, low);
  if (high !== 0) return unsupported(`unknown representation identifier ${id}`);
  const found = SUPPORTED.get(low);
  if (found !== undefined) return { ok: true, value: found };
  if (PARAMETER_LISTS.has(low)) {
    return unsupported(
      `parameter-list encoding ${id} (PL_CDR/PL_CDR2, for mutable types) is not supported for appendable SustainML types`,
    );
  }
  return unsupported(`unknown representation identifier ${id}`);
}
