import { describe, expect, it } from "vitest";
import { cutText } from "./cut-text.ts";

describe("cutText", () => {
  it("keeps text within the limit as it is", () => {
    expect(cutText("", 0)).toBe("");
    expect(cutText("abc", 3)).toBe("abc");
  });

  it("cuts longer text to exactly the limit, with a note of the whole length", () => {
    const cut = cutText("x".repeat(5000), 200);
    expect(cut).toHaveLength(200);
    expect(cut).toBe(`${"x".repeat(200 - "... (5000 characters)".length)}... (5000 characters)`);
  });

  it("never splits a surrogate pair", () => {
    // 79 + 300 = 379 units; the note "... (379 characters)" is 20, so the cut would fall
    // between the two halves of the first emoji (units 79 and 80).
    const text = `${"a".repeat(79)}${"😀".repeat(150)}`;
    const note = `... (${text.length} characters)`;
    expect(note).toHaveLength(20);
    const cut = cutText(text, 100);
    expect(cut).toBe(`${"a".repeat(79)}${note}`);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("gives the note alone when the limit is shorter than it", () => {
    expect(cutText("y".repeat(50), 5)).toBe("... (50 characters)");
  });
});
