import type { MachinePreset } from "../machine.ts";

/**
 * Machine presets, one row per spec sheet. Parts are named exactly as the hardware table
 * names them (`machines.test.ts` checks each resolves). Where the vendor sells the chassis
 * and the buyer picks CPUs and memory (HGX servers, the 2-socket server, the workstation),
 * the row is a configuration the project chose within the spec sheet, and its note says so.
 */
export const machinePresets: readonly MachinePreset[] = [
  {
    id: "dgx-a100",
    name: "NVIDIA DGX A100 (320 GB)",
    kind: "server",
    aliases: ["DGX A100 320GB", "DGX-A100"],
    accelerators: { hardware: "NVIDIA A100 SXM4 40GB", count: 8 },
    cpus: { hardware: "AMD EPYC 7742", sockets: 2 },
    memory: { gigabytes: 1024 },
    maxSystemW: 6500,
    sourceId: "nvidia-dgx-a100-datasheet",
    year: 2020,
    note:
      "1 TB system memory not confirmed against the cited data sheet (written from memory); " +
      "2x EPYC 7742, up to 2 TB and 6.5 kW maximum seen in a report of NVIDIA's documentation, " +
      "https://pcnews.ru/news/vycislitelnaa_sistema_nvidia_dgx_a100_ampere_osnasaetsa_sestu_blokami_pitania_po_3_kvt-985106.html",
  },
  {
    id: "dgx-a100-640gb",
    name: "NVIDIA DGX A100 (640 GB)",
    kind: "server",
    aliases: ["DGX A100 640GB"],
    accelerators: { hardware: "NVIDIA A100 SXM4 80GB", count: 8 },
    cpus: { hardware: "AMD EPYC 7742", sockets: 2 },
    memory: { gigabytes: 2048 },
    maxSystemW: 6500,
    sourceId: "nvidia-dgx-a100-datasheet",
    year: 2020,
    note:
      "2 TB and 6.5 kW not re-checked on the cited data sheet; 2x EPYC 7742, up to 2 TB and " +
      "6.5 kW maximum seen in a report of NVIDIA's documentation, " +
      "https://pcnews.ru/news/vycislitelnaa_sistema_nvidia_dgx_a100_ampere_osnasaetsa_sestu_blokami_pitania_po_3_kvt-985106.html",
  },
  {
    id: "dgx-h100",
    name: "NVIDIA DGX H100",
    kind: "server",
    aliases: ["DGX-H100"],
    accelerators: { hardware: "NVIDIA H100 SXM5 80GB", count: 8 },
    cpus: { hardware: "Intel Xeon Platinum 8480C", sockets: 2 },
    memory: { gigabytes: 2048, dimms: 32 },
    maxSystemW: 10200,
    sourceId: "nvidia-dgx-h100-user-guide",
    year: 2023,
    note:
      "2 TB in 32 DIMMs not confirmed against the cited user guide (written from memory); the " +
      "same host in NVIDIA's H200 MLPerf system (2x Xeon Platinum 8480C, 2 TB as 32x 64GB) is " +
      "described at https://github.com/mlcommons/inference_results_v4.1/blob/main/closed/NVIDIA/systems/H200-SXM-141GBx8_TRT_MaxQ.json",
  },
  {
    id: "dgx-h200",
    name: "NVIDIA DGX H200",
    kind: "server",
    aliases: ["DGX-H200"],
    accelerators: { hardware: "NVIDIA H200 SXM 141GB", count: 8 },
    cpus: { hardware: "Intel Xeon Platinum 8480C", sockets: 2 },
    memory: { gigabytes: 2048 },
    maxSystemW: 10200,
    sourceId: "nvidia-dgx-h200",
    year: 2024,
    note:
      "2 TB not re-checked on the cited page; NVIDIA's 8x H200 MLPerf system (2x Xeon Platinum " +
      "8480C, 2 TB as 32x 64GB) is described at " +
      "https://github.com/mlcommons/inference_results_v4.1/blob/main/closed/NVIDIA/systems/H200-SXM-141GBx8_TRT_MaxQ.json",
  },
  {
    id: "hgx-h100-8gpu",
    name: "HGX H100 8-GPU server",
    kind: "server",
    aliases: ["HGX H100", "HGX H100 8-GPU", "8x H100 server"],
    accelerators: { hardware: "NVIDIA H100 SXM5 80GB", count: 8 },
    cpus: { hardware: "Intel Xeon Platinum 8480+", sockets: 2 },
    memory: { gigabytes: 2048, dimms: 32 },
    sourceId: "nvidia-hgx-h100",
    year: 2022,
    note:
      "the 8 GPUs are NVIDIA's HGX board; 2x Xeon Platinum 8480+ and 2 TB in 32 DIMMs are a " +
      "configuration wattprint chose like the DGX H100's; no maximum system power is published, " +
      "so switches, NICs, fans and power-supply losses are not counted",
  },
  {
    id: "server-2s",
    name: "2-socket server (Dell PowerEdge R760 class)",
    kind: "server",
    aliases: ["2-socket server", "two-socket server", "PowerEdge R760", "R760"],
    cpus: { hardware: "Intel Xeon Gold 6430", sockets: 2 },
    memory: { gigabytes: 512, dimms: 16 },
    sourceId: "dell-poweredge-r760",
    year: 2023,
    note:
      "a mid-range configuration wattprint chose within the R760 spec sheet: 2x Xeon Gold 6430 " +
      "(32 cores) and 512 GB as 16x 32 GB RDIMMs, no GPU; fans, disks and NICs are not counted",
  },
  {
    id: "dgx-station-a100",
    name: "NVIDIA DGX Station A100 (320 GB)",
    kind: "workstation",
    aliases: ["DGX Station A100", "DGX Station"],
    accelerators: { hardware: "NVIDIA A100 SXM4 80GB", count: 4 },
    cpus: { hardware: "AMD EPYC 7742", sockets: 1 },
    memory: { gigabytes: 512 },
    maxSystemW: 1500,
    sourceId: "nvidia-dgx-station-a100",
    year: 2021,
    note: "512 GB and 1.5 kW not confirmed against the cited page (written from memory)",
  },
  {
    id: "precision-7960-4x-rtx-6000-ada",
    name: "Dell Precision 7960 Tower, 4x RTX 6000 Ada",
    kind: "workstation",
    aliases: ["Precision 7960", "workstation 4x RTX 6000 Ada", "RTX 6000 Ada workstation"],
    accelerators: { hardware: "NVIDIA RTX 6000 Ada Generation", count: 4 },
    cpus: { hardware: "Intel Xeon w9-3495X", sockets: 1 },
    memory: { gigabytes: 512, dimms: 8 },
    sourceId: "dell-precision-7960",
    year: 2023,
    note:
      "the spec sheet's top GPU configuration; the w9-3495X and 512 GB as 8x 64 GB RDIMMs are " +
      "wattprint's choice; fans, disks and power-supply losses are not counted",
  },
];
