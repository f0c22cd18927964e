import type { HardwareProfile } from "../profile.ts";
import { type AcceleratorGroup, acceleratorRows } from "./accelerator-rows.ts";

/**
 * NVIDIA accelerators. `tdpW` is the maximum board power in the data sheet (the top of a
 * configurable range, e.g. H100 PCIe "300-350 W" -> 350) or the GeForce "Total Graphics Power".
 * Aliases are the names `nvidia-smi` prints. `preference` picks the variant a bare family name
 * means: the SXM boards that make up most cloud GPU instances.
 */
const gpu = (sourceId: string): AcceleratorGroup => ({
  vendor: "NVIDIA",
  kind: "gpu",
  basis: "board-power",
  sourceId,
});

const dataCenter: readonly HardwareProfile[] = [
  ...acceleratorRows(gpu("nvidia-v100"), [
    {
      model: "V100 SXM2 16GB",
      family: "v100",
      tdpW: 300,
      memoryGB: 16,
      formFactor: "sxm",
      preference: 2,
      aliases: ["V100-SXM2-16GB"],
      year: 2017,
    },
    {
      model: "V100 SXM2 32GB",
      family: "v100",
      tdpW: 300,
      memoryGB: 32,
      formFactor: "sxm",
      preference: 1,
      aliases: ["V100-SXM2-32GB"],
      year: 2018,
    },
    {
      model: "V100 PCIe 16GB",
      family: "v100",
      tdpW: 250,
      memoryGB: 16,
      formFactor: "pcie",
      aliases: ["V100-PCIE-16GB"],
      year: 2017,
    },
    {
      model: "V100 PCIe 32GB",
      family: "v100",
      tdpW: 250,
      memoryGB: 32,
      formFactor: "pcie",
      aliases: ["V100-PCIE-32GB"],
      year: 2018,
    },
    {
      model: "V100S PCIe 32GB",
      family: "v100s",
      tdpW: 250,
      memoryGB: 32,
      formFactor: "pcie",
      aliases: ["V100S-PCIE-32GB"],
      year: 2019,
    },
  ]),
  ...acceleratorRows(gpu("nvidia-t4"), [
    { model: "T4", family: "t4", tdpW: 70, memoryGB: 16, formFactor: "pcie", year: 2018 },
  ]),
  ...acceleratorRows(gpu("nvidia-a10-a30-a40"), [
    { model: "A10", family: "a10", tdpW: 150, memoryGB: 24, formFactor: "pcie", year: 2021 },
    { model: "A30", family: "a30", tdpW: 165, memoryGB: 24, formFactor: "pcie", year: 2021 },
    { model: "A40", family: "a40", tdpW: 300, memoryGB: 48, formFactor: "pcie", year: 2020 },
  ]),
  ...acceleratorRows(gpu("nvidia-a100"), [
    {
      model: "A100 SXM4 40GB",
      family: "a100",
      tdpW: 400,
      memoryGB: 40,
      formFactor: "sxm",
      preference: 3,
      aliases: ["A100-SXM4-40GB"],
      year: 2020,
    },
    {
      model: "A100 SXM4 80GB",
      family: "a100",
      tdpW: 400,
      memoryGB: 80,
      formFactor: "sxm",
      preference: 2,
      aliases: ["A100-SXM4-80GB"],
      year: 2020,
    },
    {
      model: "A100 PCIe 80GB",
      family: "a100",
      tdpW: 300,
      memoryGB: 80,
      formFactor: "pcie",
      preference: 1,
      aliases: ["A100 80GB PCIe"],
      year: 2021,
    },
    {
      model: "A100 PCIe 40GB",
      family: "a100",
      tdpW: 250,
      memoryGB: 40,
      formFactor: "pcie",
      aliases: ["A100-PCIE-40GB"],
      year: 2020,
    },
  ]),
  ...acceleratorRows(gpu("nvidia-l4-l40"), [
    { model: "L4", family: "l4", tdpW: 72, memoryGB: 24, formFactor: "pcie", year: 2023 },
    { model: "L40", family: "l40", tdpW: 300, memoryGB: 48, formFactor: "pcie", year: 2022 },
    { model: "L40S", family: "l40s", tdpW: 350, memoryGB: 48, formFactor: "pcie", year: 2023 },
  ]),
  ...acceleratorRows(gpu("nvidia-h100"), [
    {
      model: "H100 SXM5 80GB",
      family: "h100",
      tdpW: 700,
      memoryGB: 80,
      formFactor: "sxm",
      preference: 2,
      aliases: ["H100 80GB HBM3", "H100 SXM"],
      year: 2022,
    },
    {
      model: "H100 PCIe 80GB",
      family: "h100",
      tdpW: 350,
      memoryGB: 80,
      formFactor: "pcie",
      preference: 1,
      aliases: ["H100 PCIe"],
      year: 2022,
    },
    {
      model: "H100 NVL 94GB",
      family: "h100",
      tdpW: 400,
      memoryGB: 94,
      formFactor: "nvl",
      aliases: ["H100 NVL"],
      year: 2023,
    },
  ]),
  ...acceleratorRows(gpu("nvidia-h200"), [
    {
      model: "H200 SXM 141GB",
      family: "h200",
      tdpW: 700,
      memoryGB: 141,
      formFactor: "sxm",
      preference: 1,
      aliases: ["H200"],
      year: 2024,
    },
    {
      model: "H200 NVL 141GB",
      family: "h200",
      tdpW: 600,
      memoryGB: 141,
      formFactor: "nvl",
      aliases: ["H200 NVL"],
      year: 2024,
    },
  ]),
  ...acceleratorRows(gpu("nvidia-blackwell"), [
    { model: "B200", family: "b200", tdpW: 1000, memoryGB: 180, formFactor: "sxm", year: 2024 },
  ]),
  ...acceleratorRows(gpu("nvidia-rtx-pro"), [
    { model: "RTX A6000", family: "rtx-a6000", tdpW: 300, memoryGB: 48, year: 2020 },
    {
      model: "RTX 6000 Ada Generation",
      family: "rtx-6000-ada",
      tdpW: 300,
      memoryGB: 48,
      aliases: ["RTX 6000 Ada"],
      year: 2022,
    },
  ]),
];

