import { type SourceRef, sourceIndex, specSource } from "../../provenance.ts";

/**
 * Publications the hardware rows are written from. Where a vendor has one page per SKU
 * (Intel ARK, AMD product pages) the ref names the family page and each row's figure is the
 * one on that SKU's page; the year is the launch year of the newest SKU read from it (a page
 * cannot describe a chip launched after it; a test holds every row to it). A wattprint
 * estimate keeps the year of the figure it reuses.
 */
function cloudEstimate<I extends string>(id: I, title: string, url: string, year: number) {
  return { id, title, url, year, licence: "wattprint estimate (no vendor figure)" } as const;
}

export const hardwareSources = [
  // Intel: ARK publishes TDP (Processor Base Power from 12th gen Core on) per SKU.
  specSource(
    "intel-ark-xeon-e5-v3-v4",
    "Intel ARK: Xeon E5 v3/v4 product pages (TDP)",
    "https://www.intel.com/content/www/us/en/products/details/processors/xeon.html",
    2016,
  ),
  specSource(
    "intel-ark-xeon-scalable-1",
    "Intel ARK: 1st Gen Xeon Scalable (Skylake-SP) product pages (TDP)",
    "https://www.intel.com/content/www/us/en/products/details/processors/xeon/scalable.html",
    2017,
  ),
  specSource(
    "intel-ark-xeon-scalable-2",
    "Intel ARK: 2nd Gen Xeon Scalable (Cascade Lake) product pages (TDP)",
    "https://www.intel.com/content/www/us/en/products/details/processors/xeon/scalable.html",
    2020,
  ),
  specSource(
    "intel-ark-xeon-scalable-3",
    "Intel ARK: 3rd Gen Xeon Scalable (Ice Lake-SP) product pages (TDP)",
    "https://www.intel.com/content/www/us/en/products/details/processors/xeon/scalable.html",
    2021,
  ),
  specSource(
    "intel-ark-xeon-scalable-4-5",
    "Intel ARK: 4th/5th Gen Xeon Scalable (Sapphire/Emerald Rapids) product pages (TDP)",
    "https://www.intel.com/content/www/us/en/products/details/processors/xeon/scalable.html",
    2023,
  ),
  specSource(
    "intel-ark-xeon-6",
    "Intel ARK: Xeon 6 (Granite Rapids / Sierra Forest) product pages (TDP)",
    "https://www.intel.com/content/www/us/en/products/details/processors/xeon.html",
    2024,
  ),
  specSource(
    "intel-ark-xeon-w",
    "Intel ARK: Xeon W product pages (TDP)",
    "https://www.intel.com/content/www/us/en/products/details/processors/xeon/w.html",
    2023,
  ),
  specSource(
    "intel-ark-core",
    "Intel ARK: Core i5/i7/i9 product pages (TDP / Processor Base Power)",
    "https://www.intel.com/content/www/us/en/products/details/processors/core.html",
    2023,
  ),
  specSource(
    "intel-ark-core-ultra",
    "Intel ARK: Core Ultra product pages (Processor Base Power)",
    "https://www.intel.com/content/www/us/en/products/details/processors/core-ultra.html",
    2024,
  ),
  // AMD: product pages state "Default TDP" per SKU.
  specSource(
    "amd-epyc",
    "AMD EPYC server processors: product pages (Default TDP)",
    "https://www.amd.com/en/products/processors/server/epyc.html",
    2024,
  ),
  specSource(
    "amd-ryzen",
    "AMD Ryzen desktop processors: product pages (Default TDP)",
    "https://www.amd.com/en/products/processors/desktops/ryzen.html",
    2024,
  ),
  specSource(
    "amd-threadripper",
    "AMD Ryzen Threadripper processors: product pages (Default TDP)",
    "https://www.amd.com/en/products/processors/workstations/ryzen-threadripper.html",
    2023,
  ),
  specSource(
    "amd-instinct-mi100",
    "AMD Instinct MI100 product page (TBP)",
    "https://www.amd.com/en/products/accelerators/instinct/mi100.html",
    2020,
  ),
  specSource(
    "amd-instinct-mi210",
    "AMD Instinct MI210 product page (TBP)",
    "https://www.amd.com/en/products/accelerators/instinct/mi200/mi210.html",
    2022,
  ),
  specSource(
    "amd-instinct-mi250",
    "AMD Instinct MI250 product page (power figures not confirmed on this page)",
    "https://www.amd.com/en/products/accelerators/instinct/mi200/mi250.html",
    2021,
  ),
  specSource(
    "amd-instinct-mi250x",
    "AMD Instinct MI250X product page (500 W TDP, 560 W peak board power)",
    "https://www.amd.com/en/products/accelerators/instinct/mi200/mi250x.html",
    2021,
  ),
  specSource(
    "amd-instinct-mi300x",
    "AMD Instinct MI300X product page (TBP)",
    "https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html",
    2023,
  ),
  specSource(
    "amd-instinct-mi325x",
    "AMD Instinct MI325X product page (TBP)",
    "https://www.amd.com/en/products/accelerators/instinct/mi300/mi325x.html",
    2024,
  ),
  // Arm servers.
  specSource(
    "ampere-altra",
    "Ampere Altra / Altra Max processors: product page (TDP per SKU)",
    "https://amperecomputing.com/products/processors",
    2021,
  ),
  {
    id: "aws-graviton-estimate" as const,
    title:
      "AWS Graviton: AWS publishes no TDP. wattprint estimate: 105 W, the figure reported for " +
      "the 64-core Graviton2 at its launch, reused for later 64-core Graviton parts",
    url: "https://aws.amazon.com/ec2/graviton/",
    year: 2019,
    licence: "wattprint estimate (no vendor figure)",
  },
  // Cloud providers' custom CPUs: the provider names the part, Intel/AMD publish no TDP for
  // it. Each is a labelled estimate from the public sibling with the same core count.
  cloudEstimate(
    "aws-xeon-8275cl-estimate",
    "AWS EC2 P4 names the Xeon Platinum 8275CL (Cascade Lake, 24 cores); Intel publishes no TDP. " +
      "wattprint estimate: 205 W, the ARK TDP of the 24-core Xeon Platinum 8268",
    "https://aws.amazon.com/ec2/instance-types/p4/",
    2019,
  ),
  cloudEstimate(
    "aws-xeon-8488c-estimate",
    "AWS EC2 M7i/C7i name the Xeon Platinum 8488C (Sapphire Rapids, 48 cores); Intel publishes " +
      "no TDP. wattprint estimate: 350 W, the ARK TDP of the 48-core Xeon Platinum 8468",
    "https://aws.amazon.com/ec2/instance-types/m7i/",
    2023,
  ),
  cloudEstimate(
    "aws-epyc-7r13-estimate",
    "AWS EC2 P5/G6 name the AMD EPYC 7R13 (Milan, 48 cores); AMD publishes no TDP. wattprint " +
      "estimate: 225 W, AMD's default TDP of the 48-core EPYC 7643",
    "https://aws.amazon.com/ec2/instance-types/p5/",
    2021,
  ),
  cloudEstimate(
    "azure-epyc-7v12-estimate",
    "Azure ND A100 v4 names the AMD EPYC 7V12 (Rome, 64 cores); AMD publishes no TDP. wattprint " +
      "estimate: 225 W, AMD's default TDP of the 64-core EPYC 7742",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/ndasra100v4-series",
    2019,
  ),
  cloudEstimate(
    "azure-epyc-7v13-estimate",
    "Azure NC A100 v4 names the AMD EPYC 7V13 (Milan, 64 cores); AMD publishes no TDP. wattprint " +
      "estimate: 280 W, AMD's default TDP of the 64-core EPYC 7763 (same 2.45 GHz base clock)",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/nca100v4-series",
    2021,
  ),
  cloudEstimate(
    "xeon-8480c-estimate",
    "NVIDIA DGX H100 and Azure ND H100 v5 name the Xeon Platinum 8480C (Sapphire Rapids, 56 " +
      "cores); Intel publishes no TDP. wattprint estimate: 350 W, the ARK TDP of the 56-core " +
      "Xeon Platinum 8480+",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/ndh100v5-series",
    2023,
  ),
  cloudEstimate(
    "xeon-8481c-estimate",
    "Google Cloud C3/A3 name the Xeon Platinum 8481C (Sapphire Rapids, 56 cores); Intel " +
      "publishes no TDP. wattprint estimate: 350 W, the ARK TDP of the 56-core Xeon Platinum 8480+",
    "https://cloud.google.com/compute/docs/cpu-platforms",
    2023,
  ),
  cloudEstimate(
    "azure-xeon-8370c-estimate",
    "Azure Dv5/Ev5 name the Xeon Platinum 8370C (Ice Lake, 32 cores); Intel publishes no TDP. " +
      "wattprint estimate: 250 W, the ARK TDP of the 32-core Xeon Platinum 8358",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/dv5-series",
    2021,
  ),
  cloudEstimate(
    "gcp-cascade-lake-estimate",
    "Google Cloud A2/G2/N2 run on Intel Cascade Lake and name no SKU. wattprint estimate: a " +
      "24-core, 48-thread socket at 205 W, the ARK TDP of the 24-core Xeon Platinum 8268",
    "https://cloud.google.com/compute/docs/cpu-platforms",
    2019,
  ),
  specSource(
    "nvidia-grace",
    "NVIDIA Grace CPU Superchip data sheet (TDP incl. LPDDR5X)",
    "https://www.nvidia.com/en-us/data-center/grace-cpu-superchip/",
    2023,
  ),
  // Apple publishes whole-Mac wall power, not a chip TDP.
  specSource(
    "apple-mac-mini-power",
    "Apple Support: Mac mini power consumption and thermal output (BTU) information",
    "https://support.apple.com/en-us/103253",
    2024,
  ),
  specSource(
    "apple-mac-studio-power",
    "Apple Support: Mac Studio power consumption and thermal output (BTU) information",
    "https://support.apple.com/en-us/102027",
    2023,
  ),
  // NVIDIA data-center product pages and data sheets.
  specSource(
    "nvidia-v100",
    "NVIDIA V100 Tensor Core GPU data sheet",
    "https://www.nvidia.com/en-us/data-center/v100/",
    2019,
  ),
  specSource(
    "nvidia-t4",
    "NVIDIA T4 Tensor Core GPU data sheet",
    "https://www.nvidia.com/en-us/data-center/tesla-t4/",
    2018,
  ),
  specSource(
    "nvidia-a10",
    "NVIDIA A10 Tensor Core GPU product page (max TDP)",
    "https://www.nvidia.com/en-us/data-center/products/a10-gpu/",
    2021,
  ),
  specSource(
    "nvidia-a30",
    "NVIDIA A30 Tensor Core GPU product page (max TDP)",
    "https://www.nvidia.com/en-us/data-center/products/a30-gpu/",
    2021,
  ),
  specSource(
    "nvidia-a40",
    "NVIDIA A40 GPU product page (max power consumption)",
    "https://www.nvidia.com/en-us/data-center/a40/",
    2020,
  ),
  specSource(
    "nvidia-a100",
    "NVIDIA A100 Tensor Core GPU data sheet",
    "https://www.nvidia.com/en-us/data-center/a100/",
    2021,
  ),
  specSource(
    "nvidia-l4",
    "NVIDIA L4 Tensor Core GPU product page (max TDP)",
    "https://www.nvidia.com/en-us/data-center/l4/",
    2023,
  ),
  specSource(
    "nvidia-l40",
    "NVIDIA L40 GPU product page (max power consumption)",
    "https://www.nvidia.com/en-us/data-center/l40/",
    2022,
  ),
  specSource(
    "nvidia-l40s",
    "NVIDIA L40S GPU product page (max power consumption)",
    "https://www.nvidia.com/en-us/data-center/l40s/",
    2023,
  ),
  specSource(
    "nvidia-h100",
    "NVIDIA H100 Tensor Core GPU data sheet",
    "https://www.nvidia.com/en-us/data-center/h100/",
    2023,
  ),
  specSource(
    "nvidia-h200",
    "NVIDIA H200 Tensor Core GPU data sheet",
    "https://www.nvidia.com/en-us/data-center/h200/",
    2024,
  ),
  specSource(
    "nvidia-blackwell",
    "NVIDIA HGX / DGX B200 and B100 data sheets (per-GPU power)",
    "https://www.nvidia.com/en-us/data-center/hgx/",
    2024,
  ),
  specSource(
    "nvidia-rtx-a6000",
    "NVIDIA RTX A6000 product page (max power consumption)",
    "https://www.nvidia.com/en-us/design-visualization/rtx-a6000/",
    2020,
  ),
  specSource(
    "nvidia-rtx-6000-ada",
    "NVIDIA RTX 6000 Ada Generation product page (max power consumption)",
    "https://www.nvidia.com/en-us/design-visualization/rtx-6000/",
    2022,
  ),
  specSource(
    "nvidia-geforce-30",
    "NVIDIA GeForce RTX 30 series specifications (Total Graphics Power)",
    "https://www.nvidia.com/en-us/geforce/graphics-cards/30-series/",
    2022,
  ),
  specSource(
    "nvidia-geforce-40",
    "NVIDIA GeForce RTX 40 series specifications (Total Graphics Power)",
    "https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/",
    2024,
  ),
  specSource(
    "nvidia-geforce-50",
    "NVIDIA GeForce RTX 50 series specifications (Total Graphics Power)",
    "https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/",
    2025,
  ),
  specSource(
    "nvidia-jetson",
    "NVIDIA Jetson module data sheets (power modes)",
    "https://developer.nvidia.com/embedded/jetson-modules",
    2023,
  ),
  // Google publishes TPU power only in its architecture papers.
  specSource(
    "google-tpu-v4-paper",
    "Jouppi et al., TPU v4: An Optically Reconfigurable Supercomputer for Machine Learning " +
      "with Hardware Support for Embeddings, ISCA 2023",
    "https://arxiv.org/abs/2304.01433",
    2023,
  ),
  specSource(
    "google-tpu-ten-lessons",
    "Jouppi et al., Ten Lessons From Three Generations Shaped Google's TPUv4i, ISCA 2021",
    "https://doi.org/10.1109/ISCA52012.2021.00010",
    2021,
  ),
  specSource(
    "intel-gaudi",
    "Intel Gaudi 2 / Gaudi 3 AI accelerator product pages and white paper",
    "https://www.intel.com/content/www/us/en/products/details/processors/ai-accelerators/gaudi.html",
    2024,
  ),
] as const satisfies readonly SourceRef[];

export type HardwareSourceId = (typeof hardwareSources)[number]["id"];

/** The source of id `id`, if the table has one. */
export const hardwareSource = sourceIndex(hardwareSources);
