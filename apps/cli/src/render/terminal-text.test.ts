import { describe, expect, it } from "vitest";
import { terminalSafe, terminalSafeLines } from "./terminal-text.ts";

describe("terminalSafe", () => {
  it("prints control characters as escapes, so a peer's text cannot drive the terminal", () => {
    expect(terminalSafe("bad\u001b[2J\u001b]0;title\u0007 end")).toBe(
      "bad\\u001b[2J\\u001b]0;title\\u0007 end",
    );
    expect(terminalSafe("a\nb\rc\td\u0000e\u007ff\u009bg")).toBe(
      "a\\u000ab\\u000dc\\u0009d\\u0000e\\u007ff\\u009bg",
    );
  });

  it("leaves printable text alone, Unicode included", () => {
    const text = "Région de Bruxelles-Capitale, 2024 — 12.5 gCO2eq ✓";
    expect(terminalSafe(text)).toBe(text);
  });
});

describe("terminalSafeLines", () => {
  it("keeps line feeds and tabs and escapes every other control character", () => {
    // Every code point up to U+00FF, each between printable text: the whole control range.
    const all = Array.from({ length: 0x100 }, (_, c) => `a${String.fromCharCode(c)}b`).join("");
    const safe = terminalSafeLines(all);
    const controls = [...safe].filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 ? c !== "\n" && c !== "\t" : code >= 0x7f && code <= 0x9f;
    });
    expect(controls).toEqual([]);
    expect(safe.split("\n")).toHaveLength(2);
    expect(safe.split("\t")).toHaveLength(2);
    expect(safe).toContain("a\\u001bb");
    expect(terminalSafeLines("Actual consumption:\n\tEnergy:\t1 kWh\n")).toBe(
      "Actual consumption:\n\tEnergy:\t1 kWh\n",
    );
  });
});
