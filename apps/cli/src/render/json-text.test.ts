import { describe, expect, it } from "vitest";
import { jsonText } from "./json-text.ts";

describe("jsonText", () => {
  it("escapes DEL and C1 controls, which JSON.stringify leaves raw, and means the same", () => {
    const value = { name: "a\u009b2Jb\u007fc\u0085", list: ["\u009d0;x\u009c"] };
    expect(JSON.stringify(value)).toMatch(/[\u007f-\u009f]/);
    const text = jsonText(value);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(text).toContain("a\\u009b2Jb\\u007fc\\u0085");
    expect(JSON.parse(text)).toEqual(value);
  });

  it("is JSON.stringify for ordinary text, with a replacer and indentation", () => {
    const value = { watts: Number.NaN, zone: "ES", note: "é ü 日本" };
    const replacer = (_key: string, v: unknown): unknown =>
      typeof v === "number" && !Number.isFinite(v) ? null : v;
    expect(jsonText(value, replacer, 2)).toBe(JSON.stringify(value, replacer, 2));
  });
});
