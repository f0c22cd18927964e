/**
 * One row of the hardware power table. Rows are written by hand from a vendor fact and name
 * the source they came from, so every figure can be checked against its publication.
 */
export type HardwareKind = "cpu" | "gpu" | "tpu" | "npu" | "soc";

export type HardwareVendor = "Intel" | "AMD" | "NVIDIA" | "Apple" | "Ampere" | "AWS" | "Google";

/**
 * What `tdpW` measures. The figures are not interchangeable: a CPU TDP excludes memory, a GPU
 * board power includes HBM, an Apple figure is the whole computer at the wall.
 */
export type PowerBasis =
  /** CPU thermal design power, or Intel's "Processor Base Power" from 12th gen on. */
  | "tdp"
  /** Accelerator board/module power limit (NVIDIA TGP/max TDP, AMD TBP, OAM module power). */
  | "board-power"
  /** Highest power mode of an embedded module (Jetson), module only, carrier excluded. */
  | "module-max"
  /** Whole-system wall power under a CPU-maximising test (Apple's published Mac figures). */
  | "system-max"
  /** Maximum chip power reported in the vendor's own paper (Google TPU). */
  | "chip-max"
  /** No vendor figure exists; a documented estimate, see the row's source. */
  | "estimate";

/** Variant token used to tell apart boards of one chip; matched against the query. */
export type FormFactor = "pcie" | "sxm" | "nvl" | "oam";

export interface HardwareProfile {
  /** Stable kebab-case id, e.g. "nvidia-a100-sxm4-40gb". */
  readonly id: string;
  /** Display name as the vendor writes it. */
  readonly name: string;
  readonly vendor: HardwareVendor;
  readonly kind: HardwareKind;
  /** Groups variants of one product ("a100") so a bare family query can pick a default. */
  readonly family: string;
  /** Rated power in watts; see `basis` for what it covers. */
  readonly tdpW: number;
  readonly basis: PowerBasis;
  /** Only where the source publishes an idle figure; never guessed. */
  readonly idleW?: number;
  readonly cores?: number;
  readonly threads?: number;
  /** On-board memory of an accelerator (HBM/GDDR) in GB as the vendor states it. */
  readonly memoryGB?: number;
  readonly formFactor?: FormFactor;
  /** Core design reported by `lscpu` on Arm servers; searchable, never matched alone. */
  readonly microarchitecture?: string;
  /** Other spellings seen in `nvidia-smi`, `/proc/cpuinfo`, `lscpu` and cloud docs. */
  readonly aliases: readonly string[];
  /** Tie-break between variants of one family when the query names none; higher wins. */
  readonly preference?: number;
  /** Id of a `SourceRef` in `data/sources.ts`. */
  readonly sourceId: string;
  /** Launch year of the product. */
  readonly year: number;
  /** Caveat shown with every match of this row. */
  readonly note?: string;
}
