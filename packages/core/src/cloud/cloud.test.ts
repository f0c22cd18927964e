import { describe, expect, it } from "vitest";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import { expectHardwareParts } from "../machines/bill.test-support.ts";
import { expectSourcedTable } from "../provenance.test-support.ts";
import { PUE_PROFILES } from "../pue.ts";
import { CLOUD_PROVIDERS } from "./cloud.ts";
import { cloudPue, instanceComponents, vcpusPerSocket } from "./components.ts";
import { cloudSource, cloudSources } from "./data/cloud-sources.ts";
import { cloudInstances } from "./data/instances.ts";
import { CLOUD_PUE_PROFILE } from "./data/pue.ts";
import { cloudRegions } from "./data/regions.ts";
import {
  findCloudInstance,
  findCloudProvider,
  findCloudRegion,
  searchCloudInstances,
  searchCloudRegions,
} from "./lookup.ts";

describe("cloud tables", () => {
  it("cite a known provider page on every instance and region, and use every page", () => {
    expectSourcedTable(cloudSources, [...cloudInstances, ...cloudRegions], cloudSource);
  });

  it("name only parts the hardware table holds, by their exact names", () => {
    for (const i of cloudInstances) {
      expectHardwareParts(i.name, [
        i.cpu.hardware,
        ...(i.accelerators ? [i.accelerators.hardware] : []),
      ]);
    }
  });

  it("give each instance at most its host's two sockets, positive vCPUs and memory", () => {
    for (const i of cloudInstances) {
      expect(i.vcpus, i.name).toBeGreaterThan(0);
      expect(i.memoryGB, i.name).toBeGreaterThan(0);
      const sockets = i.vcpus / vcpusPerSocket(i);
      expect(sockets, i.name).toBeGreaterThan(0);
      expect(sockets, i.name).toBeLessThanOrEqual(2);
    }
    // The 8-GPU instances are whole hosts: exactly two sockets.
    for (const name of [
      "p5.48xlarge",
      "p4d.24xlarge",
      "a3-highgpu-8g",
      "Standard_ND96isr_H100_v5",
    ]) {
      const instance = findCloudInstance(name);
      if (!instance.ok) throw new Error(instance.error.message);
      expect(instance.value.vcpus / vcpusPerSocket(instance.value), name).toBe(2);
    }
  });

  it("have unique instance names and region ids per provider", () => {
    expect(new Set(cloudInstances.map((i) => i.name.toLowerCase())).size).toBe(
      cloudInstances.length,
    );
    for (const provider of CLOUD_PROVIDERS) {
      const ids = cloudRegions.filter((r) => r.provider === provider).map((r) => r.id);
      expect(new Set(ids).size, provider).toBe(ids.length);
      expect(ids.length, provider).toBeGreaterThanOrEqual(20);
    }
  });

  it("put every region in a zone the intensity data has a value for, never a fallback", () => {
    for (const region of cloudRegions) {
      const grid = resolveGridIntensity({ location: region.zone });
      if (!grid.ok) throw new Error(`${region.provider} ${region.id}: ${grid.error.message}`);
      expect(["zone", "country"], `${region.provider} ${region.id}`).toContain(grid.value.level);
      expect(grid.value.zone, `${region.provider} ${region.id}`).toBe(region.zone);
    }
  });

  it("apply each provider's own published PUE from a PUE profile", () => {
    const ids = new Set(PUE_PROFILES.map((p) => p.id));
    for (const provider of CLOUD_PROVIDERS) {
      expect(ids.has(CLOUD_PUE_PROFILE[provider]), provider).toBe(true);
      expect(cloudPue(provider).provenance.source.url).toMatch(/^https:\/\//);
    }
    expect(cloudPue("aws").value).toBe(1.15);
    expect(cloudPue("gcp").value).toBe(1.09);
    expect(cloudPue("azure").value).toBe(1.18);
  });
});

describe("cloud lookups", () => {
  it("find providers by the names people use", () => {
    expect(findCloudProvider("AWS")).toEqual({ ok: true, value: "aws" });
    expect(findCloudProvider("Google Cloud")).toEqual({ ok: true, value: "gcp" });
    expect(findCloudProvider("Microsoft Azure")).toEqual({ ok: true, value: "azure" });
    expect(findCloudProvider("ibm")).toMatchObject({
      ok: false,
      error: { kind: "unknown-cloud", suggestions: ["aws", "gcp", "azure"] },
    });
  });

  it("find instances blind to case, with or without Azure's Standard_ prefix", () => {
    expect(findCloudInstance("P5.48XLARGE")).toMatchObject({
      ok: true,
      value: { provider: "aws" },
    });
    expect(findCloudInstance("ND96isr_H100_v5", "azure")).toMatchObject({
      ok: true,
      value: { name: "Standard_ND96isr_H100_v5" },
    });
    const wrong = findCloudInstance("p5.48xlarge", "gcp");
    expect(wrong).toMatchObject({ ok: false, error: { kind: "unknown-instance" } });
    expect(!wrong.ok && wrong.error.message).toMatch(/Amazon Web Services instance/);
    const typo = findCloudInstance("p5.48xlarg");
    expect(!typo.ok && typo.error.suggestions[0]).toBe("p5.48xlarge");
    const onlyGcp = findCloudInstance("a2-highgpu-9g", "gcp");
    const suggested = onlyGcp.ok ? [] : onlyGcp.error.suggestions;
    expect(suggested).toContain("a2-highgpu-8g");
    for (const name of suggested) {
      expect(findCloudInstance(name)).toMatchObject({ ok: true, value: { provider: "gcp" } });
    }
  });

  it("find regions by id and suggest near ones", () => {
    expect(findCloudRegion("aws", "us-east-1")).toMatchObject({
      ok: true,
      value: { zone: "US-MIDA-PJM" },
    });
    expect(findCloudRegion("gcp", "europe-west4")).toMatchObject({
      ok: true,
      value: { zone: "NL" },
    });
    expect(findCloudRegion("gcp", "US East1")).toMatchObject({
      ok: true,
      value: { id: "us-east1" },
    });
    // AWS's N. Virginia, not GCP's South Carolina, whose id differs by a dash.
    const otherCloud = findCloudRegion("gcp", "US-EAST-1");
    expect(otherCloud).toMatchObject({
      ok: false,
      error: { kind: "unknown-region", suggestions: ["us-east1"] },
    });
    expect(!otherCloud.ok && otherCloud.error.message).toMatch(
      /^unknown gcp region "US-EAST-1": that is Amazon Web Services's .*; did you mean us-east1 \(/,
    );
    const typo = findCloudRegion("aws", "us-east-9");
    expect(typo).toMatchObject({ ok: false, error: { kind: "unknown-region" } });
    expect(!typo.ok && typo.error.suggestions).toContain("us-east-1");
  });

  it("search instances and regions by any word", () => {
    expect(searchCloudInstances("h100").map((i) => i.name)).toEqual(
      expect.arrayContaining(["p5.48xlarge", "a3-highgpu-8g", "Standard_ND96isr_H100_v5"]),
    );
    expect(searchCloudInstances("", "gcp").every((i) => i.provider === "gcp")).toBe(true);
    expect(searchCloudRegions("virginia").map((r) => `${r.provider}:${r.id}`)).toEqual(
      expect.arrayContaining(["aws:us-east-1", "gcp:us-east4", "azure:eastus"]),
    );
  });
});

describe("instanceComponents", () => {
  it("bills a p5.48xlarge as 8 H100s, both 7R13 sockets and 2 TB of host memory", () => {
    const p5 = findCloudInstance("p5.48xlarge");
    if (!p5.ok) throw new Error(p5.error.message);
    const rows = instanceComponents(p5.value, 2);
    expect(rows.map((r) => [r.kind, r.count])).toEqual([
      ["gpu", 16],
      ["cpu", 2],
      ["memory", 2],
    ]);
    expect(rows[0]?.power.value).toBe(700);
    expect(rows[1]?.power.value).toBe(2 * 225);
    expect(rows[1]?.name).toBe("AMD EPYC 7R13, 192 vCPUs (192/96 of a socket)");
    expect(rows[1]?.provenance.source.licence).toMatch(/estimate/);
  });

  it("bills a small VM as its vCPUs' share of a socket", () => {
    const vm = findCloudInstance("m7i.xlarge");
    if (!vm.ok) throw new Error(vm.error.message);
    const [cpu, memory] = instanceComponents(vm.value, 1);
    expect(cpu?.power.value).toBeCloseTo((350 * 4) / 96, 12);
    expect(memory?.power.value).toBeLessThan(2);
  });
});
