import { nodeStatusImplCodec, Status } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { MAX_ERROR_DESCRIPTION_CHARS, wireSafeText } from "./wire-text.ts";

const encodable = (text: string) => () =>
  nodeStatusImplCodec.encode({
    ...nodeStatusImplCodec.defaults(),
    node_status: Status.NODE_ERROR,
    error_description: text,
    node_name: "CARBON_FOOTPRINT_NODE",
  });

describe("wireSafeText", () => {
  it("leaves clean text alone, the same string", () => {
    const text = "Failed to obtain carbon footprint information: unknown region “Atlantis” 😀";
    expect(wireSafeText(text)).toEqual({ text, changed: false });
  });

  it("replaces NUL and lone surrogates, keeps pairs", () => {
    expect(wireSafeText("a\u0000b\ud800c\udc00d\ud83d\ude00").text).toBe(
      "a\ufffdb\ufffdc\ufffdd\ud83d\ude00",
    );
    expect(wireSafeText("\udc00\ud800").text).toBe("\ufffd\ufffd");
  });

  it("cuts long text with a note, never inside a surrogate pair", () => {
    for (const filler of ["x", "😀"]) {
      for (let pad = 0; pad < 3; pad++) {
        const text = "y".repeat(pad) + filler.repeat(3_000);
        const safe = wireSafeText(text, 100);
        expect(safe.changed).toBe(true);
        expect(safe.text.length).toBeLessThanOrEqual(100);
        expect(safe.text).toMatch(new RegExp(`\\.\\.\\. \\(${text.length} characters\\)$`));
        expect(safe.text).not.toMatch(/\ufffd/);
        expect(encodable(safe.text)).not.toThrow();
      }
    }
    expect(wireSafeText("z".repeat(10_000)).text.length).toBe(MAX_ERROR_DESCRIPTION_CHARS);
  });

  it("makes every string of two units from a hostile alphabet encodable", () => {
    const alphabet = ["\u0000", "a", "\ud800", "\udbff", "\udc00", "\udfff", "\ufffd", "é"];
    for (const a of alphabet) {
      for (const b of alphabet) {
        for (const c of alphabet) {
          const text = a + b + c;
          expect(encodable(wireSafeText(text).text), JSON.stringify(text)).not.toThrow();
          expect(encodable(wireSafeText(text, 2).text), JSON.stringify(text)).not.toThrow();
        }
      }
    }
  });
});
