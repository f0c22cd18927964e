import { describe, expect, it } from "vitest";
import { findHardware, searchHardware } from "./lookup.ts";

function idOf(query: string): string {
  const result = findHardware(query);
  if (!result.ok) throw new Error(`${query}: ${JSON.stringify(result.error)}`);
  return result.value.profile.id;
}

describe("findHardware", () => {
  it.each([
    ["A100-SXM4-80GB", "nvidia-a100-sxm4-80gb"],
    ["NVIDIA A100-SXM4-80GB", "nvidia-a100-sxm4-80gb"],
    ["NVIDIA A100-SXM4-40GB", "nvidia-a100-sxm4-40gb"],
    ["NVIDIA A100-PCIE-40GB", "nvidia-a100-pcie-40gb"],
    ["NVIDIA A100 40GB PCIe", "nvidia-a100-pcie-40gb"],
    ["NVIDIA A100 80GB PCIe", "nvidia-a100-pcie-80gb"],
    ["NVIDIA H100 80GB HBM3", "nvidia-h100-sxm5-80gb"],
    ["NVIDIA H100 PCIe", "nvidia-h100-pcie-80gb"],
    ["NVIDIA H100 NVL", "nvidia-h100-nvl-94gb"],
    ["NVIDIA H200", "nvidia-h200-sxm-141gb"],
    ["NVIDIA H200 NVL", "nvidia-h200-nvl-141gb"],
    ["NVIDIA B200", "nvidia-b200"],
    ["NVIDIA L4", "nvidia-l4"],
    ["NVIDIA L40S", "nvidia-l40s"],
    ["NVIDIA A10", "nvidia-a10"],
    ["Tesla T4", "nvidia-t4"],
    ["Tesla V100-SXM2-16GB", "nvidia-v100-sxm2-16gb"],
    ["Tesla V100-PCIE-32GB", "nvidia-v100-pcie-32gb"],
    ["Tesla V100S-PCIE-32GB", "nvidia-v100s-pcie-32gb"],
    ["NVIDIA GeForce RTX 4090", "nvidia-geforce-rtx-4090"],
    ["NVIDIA GeForce RTX 3090", "nvidia-geforce-rtx-3090"],
    ["NVIDIA GeForce RTX 5090", "nvidia-geforce-rtx-5090"],
    ["NVIDIA GeForce RTX 4060 Ti", "nvidia-geforce-rtx-4060-ti-8gb"],
    ["Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", "intel-xeon-gold-6248"],
    ["Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", "intel-xeon-gold-6248r"],
    ["Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", "intel-xeon-platinum-8380"],
    ["Intel(R) Xeon(R) Platinum 8480+", "intel-xeon-platinum-8480-plus"],
    ["Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", "intel-xeon-e5-2680-v4"],
    ["13th Gen Intel(R) Core(TM) i9-13900K", "intel-core-i9-13900k"],
    ["Intel(R) Core(TM) Ultra 7 155H", "intel-core-ultra-7-155h"],
    ["AMD EPYC 7763 64-Core Processor", "amd-epyc-7763"],
    ["AMD EPYC 9654 96-Core Processor", "amd-epyc-9654"],
    ["AMD Ryzen 9 7950X 16-Core Processor", "amd-ryzen-9-7950x"],
    ["AMD Ryzen 7 5800U with Radeon Graphics", "amd-ryzen-7-5800u"],
    ["Apple M2 Pro", "apple-m2-pro"],
    ["Apple M1", "apple-m1"],
    ["AWS Graviton3", "aws-graviton3"],
    ["Graviton 2", "aws-graviton2"],
    ["Ampere Altra Q80-30", "ampere-altra-q80-30"],
    ["AMD Instinct MI300X", "amd-instinct-mi300x"],
    ["MI250X", "amd-instinct-mi250x"],
    ["Google TPU v4", "google-tpu-v4"],
    ["Intel Gaudi 2", "intel-gaudi-2"],
    ["Gaudi3", "intel-gaudi-3-oam"],
    ["Jetson AGX Orin 64GB", "nvidia-jetson-agx-orin-64gb"],
    ["Jetson Orin Nano", "nvidia-jetson-orin-nano-8gb"],
  ])("resolves %s", (query, id) => {
    expect(idOf(query)).toBe(id);
  });

  it("grades how the match was made", () => {
    expect(findHardware("NVIDIA A100 SXM4 80GB")).toMatchObject({
      ok: true,
      value: { confidence: "exact" },
    });
    expect(findHardware("Tesla T4")).toMatchObject({
      ok: true,
      value: { confidence: "normalised" },
    });
    expect(findHardware("Xeon Gold 6248 server")).toMatchObject({
      ok: true,
      value: { confidence: "fuzzy", profile: { id: "intel-xeon-gold-6248" } },
    });
  });

  it("picks the family default for a bare family name and says so", () => {
    const result = findHardware("A100");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.profile.id).toBe("nvidia-a100-sxm4-40gb");
    expect(result.value.confidence).toBe("fuzzy");
    expect(result.value.note).toContain("does not say which variant");
    expect(result.value.note).toContain("A100 PCIe 40GB (250 W)");
  });

  it("reads the bare family name H200 as its SXM card with a note naming the NVL, as H100", () => {
    const result = findHardware("H200");
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.profile.name).toBe("NVIDIA H200 SXM 141GB");
    expect(result.value.note).toContain("also possible: NVIDIA H200 NVL 141GB (600 W)");
  });

  it("reads Gaudi3 written as one word as Gaudi 3: the OAM card, with a note naming the PCIe", () => {
    for (const name of ["Gaudi3", "Intel Gaudi3", "Gaudi 3"]) {
      const result = findHardware(name);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.profile.name).toBe("Intel Gaudi 3 OAM");
      expect(result.value.note).toContain("also possible: Intel Gaudi 3 PCIe (600 W)");
    }
    expect(idOf("Gaudi3 PCIe")).toBe("intel-gaudi-3-pcie");
  });

  it("reads a bare number that is a row's memory size as its GB", () => {
    const sxm = findHardware("A100 SXM 80");
    if (!sxm.ok) throw new Error(sxm.error.message);
    expect(sxm.value.profile.name).toBe("NVIDIA A100 SXM4 80GB");
    expect(idOf("A100 SXM 40")).toBe("nvidia-a100-sxm4-40gb");
    expect(idOf("A100 PCIe 80")).toBe("nvidia-a100-pcie-80gb");
    // As "A100 80GB": the SXM4 card, with a note naming the PCIe one (it chose the 40 GB card).
    const bare = findHardware("A100 80");
    if (!bare.ok) throw new Error(bare.error.message);
    expect(bare.value.profile.name).toBe("NVIDIA A100 SXM4 80GB");
    expect(bare.value.note).toContain("also possible: NVIDIA A100 PCIe 80GB (300 W)");
    // A number that is no row's memory is still an unknown word.
    expect(idOf("A100 SXM 48")).toBe("nvidia-a100-sxm4-40gb");
  });

  it("refuses a DGX or HGX name, a system of several accelerators, naming the accelerator", () => {
    // Read as its accelerator alone (the word was dropped), "DGX H100" was one 700 W GPU.
    for (const [name, accelerator] of [
      ["DGX H100", "NVIDIA H100 SXM5 80GB"],
      ["NVIDIA HGX A100 80GB", "NVIDIA A100 SXM4 80GB"],
      ["dgx-b200", "NVIDIA B200"],
    ] as const) {
      const result = findHardware(name);
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result.error.kind).toBe("ambiguous-hardware");
      expect(result.error.message).toContain("names a system of several accelerators");
      expect(result.error.message).toContain(`("N x ${accelerator}")`);
      expect(result.error.suggestions).toEqual([accelerator]);
    }
  });

  it("honours a stated form factor or memory size", () => {
    expect(idOf("A100 80GB")).toBe("nvidia-a100-sxm4-80gb");
    expect(idOf("A100 PCIe")).toBe("nvidia-a100-pcie-80gb");
    expect(idOf("H100 SXM5")).toBe("nvidia-h100-sxm5-80gb");
    expect(idOf("V100 32GB")).toBe("nvidia-v100-sxm2-32gb");
  });

  it("picks a variant when the candidates draw the same power", () => {
    const result = findHardware("V100 PCIe");
    expect(result.ok && result.value.profile.tdpW).toBe(250);
    expect(result.ok && result.value.note).toContain("same power");
  });

  it("never confuses neighbouring model numbers", () => {
    expect(idOf("A10")).toBe("nvidia-a10");
    expect(idOf("RTX 4060")).toBe("nvidia-geforce-rtx-4060");
    expect(idOf("M2")).toBe("apple-m2");
    expect(idOf("Xeon Gold 6248")).toBe("intel-xeon-gold-6248");
  });

  it("does not fall back from a qualified part to the plain one", () => {
    expect(findHardware("NVIDIA GeForce RTX 4090 Laptop GPU").ok).toBe(false);
    expect(findHardware("Apple M4 Max").ok).toBe(false);
    expect(idOf("Apple M4 Pro")).toBe("apple-m4-pro");
    expect(idOf("Apple M4")).toBe("apple-m4");
    expect(findHardware("NVIDIA GeForce RTX 4080 Ti").ok).toBe(false);
  });

  it("reports an unknown name with suggestions", () => {
    const result = findHardware("A1000000");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unknown-hardware");
    expect(result.error.message).toMatch(
      /^unknown hardware "A1000000"; did you mean .*A100.*\? \(run `wattprint hardware <query>` to search\)$/,
    );
    expect(result.error.suggestions.length).toBeGreaterThan(0);
    expect(result.error.suggestions.length).toBeLessThanOrEqual(5);
    expect(result.error.suggestions.some((s) => s.includes("A100"))).toBe(true);
  });

  it("leaves the suggestions out when asked to, and still says the name is unknown", () => {
    const result = findHardware("A1000000", { suggest: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unknown-hardware");
    expect(result.error.suggestions).toEqual([]);
    expect(result.error.message).toBe(
      'unknown hardware "A1000000" (run `wattprint hardware <query>` to search)',
    );
    // Everything else matches as before.
    expect(findHardware("A100 SXM 80GB", { suggest: false }).ok).toBe(true);
  });

  it("treats an Arm core name as ambiguous and lists the chips that use it", () => {
    const result = findHardware("Neoverse-N1");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("ambiguous-hardware");
    expect(result.error.suggestions).toContain("AWS Graviton2");
    expect(result.error.suggestions).toContain("Ampere Altra Q80-30");
    expect(result.error.message).toMatch(
      /^ambiguous hardware "Neoverse-N1": .*core design.*name the chip/,
    );
    expect(result.error.message).toContain("AWS Graviton2");
  });

  it("refuses a name that names two models, in either order, though one model is preferred", () => {
    // "H100 A100" chose the A100 SXM4 40GB, with a note that the name "does not say which variant".
    for (const query of ["H100 A100", "A100 H100"]) {
      const result = findHardware(query);
      expect(result).toMatchObject({ ok: false, error: { kind: "ambiguous-hardware" } });
      if (result.ok) continue;
      expect(result.error.message).toMatch(/names more than one model \((a100, h100|h100, a100)\)/);
      expect(result.error.suggestions).toEqual(
        expect.arrayContaining(["NVIDIA A100 SXM4 40GB", "NVIDIA H100 SXM5 80GB"]),
      );
    }
    // One model's variants are still a choice with a note.
    expect(findHardware("A100")).toMatchObject({
      ok: true,
      value: { profile: { name: "NVIDIA A100 SXM4 40GB" } },
    });
  });

  it("says which words of the name the match did not read", () => {
    // "A100 banana" was one A100 at full power, with nothing said of "banana".
    const match = findHardware("A100 banana");
    expect(match.ok && match.value.note).toMatch(/; a word not in its name ignored: "banana"$/);
    expect(findHardware("a100 40gb pcie idle")).toMatchObject({
      ok: true,
      value: {
        profile: { name: "NVIDIA A100 PCIe 40GB" },
        note: expect.stringMatching(/by name tokens; a word not in its name ignored: "idle"$/),
      },
    });
    // Every word read: no clause, whether the match is fuzzy or a memory size given bare.
    expect(findHardware("A100 SXM 80")).toMatchObject({
      ok: true,
      value: { note: expect.not.stringContaining("ignored") },
    });
    expect(findHardware("H100").ok && findHardware("H100")).toMatchObject({
      value: { note: expect.not.stringContaining("ignored") },
    });
  });

  it("reports ties between different powers as ambiguous", () => {
    const result = findHardware("Ryzen 9");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("ambiguous-hardware");
    expect(result.error.suggestions.length).toBeGreaterThan(1);
    expect(result.error.message).toMatch(
      /^ambiguous hardware "Ryzen 9": .*different power; name one of /,
    );
    for (const name of result.error.suggestions) expect(result.error.message).toContain(name);
  });

  it.each([
    [
      "A100 SXM4 40GB PCIe",
      "form factors, sxm4 and pcie",
      ["NVIDIA A100 SXM4 40GB", "NVIDIA A100 PCIe 40GB"],
    ],
    [
      "H100 PCIe SXM",
      "form factors, pcie and sxm",
      ["NVIDIA H100 PCIe 80GB", "NVIDIA H100 SXM5 80GB"],
    ],
    [
      "A100 40GB 80GB",
      "memory sizes, 40gb and 80gb",
      ["NVIDIA A100 SXM4 40GB", "NVIDIA A100 SXM4 80GB"],
    ],
  ])("refuses %j, which names two variants, offering a row for each", (query, named, rows) => {
    const result = findHardware(query);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("ambiguous-hardware");
    expect(result.error.message).toContain(`ambiguous hardware "${query}": it names two ${named}`);
    expect(result.error.suggestions).toEqual(rows);
  });

  it("reads one variant written twice as that variant", () => {
    const result = findHardware("A100 SXM4 SXM 40GB 40 GB");
    expect(result.ok && result.value.profile.name).toBe("NVIDIA A100 SXM4 40GB");
  });

  it.each([
    ["RTX 3060 8GB", "NVIDIA GeForce RTX 3060", "NVIDIA GeForce RTX 3060 Ti"],
    ["RTX 3080 12GB", "NVIDIA GeForce RTX 3080", "NVIDIA GeForce RTX 3080 Ti"],
    ["RTX 4060 16GB", "NVIDIA GeForce RTX 4060", "NVIDIA GeForce RTX 4060 Ti 16GB"],
  ])("never answers a Ti sibling when %j rules out the only plain row", (query, plain, sibling) => {
    const result = findHardware(query);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unknown-hardware");
    expect(result.error.suggestions).toEqual([plain]);
    expect(result.error.suggestions).not.toContain(sibling);
    expect(result.error.message).toMatch(/no row of that model has \d+ GB; the table has NVIDIA/);
  });

  it.each([
    ["155H", "Intel Core Ultra 7 155H"],
    ["Core 7 155H", "Intel Core Ultra 7 155H"],
    ["Altra M128-30", "Ampere Altra Max M128-30"],
  ])(
    "still reaches a qualified row from %j when the table has no part without it",
    (query, name) => {
      const result = findHardware(query);
      expect(result.ok && result.value.profile.name).toBe(name);
    },
  );

  it.each([
    ["L40 S", "nvidia-l40s"],
    ["NVIDIA L40 S", "nvidia-l40s"],
    ["Xeon Gold 6248 R", "intel-xeon-gold-6248r"],
  ])("joins the variant letter written apart in %j to its number", (query, id) => {
    const result = findHardware(query);
    expect(result.ok && result.value.profile.id).toBe(id);
    expect(result.ok && result.value.note).toMatch(/^read ".*" as ".*"$/);
  });

  it.each([
    ["RTX 4090 D", "NVIDIA GeForce RTX 4090"],
    ["NVIDIA A10 G", "NVIDIA A10"],
    ["EPYC 7763 X", "AMD EPYC 7763"],
  ])("refuses %j, a letter after the number that no row has, offering the row", (query, row) => {
    const result = findHardware(query);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("ambiguous-hardware");
    expect(result.error.suggestions).toEqual([row]);
    // A word some row has (Ti) after the number is read as that word, not refused.
    expect(idOf("RTX 3080 Ti")).toBe("nvidia-geforce-rtx-3080-ti");
  });

  it("never gives the Quadro RTX 6000 (Turing) the RTX 6000 Ada's row", () => {
    const result = findHardware("Quadro RTX 6000");
    expect(result.ok).toBe(false);
    expect(result.ok || result.error.kind).toBe("unknown-hardware");
  });

  it("reads full-width and other compatibility characters as ASCII, and still drops \u2122", () => {
    expect(findHardware("\uff21\uff11\uff10\uff10")).toMatchObject({
      ok: true,
      value: { profile: { family: "a100" } },
    });
    expect(idOf("13th Gen Intel\u00ae Core\u2122 i9-13900K")).toBe("intel-core-i9-13900k");
  });

  it("quotes at most 80 characters of a long name in messages and notes", () => {
    const padded = `Xeon Gold 6248 ${"x".repeat(900)}`;
    const fuzzy = findHardware(padded);
    expect(fuzzy.ok && fuzzy.value.profile.id).toBe("intel-xeon-gold-6248");
    // The name quoted (80), the row, and the ignored words quoted (40): bounded, not 900.
    expect(fuzzy.ok && fuzzy.value.note?.length).toBeLessThan(250);
    const unknown = findHardware("q".repeat(900));
    expect(unknown.ok || unknown.error.message.length).toBeLessThan(200);
  });

  it("refuses a name over 1024 characters unread, with a short message", () => {
    const result = findHardware(`A100 ${"x1 ".repeat(400_000)}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unknown-hardware");
    expect(result.error.message).toContain("over 1024 characters");
    expect(result.error.message.length).toBeLessThan(250);
    expect(result.error.suggestions).toEqual([]);
  });

  it("rejects an empty query", () => {
    expect(findHardware("  (R) ")).toMatchObject({
      ok: false,
      error: {
        kind: "empty-query",
        message: expect.stringMatching(/^hardware name " {2}\(R\) " has no model/),
      },
    });
    expect(findHardware(" ")).toMatchObject({
      ok: false,
      error: {
        kind: "empty-query",
        message: "empty hardware name; run `wattprint hardware <query>` to search",
      },
    });
  });
});

describe("searchHardware", () => {
  it.each(["中国", "!!!"])("finds nothing for %j, which has no word to match", (query) => {
    expect(searchHardware(query)).toEqual([]);
  });

  it("still lists everything for a blank query", () => {
    expect(searchHardware("  ")).toEqual(searchHardware(""));
  });

  it("lists everything for an empty query and honours the limit", () => {
    expect(searchHardware("").length).toBeGreaterThan(140);
    expect(searchHardware("", 7)).toHaveLength(7);
  });

  it("filters by every word and ranks the closest first", () => {
    const h100 = searchHardware("nvidia h100");
    expect(h100.map((p) => p.family)).toEqual(["h100", "h100", "h100"]);
    expect(searchHardware("jetson").every((p) => p.name.includes("Jetson"))).toBe(true);
    expect(searchHardware("neoverse").length).toBeGreaterThanOrEqual(4);
    expect(searchHardware("epyc 7763")[0]?.id).toBe("amd-epyc-7763");
  });

  it("finds a name as the OS or a driver reports it, as estimates resolve it", () => {
    // Each found nothing: "r", "tm", "tesla", "64" and "core" are in no row.
    expect(searchHardware("AMD EPYC 7763 64-Core Processor")[0]?.id).toBe("amd-epyc-7763");
    expect(searchHardware("Tesla V100-SXM2-16GB")[0]?.id).toBe("nvidia-v100-sxm2-16gb");
    const xeon = searchHardware("Intel(R) Xeon(R) Platinum 8480+");
    expect(xeon.map((p) => p.name)).toContain("Intel Xeon Platinum 8480+");
    expect(searchHardware("Tesla V100-SXM2-16GB", 0)).toEqual([]);
  });
});
