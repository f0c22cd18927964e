import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sourceRefSchema } from "../../provenance.test-support.ts";
import { findHardware } from "../lookup.ts";
import { normaliseName } from "../normalise.ts";
import type { HardwareProfile } from "../profile.ts";
import { acceleratorProfiles, cpuProfiles, hardwareProfiles } from "./catalogue.ts";
import { hardwareSource, hardwareSources } from "./sources.ts";

const sourceIds = new Set<string>(hardwareSources.map((s) => s.id));

const row = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    name: z.string().min(2),
    vendor: z.enum(["Intel", "AMD", "NVIDIA", "Apple", "Ampere", "AWS", "Google"]),
    kind: z.enum(["cpu", "gpu", "tpu", "npu", "soc"]),
    family: z.string().min(1),
    tdpW: z.number().positive().max(2000),
    basis: z.enum(["tdp", "board-power", "module-max", "system-max", "chip-max", "estimate"]),
    idleW: z.number().positive().optional(),
    cores: z.number().int().positive().optional(),
    threads: z.number().int().positive().optional(),
    memoryGB: z.number().positive().optional(),
    formFactor: z.enum(["pcie", "sxm", "nvl", "oam"]).optional(),
    microarchitecture: z.string().min(1).optional(),
    aliases: z.array(z.string().min(1)),
    preference: z.number().int().nonnegative().optional(),
    sourceId: z.string().refine((id) => sourceIds.has(id), "unknown sourceId"),
    year: z.number().int().min(2010).max(2026),
    note: z.string().min(1).optional(),
  })
  .strict()
  .refine((r) => r.idleW === undefined || r.idleW < r.tdpW, "idle must be below rated power")
  .refine((r) => r.threads === undefined || r.cores === undefined || r.threads >= r.cores);

function validate(rows: readonly HardwareProfile[]): void {
  for (const r of rows) {
    const parsed = row.safeParse(r);
    expect(parsed.success, `${r.id}: ${parsed.error?.message ?? ""}`).toBe(true);
  }
}

describe("hardware tables", () => {
  it("has at least 100 CPUs and 40 accelerators", () => {
    expect(cpuProfiles.length).toBeGreaterThanOrEqual(100);
    expect(acceleratorProfiles.length).toBeGreaterThanOrEqual(40);
  });

  it("validates every CPU row", () => validate(cpuProfiles));
  it("validates every accelerator row", () => validate(acceleratorProfiles));

  it("validates every source", () => {
    for (const s of hardwareSources) expect(sourceRefSchema.safeParse(s).success, s.id).toBe(true);
    expect(new Set(hardwareSources.map((s) => s.id)).size).toBe(hardwareSources.length);
  });

  it("cites for each row a source no older than the hardware (an estimate keeps its figure's year)", () => {
    const newer = hardwareProfiles.flatMap((p) => {
      const source = hardwareSource(p.sourceId);
      if (source === undefined) return [`${p.name} cites no known source (${p.sourceId})`];
      const estimate = source.licence?.startsWith("wattprint estimate") === true;
      return !estimate && source.year < p.year
        ? [`${p.name} ${p.year} cites ${source.id} ${source.year}`]
        : [];
    });
    expect(newer).toEqual([]);
  });

  it("gives a cloud CPU estimate the year of the public part whose figure it reuses", () => {
    const wrong = hardwareProfiles.flatMap((p) => {
      const sibling = /W is the (.+)'s \(same core count\)/.exec(p.note ?? "")?.[1];
      if (p.basis !== "estimate" || sibling === undefined) return [];
      const found = findHardware(sibling);
      const source = hardwareSource(p.sourceId);
      if (!found.ok) return [`${p.name}: its sibling ${sibling} is not in the tables`];
      return source?.year === found.value.profile.year
        ? []
        : [`${p.sourceId} ${source?.year} reuses ${sibling} ${found.value.profile.year}`];
    });
    expect(wrong).toEqual([]);
  });

  it("uses every source at least once", () => {
    const used = new Set(hardwareProfiles.map((p) => p.sourceId));
    for (const s of hardwareSources) expect(used.has(s.id), s.id).toBe(true);
    expect(hardwareSource("nvidia-a100")?.url).toContain("nvidia.com");
  });

  it("has unique ids", () => {
    expect(new Set(hardwareProfiles.map((p) => p.id)).size).toBe(hardwareProfiles.length);
  });

  it("has no name or alias that normalises to the same text on two rows", () => {
    const owner = new Map<string, string>();
    for (const p of hardwareProfiles) {
      const spellings = new Set([p.name, ...p.aliases].map(normaliseName));
      for (const spelling of spellings) {
        expect(spelling.length, p.id).toBeGreaterThan(0);
        expect(owner.get(spelling) ?? p.id, `"${spelling}"`).toBe(p.id);
        owner.set(spelling, p.id);
      }
    }
  });

  it("gives each multi-variant family a single preferred variant", () => {
    const families = new Map<string, HardwareProfile[]>();
    for (const p of hardwareProfiles)
      families.set(p.family, [...(families.get(p.family) ?? []), p]);
    for (const [family, members] of families) {
      if (members.length < 2) continue;
      const top = Math.max(...members.map((m) => m.preference ?? 0));
      const atTop = members.filter((m) => (m.preference ?? 0) === top);
      expect(atTop.length, family).toBe(1);
    }
  });

  it("covers every family the issue names", () => {
    const ids = new Set(hardwareProfiles.map((p) => p.family));
    for (const family of [
      "v100",
      "t4",
      "a10",
      "a100",
      "l4",
      "l40s",
      "h100",
      "h200",
      "b200",
      "rtx-3090",
      "rtx-4090",
      "rtx-5090",
      "jetson-agx-orin",
      "jetson-orin-nano",
      "mi100",
      "mi210",
      "mi250x",
      "mi300x",
      "tpu-v4",
      "gaudi2",
      "gaudi3",
    ]) {
      expect(ids.has(family), family).toBe(true);
    }
  });
});
