import { describe, expect, it } from "vitest";
import { MAX_VISIBLE_ENTRIES, parseVisibleDevices } from "../src/index.ts";

describe("parseVisibleDevices", () => {
  it("reads every form CUDA accepts", () => {
    expect(parseVisibleDevices(undefined)).toEqual({ all: true, entries: [], invalid: [] });
    expect(parseVisibleDevices("")).toEqual({ all: false, entries: [], invalid: [] });
    expect(parseVisibleDevices(" 0 , 2").entries.map((e) => e.kind === "index" && e.index)).toEqual(
      [0, 2],
    );
    expect(
      parseVisibleDevices("GPU-8932f937,MIG-4b6c5b2e-1111-2222-3333-444455556666").entries.map(
        (e) => e.kind,
      ),
    ).toEqual(["gpu-uuid", "mig-uuid"]);
    expect(
      parseVisibleDevices("MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0").entries[0],
    ).toEqual({
      kind: "mig-legacy",
      text: "MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0",
      gpuUuid: "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6",
      gpuInstance: 1,
      computeInstance: 0,
    });
  });

  it("stops at the first invalid entry, as CUDA does", () => {
    expect(parseVisibleDevices("0,-1,1")).toMatchObject({
      entries: [{ index: 0 }],
      invalid: ["-1", "1"],
    });
    expect(parseVisibleDevices("cuda:0")).toMatchObject({ entries: [], invalid: ["cuda:0"] });
    const many = Array.from({ length: MAX_VISIBLE_ENTRIES + 3 }, (_, i) => String(i)).join(",");
    expect(parseVisibleDevices(many).entries).toHaveLength(MAX_VISIBLE_ENTRIES);
  });
});

describe("parseVisibleDevices on hostile input", () => {
  it("keeps what lies beyond the entry limit as one remainder, not one string per entry", () => {
    const huge = Array.from({ length: 200_000 }, (_, i) => String(i)).join(",");
    const parsed = parseVisibleDevices(huge);
    expect(parsed.entries).toHaveLength(MAX_VISIBLE_ENTRIES);
    expect(parsed.invalid).toHaveLength(1);
    expect(parsed.invalid[0]?.startsWith(`${MAX_VISIBLE_ENTRIES},`)).toBe(true);
    expect(parseVisibleDevices(",,").invalid).toEqual(["", "", ""]);
  });
});
