import type { HardwareProfile } from "../profile.ts";
import { cpuRows } from "./cpu-rows.ts";

/**
 * AMD CPUs, one tuple per AMD product page: [model, cores, threads, Default TDP W, launch
 * year]. Where a SKU has a configurable TDP range, the "Default TDP" is the one listed.
 */
export const amdCpus: readonly HardwareProfile[] = [
  ...cpuRows("AMD", "amd-epyc", [
    // 7001 "Naples"
    ["EPYC 7601", 32, 64, 180, 2017],
    ["EPYC 7551", 32, 64, 180, 2017],
    // 7002 "Rome"
    ["EPYC 7742", 64, 128, 225, 2019],
    ["EPYC 7H12", 64, 128, 280, 2019],
    ["EPYC 7702", 64, 128, 200, 2019],
    ["EPYC 7542", 32, 64, 225, 2019],
    ["EPYC 7502", 32, 64, 180, 2019],
    ["EPYC 7452", 32, 64, 155, 2019],
    ["EPYC 7402", 24, 48, 180, 2019],
    ["EPYC 7302", 16, 32, 155, 2019],
    ["EPYC 7282", 16, 32, 120, 2019],
    // 7003 "Milan"
    ["EPYC 7763", 64, 128, 280, 2021],
    ["EPYC 7713", 64, 128, 225, 2021],
    ["EPYC 7643", 48, 96, 225, 2021],
    ["EPYC 7773X", 64, 128, 280, 2022],
    ["EPYC 75F3", 32, 64, 280, 2021],
    ["EPYC 7543", 32, 64, 225, 2021],
    ["EPYC 7513", 32, 64, 200, 2021],
    ["EPYC 7453", 28, 56, 225, 2021],
    ["EPYC 7443", 24, 48, 200, 2021],
    ["EPYC 7413", 24, 48, 180, 2021],
    ["EPYC 7313", 16, 32, 155, 2021],
    // 9004 "Genoa" / "Genoa-X" / "Bergamo"
    ["EPYC 9654", 96, 192, 360, 2022],
    ["EPYC 9554", 64, 128, 360, 2022],
    ["EPYC 9454", 48, 96, 290, 2022],
    ["EPYC 9354", 32, 64, 280, 2022],
    ["EPYC 9334", 32, 64, 210, 2022],
    ["EPYC 9684X", 96, 192, 400, 2023],
    ["EPYC 9754", 128, 256, 360, 2023],
    // 9005 "Turin"
    ["EPYC 9965", 192, 384, 500, 2024],
    ["EPYC 9755", 128, 256, 500, 2024],
    ["EPYC 9655", 96, 192, 400, 2024],
    ["EPYC 9575F", 64, 128, 400, 2024],
  ]),
  ...cpuRows("AMD", "amd-threadripper", [
    ["Ryzen Threadripper 3970X", 32, 64, 280, 2019],
    ["Ryzen Threadripper 3990X", 64, 128, 280, 2020],
    ["Ryzen Threadripper PRO 5995WX", 64, 128, 280, 2022],
    ["Ryzen Threadripper 7980X", 64, 128, 350, 2023],
  ]),
  ...cpuRows("AMD", "amd-ryzen", [
    ["Ryzen 5 3600", 6, 12, 65, 2019],
    ["Ryzen 7 3700X", 8, 16, 65, 2019],
    ["Ryzen 9 3900X", 12, 24, 105, 2019],
    ["Ryzen 9 3950X", 16, 32, 105, 2019],
    ["Ryzen 5 5600X", 6, 12, 65, 2020],
    ["Ryzen 7 5800X", 8, 16, 105, 2020],
    ["Ryzen 7 5800X3D", 8, 16, 105, 2022],
    ["Ryzen 9 5900X", 12, 24, 105, 2020],
    ["Ryzen 9 5950X", 16, 32, 105, 2020],
    ["Ryzen 7 5800U", 8, 16, 15, 2021],
    ["Ryzen 5 7600X", 6, 12, 105, 2022],
    ["Ryzen 7 7700X", 8, 16, 105, 2022],
    ["Ryzen 7 7800X3D", 8, 16, 120, 2023],
    ["Ryzen 9 7900X", 12, 24, 170, 2022],
    ["Ryzen 9 7950X", 16, 32, 170, 2022],
    ["Ryzen 7 9700X", 8, 16, 65, 2024],
    ["Ryzen 7 9800X3D", 8, 16, 120, 2024],
    ["Ryzen 9 9900X", 12, 24, 120, 2024],
    ["Ryzen 9 9950X", 16, 32, 170, 2024],
  ]),
];