const geforce: readonly HardwareProfile[] = [
  ...acceleratorRows(gpu("nvidia-geforce-30"), [
    { model: "GeForce RTX 3060", family: "rtx-3060", tdpW: 170, memoryGB: 12, year: 2021 },
    { model: "GeForce RTX 3060 Ti", family: "rtx-3060-ti", tdpW: 200, memoryGB: 8, year: 2020 },
    { model: "GeForce RTX 3070", family: "rtx-3070", tdpW: 220, memoryGB: 8, year: 2020 },
    { model: "GeForce RTX 3070 Ti", family: "rtx-3070-ti", tdpW: 290, memoryGB: 8, year: 2021 },
    { model: "GeForce RTX 3080", family: "rtx-3080", tdpW: 320, memoryGB: 10, year: 2020 },
    { model: "GeForce RTX 3080 Ti", family: "rtx-3080-ti", tdpW: 350, memoryGB: 12, year: 2021 },
    { model: "GeForce RTX 3090", family: "rtx-3090", tdpW: 350, memoryGB: 24, year: 2020 },
    { model: "GeForce RTX 3090 Ti", family: "rtx-3090-ti", tdpW: 450, memoryGB: 24, year: 2022 },
  ]),
  ...acceleratorRows(gpu("nvidia-geforce-40"), [
    { model: "GeForce RTX 4060", family: "rtx-4060", tdpW: 115, memoryGB: 8, year: 2023 },
    {
      model: "GeForce RTX 4060 Ti 8GB",
      family: "rtx-4060-ti",
      tdpW: 160,
      memoryGB: 8,
      preference: 1,
      year: 2023,
    },
    {
      model: "GeForce RTX 4060 Ti 16GB",
      family: "rtx-4060-ti",
      tdpW: 165,
      memoryGB: 16,
      year: 2023,
    },
    { model: "GeForce RTX 4070", family: "rtx-4070", tdpW: 200, memoryGB: 12, year: 2023 },
    {
      model: "GeForce RTX 4070 SUPER",
      family: "rtx-4070-super",
      tdpW: 220,
      memoryGB: 12,
      year: 2024,
    },
    { model: "GeForce RTX 4070 Ti", family: "rtx-4070-ti", tdpW: 285, memoryGB: 12, year: 2023 },
    { model: "GeForce RTX 4080", family: "rtx-4080", tdpW: 320, memoryGB: 16, year: 2022 },
    {
      model: "GeForce RTX 4080 SUPER",
      family: "rtx-4080-super",
      tdpW: 320,
      memoryGB: 16,
      year: 2024,
    },
    { model: "GeForce RTX 4090", family: "rtx-4090", tdpW: 450, memoryGB: 24, year: 2022 },
  ]),
  ...acceleratorRows(gpu("nvidia-geforce-50"), [
    { model: "GeForce RTX 5070", family: "rtx-5070", tdpW: 250, memoryGB: 12, year: 2025 },
    { model: "GeForce RTX 5070 Ti", family: "rtx-5070-ti", tdpW: 300, memoryGB: 16, year: 2025 },
    { model: "GeForce RTX 5080", family: "rtx-5080", tdpW: 360, memoryGB: 16, year: 2025 },
    { model: "GeForce RTX 5090", family: "rtx-5090", tdpW: 575, memoryGB: 32, year: 2025 },
  ]),
];

/** Jetson modules: the highest power mode of the module data sheet; memory is the module's. */
const jetson: readonly HardwareProfile[] = acceleratorRows(
  { vendor: "NVIDIA", kind: "soc", basis: "module-max", sourceId: "nvidia-jetson" },
  [
    {
      model: "Jetson AGX Orin 64GB",
      family: "jetson-agx-orin",
      tdpW: 60,
      memoryGB: 64,
      preference: 1,
      year: 2022,
    },
    {
      model: "Jetson AGX Orin 32GB",
      family: "jetson-agx-orin",
      tdpW: 40,
      memoryGB: 32,
      year: 2022,
    },
    {
      model: "Jetson Orin NX 16GB",
      family: "jetson-orin-nx",
      tdpW: 25,
      memoryGB: 16,
      preference: 1,
      year: 2023,
    },
    { model: "Jetson Orin NX 8GB", family: "jetson-orin-nx", tdpW: 20, memoryGB: 8, year: 2023 },
    {
      model: "Jetson Orin Nano 8GB",
      family: "jetson-orin-nano",
      tdpW: 15,
      memoryGB: 8,
      preference: 1,
      year: 2023,
      note: "15 W is the launch data sheet's top mode; later JetPack 'Super' modes allow more",
    },
    {
      model: "Jetson Orin Nano 4GB",
      family: "jetson-orin-nano",
      tdpW: 10,
      memoryGB: 4,
      year: 2023,
    },
    { model: "Jetson AGX Xavier", family: "jetson-agx-xavier", tdpW: 30, year: 2018 },
    { model: "Jetson TX2", family: "jetson-tx2", tdpW: 15, year: 2017 },
    { model: "Jetson Nano", family: "jetson-nano", tdpW: 10, memoryGB: 4, year: 2019 },
  ],
);

export const nvidiaAccelerators: readonly HardwareProfile[] = [
  ...dataCenter,
  ...geforce,
  ...jetson,
];
