import { type SourceRef, sourceIndex, specSource } from "../../provenance.ts";

/** The spec sheets the machine presets are written from; the title says what each gives. */
export const machineSources = [
  specSource(
    "nvidia-dgx-a100-datasheet",
    "NVIDIA DGX A100 data sheet: 8x A100 (320 GB or 640 GB GPU memory), 2x AMD EPYC 7742, " +
      "1 TB or 2 TB system memory, 6.5 kW max system power (not re-checked on this sheet; see " +
      "the rows' notes)",
    "https://images.nvidia.com/aem-dam/Solutions/Data-Center/nvidia-dgx-a100-datasheet.pdf",
    2020,
  ),
  specSource(
    "nvidia-dgx-h100-user-guide",
    "NVIDIA DGX H100/H200 User Guide, hardware overview: 8x H100 80GB, 2x Intel Xeon Platinum " +
      "8480C, 2 TB memory in 32 DIMMs, about 10.2 kW max system power (memory not re-checked " +
      "on this page; see the row's note)",
    "https://docs.nvidia.com/dgx/dgxh100-user-guide/introduction-to-dgxh100.html",
    2023,
  ),
  specSource(
    "nvidia-dgx-h200",
    "NVIDIA DGX H200 specifications: 8x H200 141GB, 2x Intel Xeon Platinum 8480C, 2 TB system " +
      "memory, about 10.2 kW max system power (memory not re-checked on this page)",
    "https://www.nvidia.com/en-us/data-center/dgx-h200/",
    2024,
  ),
  specSource(
    "nvidia-hgx-h100",
    "NVIDIA HGX H100 8-GPU: eight H100 SXM5 GPUs on one baseboard (the host CPUs and memory " +
      "are the server maker's choice)",
    "https://www.nvidia.com/en-us/data-center/hgx/",
    2022,
  ),
  specSource(
    "nvidia-dgx-station-a100",
    "NVIDIA DGX Station A100 specifications: 4x A100 80GB, 1x AMD EPYC 7742, 512 GB DDR4, " +
      "1.5 kW max system power (not re-checked on this page)",
    "https://www.nvidia.com/en-us/data-center/dgx-station-a100/",
    2021,
  ),
  specSource(
    "dell-poweredge-r760",
    "Dell PowerEdge R760 spec sheet: 2U, up to two 4th/5th Gen Intel Xeon Scalable processors, " +
      "32 DDR5 RDIMM slots",
    "https://www.dell.com/en-us/shop/ipovw/poweredge-r760",
    2023,
  ),
  specSource(
    "dell-precision-7960",
    "Dell Precision 7960 Tower spec sheet: one Intel Xeon W-3400 (up to the 56-core w9-3495X), " +
      "up to four NVIDIA RTX 6000 Ada, DDR5 RDIMMs up to 4 TB",
    "https://www.dell.com/en-us/shop/desktop-computers/precision-7960-tower-workstation/spd/precision-t7960-workstation",
    2023,
  ),
] as const satisfies readonly SourceRef[];

export type MachineSourceId = (typeof machineSources)[number]["id"];

/** The source of id `id`, if the table has one. */
export const machineSource = sourceIndex(machineSources);
