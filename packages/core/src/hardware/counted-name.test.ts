import { describe, expect, it } from "vitest";
import { readHardwareCount } from "./counted-name.ts";

describe("readHardwareCount", () => {
  it.each([
    ["4x A100", "A100", 4],
    ["4 x A100", "A100", 4],
    ["4×A100", "A100", 4],
    ["A100 x4", "A100", 4],
    ["A100 (x2)", "A100", 2],
    ["A100 (2x)", "A100", 2],
    ["  H100  ", "H100", 1],
    ["RTX 3090 Ti", "RTX 3090 Ti", 1],
    ["7800X3D", "7800X3D", 1],
    ["Jetson TX2", "Jetson TX2", 1],
    ["4090 x3", "4090", 3],
  ])("reads %j as %j, %i of it", (value, name, count) => {
    expect(readHardwareCount(value)).toEqual({
      ok: true,
      value: { raw: value.trim(), name, count },
    });
  });

  it.each([
    [
      "3 H100",
      /^"3 H100" starts with "3", which is not part of the hardware's name; write a count as/,
    ],
    ["2.5x H100", /^"2\.5x H100" has a count that is not a whole number; /],
    ["H100 x2.5", /has a count that is not a whole number/],
    ["H100x2", /ends in "x2", which is not part of a hardware name/],
    ["12", /is a number alone, not a hardware name/],
    [
      "99999999999999999999x A100",
      /has count 99999999999999999999, not a whole number 1\.\.9007199254740991/,
    ],
  ])("refuses %j, naming what is wrong", (value, message) => {
    const read = readHardwareCount(value);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatchObject({ kind: "invalid-hardware-count", value });
    expect(!read.ok && read.error.message).toMatch(message);
  });
});
