import type { CloudInstance, CloudProvider } from "../cloud.ts";

/** `[name, vCPUs, memory GB, accelerators]` of one size in a family that shares the rest. */
type Size = readonly [name: string, vcpus: number, memoryGB: number, accelerators?: number];

interface Family {
  readonly provider: CloudProvider;
  readonly family: string;
  readonly accelerator?: string;
  readonly cpu: CloudInstance["cpu"];
  readonly sourceId: string;
  readonly note?: string;
  readonly sizes: readonly Size[];
}

/** Sizes of a family as full rows; memory in GB as the provider writes it (GiB on AWS/Azure). */
function expand(family: Family): CloudInstance[] {
  return family.sizes.map(([name, vcpus, memoryGB, count]) => ({
    provider: family.provider,
    name,
    family: family.family,
    ...(family.accelerator !== undefined && count !== undefined
      ? { accelerators: { hardware: family.accelerator, count } }
      : {}),
    vcpus,
    cpu: family.cpu,
    memoryGB,
    sourceId: family.sourceId,
    ...(family.note !== undefined ? { note: family.note } : {}),
  }));
}

/** n sizes of a general-purpose family: vCPUs x GB per vCPU, names from a pattern. */
function scaled(name: (vcpus: number) => string, vcpus: readonly number[], gbPerVcpu: number) {
  return vcpus.map((n): Size => [name(n), n, n * gbPerVcpu]);
}

/**
 * Each family's note names the public page that confirmed its sizes and exactly which figures it
 * gave; a figure no public page was found for (written from memory) is named "not confirmed".
 * The pages that confirm more than one family:
 */
const ROSA_AWS_TYPES =
  "https://github.com/openshift/openshift-docs/blob/b31b597ac53c520718b05853f08237b7514261ff/modules/rosa-sdpolicy-am-aws-compute-types.adoc";
const OSD_422_DEFINITION =
  "https://docs.redhat.com/en/documentation/openshift_container_platform/4.22/html/osd_architecture/osd-service-definition";
const OSD_GCP_TYPES =
  "https://github.com/openshift/openshift-docs/blob/032543aa0d3b46e671b18e2d36d7be40e4bbd8f3/modules/sdpolicy-am-gcp-compute-types.adoc";
const TORCHX_AWS =
  "https://github.com/meta-pytorch/torchx/blob/3297a6e2d0be496feaa688980e2b5ed5175f06ab/torchx/specs/named_resources_aws.py";
const CELERDATA_GCP =
  "https://docs.celerdata.com/BYOC/docs/get_started/create_cluster/supported_instance_types/gcp/";

const AWS_SIZES = [2, 4, 8, 16, 32, 48, 64, 96, 192] as const;
const awsSize = (n: number): string => {
  if (n === 2) return "large";
  if (n === 4) return "xlarge";
  return `${n / 4}xlarge`;
};

/**
 * Whole-host instances (8 GPUs) take every socket: their vCPUs per socket is half their vCPUs.
 * Azure turns SMT off on its GPU hosts and keeps cores for the hypervisor, so its 96 vCPUs are
 * the whole 2-socket host.
 */
