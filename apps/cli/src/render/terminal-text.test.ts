import { describe, expect, it } from "vitest";
import { terminalSafe } from "./terminal-text.ts";

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
