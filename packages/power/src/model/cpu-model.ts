import {
  cpuProfiles,
  findHardware,
  type HardwareProfile,
  hardwarePower,
  type Provenance,
  searchHardware,
} from "@wattprint/core";

/** What the OS says about the CPU. */
export interface CpuFacts {
  /** Vendor and model as the OS reports them, e.g. "AMD EPYC 7763 64-Core Processor" or a bare "AMD EPYC". */
  readonly brand: string;
  /** Logical CPUs this OS sees (a VM or container may see a slice of the chip). */
  readonly logicalCpus: number;
  /** Physical packages; 1 when unknown. */
  readonly sockets: number;
}

/** Power of the CPU as a line from idle to rated watts in the OS load (the core's curve). */
export interface CpuPowerModel {
  readonly name: string;
  readonly idleWatts: number;
  readonly ratedWatts: number;
  readonly confidence: "high" | "low";
  readonly notes: readonly string[];
  readonly provenance: readonly Provenance[];
}

/** The core's idle floor for rows without a published idle figure (`IDLE_FRACTION`). */
const GENERIC_IDLE_FRACTION = 0.1;

const CURVE_NOTE =
  "power = idle + (rated − idle) × load, the estimation core's linear curve (measured server power rises about linearly with load: SPECpower_ssj2008; Barroso & Hölzle 2007), not CodeCarbon's cubic 0.1 + 0.9·load³ which gives 21 % of TDP at half load";

/**
 * Rated and idle power of the CPU this OS runs on. A brand the hardware table knows gives its
 * TDP (× sockets, scaled down to the logical CPUs this OS sees when that is fewer than the
 * chip has: a VM's slice of a 96-core part does not draw the whole part's TDP). A vague or
 * unknown brand (a bare "AMD EPYC", "Common KVM processor") gives a generic assumption with
 * low confidence: the median TDP per logical CPU of the table rows the brand's words match
 * (or of the vendor's rows, or of every CPU row) × the logical CPUs seen.
 */
export function modelCpu(facts: CpuFacts): CpuPowerModel {
  const brand = facts.brand.trim().replace(/\s+/g, " ");
  const logical = Math.max(1, Math.floor(facts.logicalCpus));
  const sockets = Math.max(1, Math.floor(facts.sockets));
  // No "did you mean" list: an unknown brand only makes the model generic (issue 13 start-up).
  const match = brand === "" ? undefined : findHardware(brand, { suggest: false });
  if (match?.ok && (match.value.profile.kind === "cpu" || match.value.profile.kind === "soc")) {
    return fromRow(
      brand,
      match.value.profile,
      match.value.confidence,
      match.value.note,
      logical,
      sockets,
    );
  }
  const why =
    brand === ""
      ? "the OS reports no CPU model"
      : match !== undefined && !match.ok && match.error.kind === "ambiguous-hardware"
        ? `"${brand}" matches several rows of different power`
        : `"${brand}" names no single CPU of the hardware table`;
  return generic(brand, why, logical);
}

function fromRow(
  brand: string,
  profile: HardwareProfile,
  confidence: "exact" | "normalised" | "fuzzy",
  matchNote: string | undefined,
  logical: number,
  sockets: number,
): CpuPowerModel {
  const rated = hardwarePower(profile);
  const idle = hardwarePower(profile, 0);
  // Both only fail for a utilisation outside [0, 1]; 0 and none are inside.
  if (!rated.ok || !idle.ok) throw new Error(`hardwarePower refused row ${profile.id}`);
  const chipThreads = profile.threads === undefined ? undefined : profile.threads * sockets;
  const share = chipThreads === undefined ? 1 : Math.min(1, logical / chipThreads);
  const notes = [
    `"${brand}" matched ${profile.name} (${confidence})${matchNote === undefined ? "" : `: ${matchNote}`}`,
    `rated ${profile.tdpW} W (${profile.basis}) × ${sockets} socket(s)${profile.note === undefined ? "" : `; ${profile.note}`}`,
  ];
  if (share < 1) {
    notes.push(
      `this OS sees ${logical} of the ${chipThreads} logical CPUs of ${sockets} × ${profile.name} (a VM or container slice): power scaled to ${(share * 100).toFixed(1)} % of the rated figure`,
    );
  }
  notes.push(CURVE_NOTE);
  return {
    name: brand,
    idleWatts: idle.value.value * sockets * share,
    ratedWatts: rated.value.value * sockets * share,
    confidence: confidence === "fuzzy" ? "low" : "high",
    notes,
    provenance: [rated.value.provenance],
  };
}

function generic(brand: string, why: string, logical: number): CpuPowerModel {
  const { rows, label } = comparableRows(brand);
  const perThread = medianWattsPerThread(rows);
  const rated = perThread * logical;
  const notes = [
    `${why}: assumed ${perThread.toFixed(2)} W per logical CPU, the median TDP per logical CPU of ${rows.length} ${label} rows of the table, × ${logical} logical CPU(s) = ${rated.toFixed(1)} W rated, ${GENERIC_IDLE_FRACTION * 100} % of it at idle`,
    "low confidence: name the CPU (`wattprint hardware detect --cpu NAME`, the WATTPRINT_CPU_NAME variable, or the cpuName option) to use its own TDP",
    CURVE_NOTE,
  ];
  const year = rows.reduce((latest, row) => Math.max(latest, row.year), 0);
  return {
    name: brand === "" ? "unknown CPU" : brand,
    idleWatts: rated * GENERIC_IDLE_FRACTION,
    ratedWatts: rated,
    confidence: "low",
    notes,
    provenance: [
      {
        source: {
          id: "wattprint-cpu-median-per-thread",
          title: `wattprint's CPU table: median TDP per logical CPU of ${rows.length} ${label} rows (each row cites its vendor page)`,
          url: "",
          year,
        },
        method: `${perThread.toFixed(3)} W per logical CPU × ${logical}`,
      },
    ],
  };
}

/** The rows to take the median over: those the brand's words find, else the vendor's, else all. */
function comparableRows(brand: string): { rows: readonly HardwareProfile[]; label: string } {
  const usable = (rows: readonly HardwareProfile[]) =>
    rows.filter((row) => row.kind === "cpu" && row.threads !== undefined && row.threads > 0);
  if (brand !== "") {
    const found = usable(searchHardware(brand));
    if (found.length > 0) return { rows: found, label: `"${brand}"` };
    const vendor = /\b(intel|amd|ampere|aws)\b/i.exec(brand)?.[1]?.toLowerCase();
    if (vendor !== undefined) {
      const ofVendor = usable(cpuProfiles.filter((row) => row.vendor.toLowerCase() === vendor));
      if (ofVendor.length > 0) return { rows: ofVendor, label: ofVendor[0]?.vendor ?? vendor };
    }
  }
  return { rows: usable(cpuProfiles), label: "CPU" };
}

function medianWattsPerThread(rows: readonly HardwareProfile[]): number {
  const values = rows.map((row) => row.tdpW / (row.threads ?? 1)).sort((a, b) => a - b);
  if (values.length === 0) throw new Error("the hardware table has no CPU row with a thread count");
  const mid = values.length >> 1;
  return values.length % 2 === 1
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}
