/**
 * A machine preset: a bill of components from the vendor's spec sheet, so `--machine dgx-h100`
 * counts the host CPUs, memory and the rest of the system, not only the GPUs.
 */
export interface MachinePreset {
  /** Stable kebab-case id people type: `dgx-h100`. */
  readonly id: string;
  readonly name: string;
  readonly kind: "server" | "workstation";
  readonly aliases: readonly string[];
  /** Accelerators by their hardware-table name, and how many the machine holds. */
  readonly accelerators?: { readonly hardware: string; readonly count: number };
  readonly cpus: { readonly hardware: string; readonly sockets: number };
  /** System memory; `dimms` where the spec sheet says how it is populated. */
  readonly memory: { readonly gigabytes: number; readonly dimms?: number };
  /**
   * The spec sheet's maximum system power, where it gives one: what the components leave of it
   * (switches, NICs, fans, storage, power-supply losses) becomes an "other system" row.
   */
  readonly maxSystemW?: number;
  /** Id of a `SourceRef` in `data/machine-sources.ts`. */
  readonly sourceId: string;
  readonly year: number;
  /** Caveat shown with every estimate of the machine (a configuration the project chose). */
  readonly note?: string;
}
