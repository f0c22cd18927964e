import { type Failure, isFailure } from "@wattprint/result";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lookupEncapsulation } from "./cdr/encapsulation.ts";
import { readExtraData } from "./extra-data.ts";
import { codecs, MESSAGE_TYPE_NAMES } from "./registry.ts";

/*
 * The workspace's one error shape (docs/errors.md) for what messages returns: decode, parse,
 * readExtraData and lookupEncapsulation fail with a kebab-case kind, a one-line message and
 * flat details, never a `reason`/`detail`/`code` field.
 */

const KEBAB = /^[a-z]+(-[a-z0-9]+)*$/;

function expectShape(error: unknown, label: string): Failure {
  expect(isFailure(error), `${label}: ${JSON.stringify(error)}`).toBe(true);
  const failure = error as Failure & Record<string, unknown>;
  expect(failure.kind, label).toMatch(KEBAB);
  expect(failure.message.length, label).toBeGreaterThan(10);
  expect(failure.message, label).not.toMatch(/\n/);
  for (const key of ["reason", "detail", "code", "error"]) expect(failure).not.toHaveProperty(key);
  for (const [key, value] of Object.entries(failure)) {
    const nested = typeof value === "object" && value !== null && !Array.isArray(value);
    expect(nested, `${label}: ${key} is nested`).toBe(false);
  }
  return failure;
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe("the one error shape in messages", () => {
  it.each(MESSAGE_TYPE_NAMES)("%s: decode failures and parse failures", (name) => {
    const codec = codecs[name];
    for (const [label, payload] of [
      ["empty", bytes()],
      ["unknown encapsulation", bytes(0x7f, 0x7f, 0, 0, 1, 2, 3, 4)],
      ["parameter list", bytes(0x00, 0x03, 0, 0)],
      ["truncated", bytes(0x00, 0x01, 0, 0, 0xff)],
    ] as const) {
      const decoded = codec.decode(payload);
      expect(decoded.ok, `${name} ${label}`).toBe(false);
      if (!decoded.ok) {
        const error = expectShape(decoded.error, `${name} ${label}`);
        expect(error.message.startsWith(`${name}`), error.message).toBe(true);
      }
    }
    const parsed = codec.parse({ task_id: "not a task id", no_such_field: 1 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const error = expectShape(parsed.error, `${name} parse`);
      // zod's issues become `Type: path: problem`, never a ZodError.
      expect(error.message).toMatch(new RegExp(`^${name}: [^:]+: `));
    }
  });

  it("holds for any bytes a peer may send", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (payload) => {
        const decoded = codecs.CO2FootprintImpl.decode(payload);
        if (!decoded.ok) expectShape(decoded.error, "CO2FootprintImpl");
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["empty", ""],
    ["not JSON", "{"],
    ["not an object", "[1]"],
    ["too deep", `${"[".repeat(40)}${"]".repeat(40)}`],
  ])("readExtraData: %s", (label, text) => {
    const result = readExtraData(new TextEncoder().encode(text));
    expect(result.ok).toBe(false);
    if (!result.ok) expectShape(result.error, label);
    expect(readExtraData(bytes(0x7b, 0xff, 0x7d))).toMatchObject({
      error: { kind: "invalid-utf8" },
    });
  });

  it("lookupEncapsulation refuses an unknown identifier with a failure", () => {
    const result = lookupEncapsulation(0x12, 0x34);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(expectShape(result.error, "encapsulation")).toEqual({
        kind: "bad-encapsulation",
        message: "unknown representation identifier 0x1234",
      });
    }
  });
});
