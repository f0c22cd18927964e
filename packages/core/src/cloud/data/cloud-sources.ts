import { type SourceRef, sourceIndex, specSource } from "../../provenance.ts";

/** The provider pages the instance, region and PUE rows are written from. */
export const cloudSources = [
  // AWS instance families.
  specSource(
    "aws-p4",
    "Amazon EC2 P4 instances: p4d/p4de.24xlarge, 8x A100 (40/80 GB) on Xeon Platinum 8275CL " +
      "(sizes not re-checked on this page; see each row's note)",
    "https://aws.amazon.com/ec2/instance-types/p4/",
    2020,
  ),
  specSource(
    "aws-p5",
    "Amazon EC2 P5 instances: p5.48xlarge 8x H100, p5e.48xlarge 8x H200 on 3rd Gen AMD EPYC " +
      "(7R13) (sizes not re-checked on this page; see each row's note)",
    "https://aws.amazon.com/ec2/instance-types/p5/",
    2023,
  ),
  specSource(
    "aws-g6",
    "Amazon EC2 G6 instances: NVIDIA L4 GPUs, 3rd Gen AMD EPYC (7R13); sizes, vCPUs and memory",
    "https://aws.amazon.com/ec2/instance-types/g6/",
    2024,
  ),
  specSource(
    "aws-m7i",
    "Amazon EC2 M7i instances: 4th Gen Intel Xeon (8488C), 4 GiB per vCPU; sizes",
    "https://aws.amazon.com/ec2/instance-types/m7i/",
    2023,
  ),
  specSource(
    "aws-c7i",
    "Amazon EC2 C7i instances: 4th Gen Intel Xeon (8488C), 2 GiB per vCPU; sizes",
    "https://aws.amazon.com/ec2/instance-types/c7i/",
    2023,
  ),
  // Google Cloud machine families.
  specSource(
    "gcp-a2",
    "Google Cloud accelerator-optimized machines, A2: A100 40GB (highgpu, megagpu) and 80GB " +
      "(ultragpu), Intel Cascade Lake; vCPUs and memory per machine type",
    "https://cloud.google.com/compute/docs/accelerator-optimized-machines#a2-vms",
    2021,
  ),
  specSource(
    "gcp-a3",
    "Google Cloud accelerator-optimized machines, A3: a3-highgpu-8g, 8x H100 80GB; 'The A3 " +
      "machine series has 208 vCPUs, and 1,872 GB of memory' (seen 2026)",
    "https://cloud.google.com/compute/docs/accelerator-optimized-machines#a3-vms",
    2023,
  ),
  specSource(
    "gcp-g2",
    "Google Cloud accelerator-optimized machines, G2: NVIDIA L4, Intel Cascade Lake; vCPUs and memory",
    "https://cloud.google.com/compute/docs/accelerator-optimized-machines#g2-vms",
    2023,
  ),
  specSource(
    "gcp-n2",
    "Google Cloud general-purpose machines, N2 standard: 4 GB per vCPU, Intel Cascade Lake up to 80 vCPUs",
    "https://cloud.google.com/compute/docs/general-purpose-machines#n2_machines",
    2019,
  ),
  specSource(
    "gcp-c3",
    "Google Cloud general-purpose machines, C3 standard: 4 GB per vCPU, Intel Sapphire Rapids (8481C)",
    "https://cloud.google.com/compute/docs/general-purpose-machines#c3_series",
    2023,
  ),
  // Azure VM series.
  specSource(
    "azure-nd-a100-v4",
    "Azure ND A100 v4 series: ND96asr_v4, eight A100 40GB with 96 physical AMD EPYC 7V12 " +
      "(Rome) cores behind them (seen 2026; sizes in the row's note)",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/ndasra100v4-series",
    2020,
  ),
  specSource(
    "azure-ndm-a100-v4",
    "Azure NDm A100 v4 series: ND96amsr_A100_v4, 8x A100 80GB on AMD EPYC 7V12 (page not " +
      "seen; sizes in the row's note)",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/ndma100v4-series",
    2021,
  ),
  specSource(
    "azure-nd-h100-v5",
    "Azure ND H100 v5 series: ND96isr_H100_v5, eight H100 with 96 physical 4th Gen Xeon " +
      "Scalable cores (seen 2026; the 8480C model not seen there; sizes in the row's note)",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/ndh100v5-series",
    2023,
  ),
  specSource(
    "azure-nc-a100-v4",
    "Azure NC A100 v4 series: 1, 2 or 4 A100 80GB PCIe with 24 vCPUs of AMD EPYC 7V13 and 220 GiB each",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/nca100v4-series",
    2022,
  ),
  specSource(
    "azure-dsv5",
    "Azure Dsv5 series: Intel Xeon Platinum 8370C, 4 GiB per vCPU; sizes",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/dsv5-series",
    2021,
  ),
  specSource(
    "azure-esv5",
    "Azure Esv5 series: Intel Xeon Platinum 8370C, 8 GiB per vCPU (672 GiB at 96); sizes",
    "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/memory-optimized/esv5-series",
    2021,
  ),
  // Regions: where each provider says its regions are.
  specSource(
    "aws-regions",
    "AWS Regions and Availability Zones: region codes and their locations",
    "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
    2025,
  ),
  specSource(
    "gcp-regions",
    "Google Cloud regions and zones: region names and their locations",
    "https://cloud.google.com/compute/docs/regions-zones",
    2025,
  ),
  specSource(
    "azure-regions",
    "Azure geographies and regions: region names and their locations",
    "https://datacenters.microsoft.com/globe/explore",
    2025,
  ),
] as const satisfies readonly SourceRef[];

/** The source of id `id`, if the table has one. */
export const cloudSource = sourceIndex(cloudSources);