const families: readonly Family[] = [
  {
    provider: "aws",
    family: "p4",
    accelerator: "NVIDIA A100 SXM4 40GB",
    cpu: { hardware: "Intel Xeon Platinum 8275CL" },
    sourceId: "aws-p4",
    note:
      "confirmed by AWS's launch post https://aws.amazon.com/blogs/compute/amazon-ec2-p4d-instances-deep-dive/ " +
      "(2x Xeon Platinum 8275CL, 96 vCPUs, 1.1 TB RAM, 8x A100 40 GB)",
    sizes: [["p4d.24xlarge", 96, 1152, 8]],
  },
  {
    provider: "aws",
    family: "p4",
    accelerator: "NVIDIA A100 SXM4 80GB",
    cpu: { hardware: "Intel Xeon Platinum 8275CL" },
    sourceId: "aws-p4",
    note:
      `96 vCPUs and 1,152 GiB confirmed by Red Hat's ROSA instance-type list, ${ROSA_AWS_TYPES}; ` +
      `8 GPUs (with p4d's vCPUs and memory) by torchx's AWS named resources, ${TORCHX_AWS}`,
    sizes: [["p4de.24xlarge", 96, 1152, 8]],
  },
  {
    provider: "aws",
    family: "p5",
    accelerator: "NVIDIA H100 SXM5 80GB",
    cpu: { hardware: "AMD EPYC 7R13" },
    sourceId: "aws-p5",
    note:
      `192 vCPUs and 2,048 GiB confirmed by Red Hat's ROSA instance-type list, ${ROSA_AWS_TYPES}; ` +
      "8 H100 GPUs with 192 vCPUs and 2 TB RAM by " +
      "https://www.silicon.fr/aws-blocs-capacite-ec2-ml-473074.html; 192 vCPUs, 8 GPUs and " +
      `2,048 GiB also in torchx's AWS named resources, ${TORCHX_AWS}`,
    sizes: [["p5.48xlarge", 192, 2048, 8]],
  },
  {
    provider: "aws",
    family: "p5",
    accelerator: "NVIDIA H200 SXM 141GB",
    cpu: { hardware: "AMD EPYC 7R13" },
    sourceId: "aws-p5",
    note:
      `192 vCPUs, 8 GPUs and 2,048 GiB confirmed by torchx's AWS named resources, ${TORCHX_AWS}; ` +
      "192 vCPUs and 2,048 GiB also in Red Hat's OpenShift Dedicated 4.22 service definition, " +
      `${OSD_422_DEFINITION} (seen as a stored copy of its AsciiDoc source)`,
    sizes: [["p5e.48xlarge", 192, 2048, 8]],
  },
  {
    provider: "aws",
    family: "g6",
    accelerator: "NVIDIA L4",
    cpu: { hardware: "AMD EPYC 7R13" },
    sourceId: "aws-g6",
    note:
      "xlarge to 16xlarge (GPUs, vCPUs, GiB) and 12xlarge's 4 GPUs confirmed by the AWS Batch " +
      "GPU jobs table, https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html (seen " +
      "in its Portuguese and Korean versions); 12xlarge's 192 GiB, 24xlarge's 96 vCPUs and " +
      "384 GiB and 48xlarge's 192 vCPUs and 768 GiB by Red Hat's OpenShift Dedicated 4.22 " +
      `service definition, ${OSD_422_DEFINITION} (seen as a stored copy of its AsciiDoc source); ` +
      "24xlarge's 4 and 48xlarge's 8 L4s by RAPIDS's AWS deployment page, " +
      "https://raw.githubusercontent.com/rapidsai/deployment/refs/heads/main/source/cloud/aws/index.md",
    sizes: [
      ["g6.xlarge", 4, 16, 1],
      ["g6.2xlarge", 8, 32, 1],
      ["g6.4xlarge", 16, 64, 1],
      ["g6.8xlarge", 32, 128, 1],
      ["g6.12xlarge", 48, 192, 4],
      ["g6.16xlarge", 64, 256, 1],
      ["g6.24xlarge", 96, 384, 4],
      ["g6.48xlarge", 192, 768, 8],
    ],
  },
  {
    provider: "aws",
    family: "m7i",
    cpu: { hardware: "Intel Xeon Platinum 8488C" },
    sourceId: "aws-m7i",
    note:
      "xlarge to 48xlarge (4 to 192 vCPUs, 4 GiB per vCPU) confirmed by Red Hat's ROSA " +
      `instance-type list, ${ROSA_AWS_TYPES}; m7i.large (2 vCPUs, 8 GiB) not confirmed`,
    sizes: scaled((n) => `m7i.${awsSize(n)}`, AWS_SIZES, 4),
  },
  {
    provider: "aws",
    family: "c7i",
    cpu: { hardware: "Intel Xeon Platinum 8488C" },
    sourceId: "aws-c7i",
    note:
      "xlarge to 48xlarge (4 to 192 vCPUs, 2 GiB per vCPU) confirmed by Red Hat's ROSA " +
      `instance-type list, ${ROSA_AWS_TYPES}; c7i.large (2 vCPUs, 4 GiB) not confirmed`,
    sizes: scaled((n) => `c7i.${awsSize(n)}`, AWS_SIZES, 2),
  },
  {
    provider: "gcp",
    family: "a2",
    accelerator: "NVIDIA A100 SXM4 40GB",
    cpu: { hardware: "Intel Xeon Cascade Lake (Google Cloud)" },
    sourceId: "gcp-a2",
    note:
      "vCPUs and memory of the four highgpu sizes (12/85 to 96/680, vCPUs/GB) and megagpu-16g's " +
      "96 vCPUs confirmed by Red Hat's OpenShift Dedicated Google Cloud instance-type list, " +
      `${OSD_GCP_TYPES} (which writes Google's GB as GiB); megagpu-16g's memory is given there ` +
      "only as 1.33 TiB (near 1,360, not the figure itself) and the GPU counts only by the " +
      "machine-type names, so neither is confirmed",
    sizes: [
      ["a2-highgpu-1g", 12, 85, 1],
      ["a2-highgpu-2g", 24, 170, 2],
      ["a2-highgpu-4g", 48, 340, 4],
      ["a2-highgpu-8g", 96, 680, 8],
      ["a2-megagpu-16g", 96, 1360, 16],
    ],
  },
  {
    provider: "gcp",
    family: "a2",
    accelerator: "NVIDIA A100 SXM4 80GB",
    cpu: { hardware: "Intel Xeon Cascade Lake (Google Cloud)" },
    sourceId: "gcp-a2",
    note:
      "12/170, 24/340, 48/680 and 96/1360 (vCPUs/GB) confirmed by Red Hat's OpenShift Dedicated " +
      `Google Cloud instance-type list, ${OSD_GCP_TYPES} (which writes Google's GB as GiB); GPU ` +
      "counts not confirmed (given there only by the machine-type names)",
    sizes: [
      ["a2-ultragpu-1g", 12, 170, 1],
      ["a2-ultragpu-2g", 24, 340, 2],
      ["a2-ultragpu-4g", 48, 680, 4],
      ["a2-ultragpu-8g", 96, 1360, 8],
    ],
  },
  {
    provider: "gcp",
    family: "a3",
    accelerator: "NVIDIA H100 SXM5 80GB",
    cpu: { hardware: "Intel Xeon Platinum 8481C", vcpusPerSocket: 104 },
    sourceId: "gcp-a3",
    note:
      "the whole 2-socket host: 208 vCPUs, some threads kept by the hypervisor; 208 vCPUs and " +
      "1,872 GB confirmed on the cited page",
    sizes: [["a3-highgpu-8g", 208, 1872, 8]],
  },
  {
    provider: "gcp",
    family: "g2",
    accelerator: "NVIDIA L4",
    cpu: { hardware: "Intel Xeon Cascade Lake (Google Cloud)" },
    sourceId: "gcp-g2",
    note:
      "vCPUs and memory of all eight sizes (4/16 to 96/384, vCPUs/GB) confirmed by Red Hat's " +
      `OpenShift Dedicated 4.22 service definition, ${OSD_422_DEFINITION} (seen as a stored copy ` +
      "of its AsciiDoc source, which writes Google's GB as GiB); GPU counts not confirmed",
    sizes: [
      ["g2-standard-4", 4, 16, 1],
      ["g2-standard-8", 8, 32, 1],
      ["g2-standard-12", 12, 48, 1],
      ["g2-standard-16", 16, 64, 1],
      ["g2-standard-24", 24, 96, 2],
      ["g2-standard-32", 32, 128, 1],
      ["g2-standard-48", 48, 192, 4],
      ["g2-standard-96", 96, 384, 8],
    ],
  },
  {
    provider: "gcp",
    family: "n2",
    cpu: { hardware: "Intel Xeon Cascade Lake (Google Cloud)" },
    sourceId: "gcp-n2",
    note:
      "N2 above 80 vCPUs runs on Ice Lake only and is not listed; n2-standard-4 to -80 (4 GB per " +
      `vCPU) confirmed by Red Hat's OpenShift Dedicated Google Cloud instance-type list, ${OSD_GCP_TYPES} ` +
      `(which writes Google's GB as GiB), and -4 to -64 by CelerData's GCP instance list, ${CELERDATA_GCP}; ` +
      "n2-standard-2 not confirmed",
    sizes: scaled((n) => `n2-standard-${n}`, [2, 4, 8, 16, 32, 48, 64, 80], 4),
  },
  {
    provider: "gcp",
    family: "c3",
    cpu: { hardware: "Intel Xeon Platinum 8481C", vcpusPerSocket: 88 },
    sourceId: "gcp-c3",
    note:
      "c3-standard-176 is the whole 2-socket host, so a socket gives 88 vCPUs; c3-standard-4 to -88 " +
      `(4 GB per vCPU) confirmed by CelerData's GCP instance list, ${CELERDATA_GCP} (which says ` +
      "cores for vCPUs); c3-standard-176's 704 GB by a GitLab infrastructure issue, " +
      "https://gitlab.com/gitlab-com/gl-infra/data-access/dbo/dbo-issue-tracker/-/issues/236 " +
      "(third-party pages, not Google's)",
    sizes: scaled((n) => `c3-standard-${n}`, [4, 8, 22, 44, 88, 176], 4),
  },
  {
    provider: "azure",
    family: "nd-a100-v4",
    accelerator: "NVIDIA A100 SXM4 40GB",
    cpu: { hardware: "AMD EPYC 7V12", vcpusPerSocket: 48 },
    sourceId: "azure-nd-a100-v4",
    note:
      "96 vCPUs, 900 GB and 8 GPUs confirmed by Microsoft's AKS VM-size list, " +
      "https://aspire.dev/reference/api/csharp/aspire.hosting.azure.kubernetes/standardndasv4a100/fields.md",
    sizes: [["Standard_ND96asr_v4", 96, 900, 8]],
  },
  {
    provider: "azure",
    family: "ndm-a100-v4",
    accelerator: "NVIDIA A100 SXM4 80GB",
    cpu: { hardware: "AMD EPYC 7V12", vcpusPerSocket: 48 },
    sourceId: "azure-ndm-a100-v4",
    note:
      "memory corrected from 1900 to 1800 GB: Microsoft's AKS VM-size list, " +
      "https://aspire.dev/reference/api/csharp/aspire.hosting.azure.kubernetes/standardndamsv4a100/fields.md, gives 96 vCPUs, 1800 GB RAM, 8 GPUs; the " +
      "cited series page was not seen for the memory",
    sizes: [["Standard_ND96amsr_A100_v4", 96, 1800, 8]],
  },
  {
    provider: "azure",
    family: "nd-h100-v5",
    accelerator: "NVIDIA H100 SXM5 80GB",
    cpu: { hardware: "Intel Xeon Platinum 8480C", vcpusPerSocket: 48 },
    sourceId: "azure-nd-h100-v5",
    note:
      "96 vCPUs, 1900 GB and 8 GPUs confirmed by Microsoft's AKS VM-size list, " +
      "https://aspire.dev/reference/api/csharp/aspire.hosting.azure.kubernetes/standardndsh100v5/fields.md",
    sizes: [["Standard_ND96isr_H100_v5", 96, 1900, 8]],
  },
  {
    provider: "azure",
    family: "nc-a100-v4",
    accelerator: "NVIDIA A100 PCIe 80GB",
    cpu: { hardware: "AMD EPYC 7V13", vcpusPerSocket: 48 },
    sourceId: "azure-nc-a100-v4",
    note:
      "NC96ads is the whole 2-socket host, so a socket gives 48 vCPUs (SMT off); 24/220, " +
      "48/440 and 96/880 (vCPUs/GB) and 1, 2, 4 GPUs confirmed by Microsoft's AKS VM-size list, " +
      "https://aspire.dev/reference/api/csharp/aspire.hosting.azure.kubernetes/standardncadsa100v4/fields/",
    sizes: [
      ["Standard_NC24ads_A100_v4", 24, 220, 1],
      ["Standard_NC48ads_A100_v4", 48, 440, 2],
      ["Standard_NC96ads_A100_v4", 96, 880, 4],
    ],
  },
  {
    provider: "azure",
    family: "dsv5",
    cpu: { hardware: "Intel Xeon Platinum 8370C" },
    sourceId: "azure-dsv5",
    note:
      "all eight sizes, 2/8 to 96/384 (vCPUs/GiB), confirmed by the source of Microsoft's " +
      "Dv5/Dsv5 size page, " +
      "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/virtual-machines/dv5-dsv5-series.md, " +
      "and Microsoft's AKS VM-size list, " +
      "https://aspire.dev/reference/api/csharp/aspire.hosting.azure.kubernetes/standarddsv5/fields/",
    sizes: scaled((n) => `Standard_D${n}s_v5`, [2, 4, 8, 16, 32, 48, 64, 96], 4),
  },
  {
    provider: "azure",
    family: "esv5",
    cpu: { hardware: "Intel Xeon Platinum 8370C" },
    sourceId: "azure-esv5",
    note:
      "all nine sizes, 2/16 to 64/512 and 96/672 (vCPUs/GiB), confirmed by the source of " +
      "Microsoft's Ev5/Esv5 size page, " +
      "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/virtual-machines/ev5-esv5-series.md",
    sizes: [
      ...scaled((n) => `Standard_E${n}s_v5`, [2, 4, 8, 16, 20, 32, 48, 64], 8),
      ["Standard_E96s_v5", 96, 672],
    ],
  },
];

export const cloudInstances: readonly CloudInstance[] = families.flatMap(expand);
