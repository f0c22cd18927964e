import { describe, expect, it } from "vitest";
import { requestTypeImplCodec, responseTypeImplCodec } from "../types/config.ts";
import { userInputImplCodec } from "../types/inputs.ts";
import { nodeStatusImplCodec } from "../types/node.ts";
import { co2FootprintImplCodec } from "../types/outputs.ts";

const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));
const VECTOR = fromHex(
  "00010000000000000000f83f00000000000002400000000000d0724003000000010203000700000001000000",
);

function errorOf<T>(
  result:
    | { ok: true; value: T }
    | { ok: false; error: { kind: string; message: string; offset?: number; field?: string } },
) {
  if (result.ok) throw new Error("expected a decode error");
  return result.error;
}

describe("decode errors", () => {
  it("short: fewer than 4 bytes", () => {
    expect(errorOf(co2FootprintImplCodec.decode(Uint8Array.of(0, 1)))).toMatchObject({
      kind: "short",
      offset: 0,
    });
  });

  it("short: every truncation of the reference vector, naming the field", () => {
    for (let cut = 4; cut < VECTOR.length; cut++) {
      const error = errorOf(co2FootprintImplCodec.decode(VECTOR.subarray(0, cut)));
      expect(["short", "bad-length"]).toContain(error.kind);
      expect(error.message).toContain("CO2FootprintImpl");
      expect(error.field).toBeTruthy();
    }
    const error = errorOf(co2FootprintImplCodec.decode(VECTOR.subarray(0, 40)));
    expect(error).toMatchObject({ kind: "short", field: "task_id.iteration_id", offset: 40 });
  });

  it("bad-encapsulation: unknown and parameter-list ids", () => {
    const bad = VECTOR.slice();
    bad[1] = 0x04;
    expect(errorOf(co2FootprintImplCodec.decode(bad))).toMatchObject({ kind: "bad-encapsulation" });
    bad[1] = 0x0b;
    expect(errorOf(co2FootprintImplCodec.decode(bad)).message).toContain("PL_CDR2");
    bad[0] = 1;
    bad[1] = 1;
    expect(errorOf(co2FootprintImplCodec.decode(bad)).message).toContain("0x0101");
  });

  it("bad-length: a huge sequence length never allocates", () => {
    const bad = VECTOR.slice();
    bad.set([0xff, 0xff, 0xff, 0xff], 28);
    expect(errorOf(co2FootprintImplCodec.decode(bad))).toMatchObject({
      kind: "bad-length",
      field: "extra_data",
      offset: 28,
    });
  });

  it("trailing: more than 3 bytes after the last member; padding accepted", () => {
    const padded = new Uint8Array(VECTOR.length + 3);
    padded.set(VECTOR);
    expect(co2FootprintImplCodec.decode(padded).ok).toBe(true);
    const long = new Uint8Array(VECTOR.length + 4);
    long.set(VECTOR);
    expect(errorOf(co2FootprintImplCodec.decode(long))).toMatchObject({
      kind: "trailing",
      offset: 44,
    });
    expect(co2FootprintImplCodec.decode(long, { allowTrailing: true }).ok).toBe(true);
  });

  it("invalid-value: unknown enum value names the enum and field", () => {
    const status = nodeStatusImplCodec.encode({
      ...nodeStatusImplCodec.defaults(),
      node_name: "CARBON_FOOTPRINT_NODE",
    });
    const bad = status.slice();
    bad[4] = 6; // Python's UNKNOWN status never travels on the wire.
    expect(errorOf(nodeStatusImplCodec.decode(bad))).toMatchObject({
      kind: "invalid-value",
      field: "node_status",
      offset: 4,
    });
    expect(errorOf(nodeStatusImplCodec.decode(bad)).message).toContain("not a Status value");
  });

  it("invalid-value: bool byte other than 0/1", () => {
    const bytes = responseTypeImplCodec.encode({
      node_id: 1,
      transaction_id: 2,
      success: true,
      err_code: 0,
      configuration: "",
    });
    const bad = bytes.slice();
    bad[12] = 2;
    expect(errorOf(responseTypeImplCodec.decode(bad))).toMatchObject({
      kind: "invalid-value",
      field: "success",
    });
  });

  it("invalid-value: string without NUL or with an embedded NUL", () => {
    const ok = requestTypeImplCodec.encode({ node_id: 1, transaction_id: 1, configuration: "ab" });
    expect(Buffer.from(ok).toString("hex")).toBe(
      "00010000" + "01000000" + "01000000" + "03000000" + "616200",
    );
    const noNul = ok.slice();
    noNul[18] = 0x63;
    expect(errorOf(requestTypeImplCodec.decode(noNul))).toMatchObject({
      kind: "invalid-value",
      field: "configuration",
    });
    const inner = ok.slice();
    inner[16] = 0;
    expect(errorOf(requestTypeImplCodec.decode(inner)).message).toContain("contains NUL");
  });

  it("accepts a zero-length string", () => {
    const bytes = fromHex("00010000 01000000 02000000 00000000");
    expect(requestTypeImplCodec.decode(bytes)).toEqual({
      ok: true,
      value: { node_id: 1, transaction_id: 2, configuration: "" },
    });
  });

  it("D_CDR2: a DHEADER smaller than its members is bad-length", () => {
    const bytes = fromHex("0009 0000 06000000 01000000 02000000 01000000 00");
    expect(errorOf(requestTypeImplCodec.decode(bytes))).toMatchObject({ kind: "bad-length" });
  });

  it("D_CDR2: members missing at the end of a DHEADER take defaults (older writer)", () => {
    const bytes = fromHex("0009 0000 04000000 05000000");
    expect(requestTypeImplCodec.decode(bytes)).toEqual({
      ok: true,
      value: { node_id: 5, transaction_id: 0, configuration: "" },
    });
  });

  it("D_CDR2: members appended by a newer writer inside the DHEADER are skipped", () => {
    const bytes = fromHex("0009 0000 14000000 01000000 02000000 02000000 7a00 0000 deadbeef");
    expect(requestTypeImplCodec.decode(bytes)).toEqual({
      ok: true,
      value: { node_id: 1, transaction_id: 2, configuration: "z" },
    });
  });

  it("CDR2 (00 07): sequence<string> has a DHEADER, f64 aligns to 4", () => {
    const value = {
      ...userInputImplCodec.defaults(),
      modality: "a",
      inputs: ["x", "yz"],
      desired_carbon_footprint: 0.5,
    };
    const bytes = userInputImplCodec.encode(value, { kind: 0x07 });
    // modality "a": 02000000 6100, pad 2, problem_short_description / _definition empty
    expect(Buffer.from(bytes.subarray(0, 28)).toString("hex")).toBe(
      "00070000" + "02000000" + "61000000" + "01000000" + "00000000" + "01000000" + "00000000",
    );
    // inputs: DHEADER 19 = 4 (count) + 6 (len + "x\0") + 2 pad + 7 (len + "yz\0")
    expect(Buffer.from(bytes.subarray(28, 51)).toString("hex")).toBe(
      "13000000" + "02000000" + "020000007800" + "0000" + "03000000797a00",
    );
    expect(userInputImplCodec.decode(bytes)).toEqual({ ok: true, value });
  });
});
