import type { HardwareProfile } from "../profile.ts";
import { acceleratorRows } from "./accelerator-rows.ts";

/**
 * AMD Instinct: board power from each product page. The MI200 OAM modules list a 500 W TDP
 * and a 560 W peak board power (seen on the MI250X page; the MI250 takes the same figure, not
 * confirmed on its own page); the row takes the peak board power, like NVIDIA's maximum board
 * power, so the two are on one basis.
 */
const MI200_NOTE = "AMD lists 500 W TDP and 560 W peak board power; the peak is used";
const amdInstinct: readonly HardwareProfile[] = acceleratorRows(
  { vendor: "AMD", kind: "gpu", basis: "board-power", sourceId: "amd-instinct-mi300x" },
  [
    {
      model: "Instinct MI100",
      family: "mi100",
      tdpW: 300,
      memoryGB: 32,
      year: 2020,
      sourceId: "amd-instinct-mi100",
    },
    {
      model: "Instinct MI210",
      family: "mi210",
      tdpW: 300,
      memoryGB: 64,
      year: 2022,
      sourceId: "amd-instinct-mi210",
    },
    {
      model: "Instinct MI250",
      family: "mi250",
      tdpW: 560,
      memoryGB: 128,
      year: 2021,
      sourceId: "amd-instinct-mi250",
      note:
        "560 W peak board power taken from the MI250X page; not confirmed on the MI250's own " +
        "page (no public page found giving the MI250's power)",
    },
    {
      model: "Instinct MI250X",
      family: "mi250x",
      tdpW: 560,
      memoryGB: 128,
      year: 2021,
      sourceId: "amd-instinct-mi250x",
      note: MI200_NOTE,
    },
    {
      model: "Instinct MI300X",
      family: "mi300x",
      tdpW: 750,
      memoryGB: 192,
      year: 2023,
      sourceId: "amd-instinct-mi300x",
    },
    {
      model: "Instinct MI325X",
      family: "mi325x",
      tdpW: 1000,
      memoryGB: 256,
      year: 2024,
      sourceId: "amd-instinct-mi325x",
    },
  ],
);

/**
 * Google TPUs: Google sells no TPU and publishes per-chip power only in its architecture
 * papers. TPU v5e/v5p/v6e have no published per-chip power, so they have no row.
 */
const googleTpu: readonly HardwareProfile[] = [
  ...acceleratorRows(
    { vendor: "Google", kind: "tpu", basis: "chip-max", sourceId: "google-tpu-ten-lessons" },
    [
      { model: "TPU v2", family: "tpu-v2", tdpW: 280, memoryGB: 16, year: 2017 },
      { model: "TPU v3", family: "tpu-v3", tdpW: 450, memoryGB: 32, year: 2018 },
    ],
  ),
  ...acceleratorRows(
    { vendor: "Google", kind: "tpu", basis: "chip-max", sourceId: "google-tpu-v4-paper" },
    [
      {
        model: "TPU v4",
        family: "tpu-v4",
        tdpW: 192,
        memoryGB: 32,
        year: 2021,
        note: "maximum chip power from the paper; its measured mean is lower",
      },
    ],
  ),
];

/** Intel Gaudi: module power from Intel/Habana product pages. */
const intelGaudi: readonly HardwareProfile[] = acceleratorRows(
  { vendor: "Intel", kind: "npu", basis: "board-power", sourceId: "intel-gaudi" },
  [
    {
      model: "Gaudi 2",
      family: "gaudi2",
      tdpW: 600,
      memoryGB: 96,
      formFactor: "oam",
      aliases: ["Gaudi2"],
      year: 2022,
    },
    {
      model: "Gaudi 3 OAM",
      family: "gaudi3",
      tdpW: 900,
      memoryGB: 128,
      formFactor: "oam",
      preference: 1,
      // No bare "Gaudi3": it is both cards, read as this one with a note naming the PCIe
      // card (600 W), as "Gaudi 3" is.
      aliases: ["Gaudi3 OAM", "HL-325L"],
      year: 2024,
    },
    {
      model: "Gaudi 3 PCIe",
      family: "gaudi3",
      tdpW: 600,
      memoryGB: 128,
      formFactor: "pcie",
      aliases: ["Gaudi3 PCIe", "HL-338"],
      year: 2024,
    },
  ],
);

export const otherAccelerators: readonly HardwareProfile[] = [
  ...amdInstinct,
  ...googleTpu,
  ...intelGaudi,
];
