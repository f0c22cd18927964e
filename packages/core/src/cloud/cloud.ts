/** The providers whose instances and regions the core knows. */
export const CLOUD_PROVIDERS = ["aws", "gcp", "azure"] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

export const CLOUD_NAMES: Readonly<Record<CloudProvider, string>> = {
  aws: "Amazon Web Services",
  gcp: "Google Cloud",
  azure: "Microsoft Azure",
};

/**
 * One cloud instance type: its accelerators, its vCPUs as a share of a host CPU and its
 * memory, from the provider's page for the family (`sourceId`).
 */
export interface CloudInstance {
  readonly provider: CloudProvider;
  /** As the provider writes it: `p5.48xlarge`, `a3-highgpu-8g`, `Standard_ND96isr_H100_v5`. */
  readonly name: string;
  readonly family: string;
  readonly accelerators?: { readonly hardware: string; readonly count: number };
  readonly vcpus: number;
  /**
   * The host CPU by its hardware-table name, and how many vCPUs one socket of it gives: its
   * threads by default; its cores where the provider turns SMT off; fewer where a whole-host
   * instance leaves some to the hypervisor (then the instance is exactly its sockets).
   */
  readonly cpu: { readonly hardware: string; readonly vcpusPerSocket?: number };
  readonly memoryGB: number;
  /** Id of a `SourceRef` in `data/cloud-sources.ts`. */
  readonly sourceId: string;
  readonly note?: string;
}

/** A provider's region and the grid zone (a zone id the intensity data knows) it sits in. */
export interface CloudRegion {
  readonly provider: CloudProvider;
  readonly id: string;
  /** Where the provider says the region is. */
  readonly location: string;
  /** Electricity Maps zone id or ISO country code: what `resolveGridIntensity` takes. */
  readonly zone: string;
  readonly sourceId: string;
  /** Why the location is in that zone, where the zone is finer than the country. */
  readonly note?: string;
}
