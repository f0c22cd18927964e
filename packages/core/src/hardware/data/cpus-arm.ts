import type { HardwareProfile } from "../profile.ts";
import { cpuRows } from "./cpu-rows.ts";

/** Arm server CPUs whose vendor publishes a TDP. */
const ampere: readonly HardwareProfile[] = cpuRows("Ampere", "ampere-altra", [
  ["Altra Q80-30", 80, 80, 210, 2020],
  ["Altra Q80-33", 80, 80, 250, 2020],
  ["Altra Max M128-30", 128, 128, 250, 2021],
]).map((row) => ({ ...row, microarchitecture: "Neoverse N1" }));

const GRAVITON_NOTE =
  "AWS publishes no Graviton power figure; 105 W is a wattprint estimate (see source), " +
  "treat results as indicative";

/**
 * Graviton rows exist because `lscpu` on EC2 only says "Neoverse-N1/V1" and users name the
 * instance family; without a row those hosts fall back to a per-thread guess that is worse.
 */
const graviton: readonly HardwareProfile[] = [
  {
    id: "aws-graviton2",
    name: "AWS Graviton2",
    vendor: "AWS",
    kind: "cpu",
    family: "aws-graviton2",
    tdpW: 105,
    basis: "estimate",
    cores: 64,
    threads: 64,
    microarchitecture: "Neoverse N1",
    aliases: ["Graviton 2"],
    sourceId: "aws-graviton-estimate",
    year: 2020,
    note: GRAVITON_NOTE,
  },
  {
    id: "aws-graviton3",
    name: "AWS Graviton3",
    vendor: "AWS",
    kind: "cpu",
    family: "aws-graviton3",
    tdpW: 105,
    basis: "estimate",
    cores: 64,
    threads: 64,
    microarchitecture: "Neoverse V1",
    aliases: ["Graviton 3"],
    sourceId: "aws-graviton-estimate",
    year: 2022,
    note: `${GRAVITON_NOTE}; the Graviton2 figure is reused for the same 64-core socket class`,
  },
];

const grace: HardwareProfile = {
  id: "nvidia-grace-cpu-superchip",
  name: "NVIDIA Grace CPU Superchip",
  vendor: "NVIDIA",
  kind: "cpu",
  family: "nvidia-grace-cpu-superchip",
  tdpW: 500,
  basis: "tdp",
  cores: 144,
  threads: 144,
  microarchitecture: "Neoverse V2",
  aliases: ["Grace Superchip"],
  sourceId: "nvidia-grace",
  year: 2023,
  note: "two Grace CPUs and their LPDDR5X memory; do not add a separate memory model",
};

type AppleTuple = readonly [
  chip: string,
  idleW: number | undefined,
  maxW: number,
  mac: string,
  /** Where the figures were seen when not on the cited Apple page itself. */
  seen?: string,
];

/** Apple's page was not seen for the 2024 Mac mini; a report quoting it was. */
const M4_SEEN =
  "figures as quoted from Apple's page by https://applech2.com/archives/20241109-apple-m4-and-m4pro-mac-mini-2024-power-consumption.html " +
  "(Mac mini 2024: 4 W idle, 65 W max; top configuration 5 W, 140 W)";

/**
 * Apple publishes no chip TDP. Its support pages give idle and maximum wall power of each
 * desktop Mac in one tested configuration; those are used as the chip's figures, which
 * over-count the chip (they include memory, SSD, fans and power-supply losses) and so err high.
 */
const APPLE: readonly (readonly [string, readonly AppleTuple[]])[] = [
  [
    "apple-mac-mini-power",
    [
      ["M1", 6.8, 39, "Mac mini (M1, 2020)"],
      ["M2", 7, 50, "Mac mini (2023), M2, 24GB, 2TB SSD"],
      ["M2 Pro", 7, 100, "Mac mini (2023), M2 Pro, 32GB, 8TB SSD"],
      ["M4", 4, 65, "Mac mini (2024), M4", M4_SEEN],
      ["M4 Pro", 5, 140, "Mac mini (2024), M4 Pro 14-core CPU, 64GB, 8TB SSD", M4_SEEN],
    ],
  ],
  [
    "apple-mac-studio-power",
    [
      ["M1 Max", 11, 115, "Mac Studio (2022), M1 Max 10-core CPU, 32GB, 2TB SSD"],
      ["M1 Ultra", 13, 215, "Mac Studio (2022), M1 Ultra 20-core CPU, 64GB, 1TB SSD"],
      ["M2 Max", 9, 145, "Mac Studio (2023), M2 Max 12-core CPU, 32GB, 512GB SSD"],
      ["M2 Ultra", 10, 295, "Mac Studio (2023), M2 Ultra 24-core CPU, 192GB, 8TB SSD"],
    ],
  ],
];

const LAUNCH_YEAR: Readonly<Record<string, number>> = {
  M1: 2020,
  "M1 Max": 2021,
  "M1 Ultra": 2022,
  M2: 2022,
  "M2 Pro": 2023,
  "M2 Max": 2023,
  "M2 Ultra": 2023,
  M4: 2024,
  "M4 Pro": 2024,
};

const apple: readonly HardwareProfile[] = APPLE.flatMap(([sourceId, tuples]) =>
  tuples.map(([chip, idleW, maxW, mac, seen]): HardwareProfile => {
    const id = `apple-${chip.toLowerCase().replace(/ /g, "-")}`;
    return {
      id,
      name: `Apple ${chip}`,
      vendor: "Apple",
      kind: "soc",
      family: id,
      tdpW: maxW,
      basis: "system-max",
      ...(idleW === undefined ? {} : { idleW }),
      aliases: [],
      sourceId,
      year: LAUNCH_YEAR[chip] ?? 0,
      note: `whole-computer wall power of ${mac}; includes memory and storage${seen === undefined ? "" : `; ${seen}`}`,
    };
  }),
);

export const armCpus: readonly HardwareProfile[] = [...ampere, ...graviton, grace, ...apple];
