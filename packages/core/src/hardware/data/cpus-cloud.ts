import type { HardwareProfile, HardwareVendor } from "../profile.ts";
import { cpuRows } from "./cpu-rows.ts";

type CloudCpu = readonly [
  vendor: HardwareVendor,
  model: string,
  cores: number,
  threads: number,
  tdpW: number,
  year: number,
  sourceId: string,
  sibling: string,
];

/**
 * CPUs built for one cloud provider (or for NVIDIA's DGX): the provider names the part, but
 * Intel and AMD publish no TDP for it. Each row is a labelled estimate (`basis: "estimate"`)
 * taken from the public part with the same core count, named in its note and source, so the
 * cloud instance table can say which CPU its vCPUs are a share of.
 */
const ROWS: readonly CloudCpu[] = [
  [
    "Intel",
    "Xeon Platinum 8275CL",
    24,
    48,
    205,
    2019,
    "aws-xeon-8275cl-estimate",
    "Xeon Platinum 8268",
  ],
  [
    "Intel",
    "Xeon Platinum 8488C",
    48,
    96,
    350,
    2023,
    "aws-xeon-8488c-estimate",
    "Xeon Platinum 8468",
  ],
  [
    "Intel",
    "Xeon Platinum 8480C",
    56,
    112,
    350,
    2023,
    "xeon-8480c-estimate",
    "Xeon Platinum 8480+",
  ],
  [
    "Intel",
    "Xeon Platinum 8481C",
    56,
    112,
    350,
    2023,
    "xeon-8481c-estimate",
    "Xeon Platinum 8480+",
  ],
  [
    "Intel",
    "Xeon Platinum 8370C",
    32,
    64,
    250,
    2021,
    "azure-xeon-8370c-estimate",
    "Xeon Platinum 8358",
  ],
  [
    "Intel",
    "Xeon Cascade Lake (Google Cloud)",
    24,
    48,
    205,
    2019,
    "gcp-cascade-lake-estimate",
    "Xeon Platinum 8268",
  ],
  ["AMD", "EPYC 7R13", 48, 96, 225, 2021, "aws-epyc-7r13-estimate", "EPYC 7643"],
  ["AMD", "EPYC 7V12", 64, 128, 225, 2020, "azure-epyc-7v12-estimate", "EPYC 7742"],
  ["AMD", "EPYC 7V13", 64, 128, 280, 2021, "azure-epyc-7v13-estimate", "EPYC 7763"],
];

export const cloudCpus: readonly HardwareProfile[] = ROWS.flatMap(
  ([vendor, model, cores, threads, tdpW, year, sourceId, sibling]) =>
    cpuRows(vendor, sourceId, [[model, cores, threads, tdpW, year]], {
      basis: "estimate",
      note: `no published TDP for this custom part; ${tdpW} W is the ${vendor} ${sibling}'s (same core count)`,
    }),
);
