import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  PLIST_MAX_DEPTH,
  PowermetricsSource,
  PowermetricsSplitter,
  parsePlist,
  parsePlistSample,
  parseTextSample,
} from "../src/index.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe("powermetrics output", () => {
  it("reads an Apple Silicon plist sample: per-interval millijoules and milliwatts", async () => {
    const parsed = parsePlistSample(await readFile(fixture("powermetrics-m2.plist"), "utf8"));
    expect(parsed).toEqual({
      ok: true,
      sample: {
        elapsedS: 1.00456175,
        cpuJ: 1.85,
        gpuJ: 0.031,
        aneJ: 0,
        cpuWatts: 1.8416,
        gpuWatts: 0.03086,
        aneWatts: 0,
      },
    });
  });

  it("reads the text format of Apple Silicon and Intel Macs", async () => {
    const m2 = parseTextSample(await readFile(fixture("powermetrics-m2.txt"), "utf8"));
    expect(m2.ok && m2.sample).toMatchObject({
      elapsedS: 1.00456,
      cpuWatts: 1.842,
      gpuWatts: 0.031,
      aneWatts: 0,
    });
    if (!m2.ok) throw new Error(m2.why);
    expect(m2.sample.cpuJ).toBeCloseTo(1.842 * 1.00456, 12);
    const intel = parseTextSample(await readFile(fixture("powermetrics-intel.txt"), "utf8"));
    expect(intel.ok && intel.sample).toMatchObject({ cpuWatts: 4.56, elapsedS: 1.00012 });
    expect(intel.ok && intel.sample.gpuJ).toBeNaN();
  });

  it("reads an Intel Mac plist's package figures", () => {
    const parsed = parsePlistSample(
      "<plist><dict><key>elapsed_ns</key><integer>2000000000</integer><key>processor</key><dict><key>package_watts</key><real>12.5</real></dict></dict></plist>",
    );
    expect(parsed.ok && parsed.sample).toMatchObject({ cpuWatts: 12.5, cpuJ: 25 });
  });

  it("cuts the stream at NUL bytes and bounds a runaway sample", async () => {
    const sample = await readFile(fixture("powermetrics-m2.plist"), "utf8");
    const splitter = new PowermetricsSplitter();
    const stream = `${sample}\0${sample}\0${sample.slice(0, 100)}`;
    const pieces = [...splitter.push(stream.slice(0, 700)), ...splitter.push(stream.slice(700))];
    expect(pieces).toHaveLength(2);
    expect(pieces.every((p) => parsePlistSample(p).ok)).toBe(true);
    splitter.push("x".repeat((1 << 20) + 1));
    expect(splitter.oversized).toBe(1);
  });

  it("refuses hostile plists with a reason instead of throwing", () => {
    const deep = `<plist>${"<array>".repeat(PLIST_MAX_DEPTH + 1)}${"</array>".repeat(PLIST_MAX_DEPTH + 1)}</plist>`;
    expect(parsePlist(deep)).toEqual({ ok: false, why: `nested deeper than ${PLIST_MAX_DEPTH}` });
    expect(parsePlist("<plist><dict><key>a</key></array></plist>").ok).toBe(false);
    expect(parsePlist("<plist><dict><integer>1</integer></dict></plist>")).toEqual({
      ok: false,
      why: "a <dict> value without a <key>",
    });
    expect(parsePlist("<plist><dict><key>a</key><integer>x1</integer></dict></plist>").ok).toBe(
      false,
    );
    expect(parsePlist("<plist><dict>")).toEqual({
      ok: false,
      why: "the document ends before </plist>",
    });
    // Each was read, the key without a value and the second value dropped in silence.
    expect(
      parsePlist("<plist><dict><key>a</key><key>b</key><integer>1</integer></dict></plist>"),
    ).toEqual({ ok: false, why: "<key>a</key> has no value" });
    expect(parsePlist("<plist><dict></dict><dict></dict></plist>")).toEqual({
      ok: false,
      why: "<plist> holds more than one value",
    });
    expect(parsePlistSample("<plist><dict><key>gpu</key><dict/></dict></plist>")).toMatchObject({
      ok: false,
      why: expect.stringMatching(/no processor/),
    });
  });
});

describe("PowermetricsSource", () => {
  it("meters the CPU, GPU and ANE channels from a running powermetrics (a recorded stream here)", async () => {
    const file = fixture("powermetrics-m2.plist");
    const source = new PowermetricsSource({
      platform: "darwin",
      command: [
        "sh",
        "-c",
        `cat '${file}'; printf '\\0'; sleep 0.3; cat '${file}'; printf '\\0'; exec sleep 30`,
      ],
    });
    const { devices, skipped } = await source.detect();
    expect(skipped).toEqual([]);
    expect(devices.map((d) => [d.id, d.kind])).toEqual([
      ["powermetrics:cpu", "cpu"],
      ["powermetrics:gpu", "gpu"],
      ["powermetrics:ane", "gpu"],
    ]);
    const first = await source.sample();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await source.sample();
    source.close();
    expect(first.readings[0]?.energyJ).toBeCloseTo(1.85, 12);
    expect(second.readings[0]?.energyJ).toBeCloseTo(3.7, 12);
    expect(second.readings[1]?.energyJ).toBeCloseTo(0.062, 12);
    expect(second.atMs).toBeGreaterThan(first.atMs);
  });

  it("says how to let powermetrics run without a password when sudo refuses", async () => {
    const source = new PowermetricsSource({
      platform: "darwin",
      command: ["sh", "-c", "echo 'sudo: a password is required' >&2; exit 1"],
    });
    const { devices, skipped } = await source.detect();
    expect(devices).toEqual([]);
    expect(skipped[0]).toMatchObject({
      kind: "no-permission",
      reader: "powermetrics",
      fix: expect.stringMatching(/NOPASSWD: \/usr\/bin\/powermetrics/),
    });
  });

  it("skips off macOS and when the command does not exist", async () => {
    expect((await new PowermetricsSource({ platform: "linux" }).detect()).skipped[0]).toMatchObject(
      { kind: "unsupported-platform" },
    );
    const missing = new PowermetricsSource({
      platform: "darwin",
      command: ["/nonexistent/powermetrics"],
    });
    expect((await missing.detect()).skipped[0]).toMatchObject({ kind: "not-present" });
  });
});
