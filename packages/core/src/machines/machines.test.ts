import { describe, expect, it } from "vitest";
import { modulePowerW } from "../hardware/memory.ts";
import { expectSourcedTable } from "../provenance.test-support.ts";
import { expectHardwareParts } from "./bill.test-support.ts";
import { machineComponents } from "./components.ts";
import { machineSource, machineSources } from "./data/machine-sources.ts";
import { machinePresets } from "./data/machines.ts";
import { findMachine, searchMachines } from "./lookup.ts";

const perMachineW = (id: string): number => {
  const preset = machinePresets.find((p) => p.id === id);
  if (preset === undefined) throw new Error(id);
  return machineComponents(preset, 1).reduce((sum, row) => sum + row.power.value * row.count, 0);
};

describe("machine presets", () => {
  it("cite a known spec sheet on every row, and use every spec sheet", () => {
    expectSourcedTable(machineSources, machinePresets, machineSource);
  });

  it("name only parts the hardware table holds, by their exact names", () => {
    for (const p of machinePresets) {
      expectHardwareParts(p.id, [
        p.cpus.hardware,
        ...(p.accelerators ? [p.accelerators.hardware] : []),
      ]);
      expect(p.cpus.sockets).toBeGreaterThanOrEqual(1);
      expect(p.memory.gigabytes).toBeGreaterThan(0);
      if (p.memory.dimms !== undefined) expect(Number.isInteger(p.memory.dimms)).toBe(true);
    }
  });

  it("have unique ids and spellings", () => {
    expect(new Set(machinePresets.map((p) => p.id)).size).toBe(machinePresets.length);
    for (const p of machinePresets)
      expect(findMachine(p.name)).toMatchObject({ ok: true, value: p });
  });

  it("never draw more than the spec sheet's maximum system power", () => {
    for (const p of machinePresets) {
      if (p.maxSystemW === undefined) continue;
      expect(perMachineW(p.id), p.id).toBeCloseTo(p.maxSystemW, 6);
    }
  });

  it("bill a DGX H100 as 8 GPUs, 2 CPUs, 32 DIMMs and the rest of its 10.2 kW", () => {
    const dgx = findMachine("DGX H100");
    if (!dgx.ok) throw new Error(dgx.error.message);
    const rows = machineComponents(dgx.value, 4);
    expect(rows.map((r) => [r.name, r.kind, r.count])).toEqual([
      ["NVIDIA H100 SXM5 80GB", "gpu", 32],
      ["Intel Xeon Platinum 8480C", "cpu", 8],
      ["2048 GB memory", "memory", 4],
      ["NVIDIA DGX H100: other system power", "other", 4],
    ]);
    expect(rows[2]?.power.value).toBeCloseTo(32 * modulePowerW(64), 9);
    expect(rows[3]?.power.value).toBeCloseTo(10200 - 8 * 700 - 2 * 350 - 32 * modulePowerW(64), 9);
    expect(rows[0]?.provenance.note).toContain("part of 4 x NVIDIA DGX H100");
  });

  it("counts no other-system row where the spec sheet gives no maximum, and says so", () => {
    const hgx = findMachine("hgx-h100-8gpu");
    if (!hgx.ok) throw new Error(hgx.error.message);
    const rows = machineComponents(hgx.value, 1);
    expect(rows.some((r) => r.kind === "other")).toBe(false);
    expect(rows[0]?.provenance.note).toMatch(/no maximum system power is published/);
  });

  it("scales parts whose rated sum exceeds the maximum down to it, and says so", () => {
    const station = findMachine("DGX Station A100");
    if (!station.ok) throw new Error(station.error.message);
    const rows = machineComponents(station.value, 1);
    const total = rows.reduce((sum, row) => sum + row.power.value * row.count, 0);
    expect(total).toBeCloseTo(1500, 9);
    expect(rows[0]?.power.value).toBeLessThan(400);
    expect(rows[0]?.provenance.note).toMatch(/exceed the 1500 W maximum system power/);
  });

  it("finds presets by id, name or alias, blind to case and punctuation, and suggests", () => {
    expect(findMachine("dgx-h100")).toMatchObject({ ok: true, value: { id: "dgx-h100" } });
    expect(findMachine("DGX_H100")).toMatchObject({ ok: true, value: { id: "dgx-h100" } });
    expect(findMachine("PowerEdge R760")).toMatchObject({ ok: true, value: { id: "server-2s" } });
    const typo = findMachine("dgx-h10");
    expect(typo).toMatchObject({ ok: false, error: { kind: "unknown-machine" } });
    expect(!typo.ok && typo.error.suggestions[0]).toBe("dgx-h100");
    expect(findMachine("")).toMatchObject({ ok: false, error: { kind: "empty-query" } });
    expect(searchMachines("dgx").map((p) => p.id)).toContain("dgx-station-a100");
    expect(searchMachines("workstation").every((p) => p.kind === "workstation")).toBe(true);
    expect(searchMachines()).toHaveLength(machinePresets.length);
  });
});
