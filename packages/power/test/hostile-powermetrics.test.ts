import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_TAG_CHARS } from "../src/apple/plist.ts";
import {
  openPowerMeter,
  PowermetricsSource,
  parsePlist,
  parsePlistSample,
  parseTextSample,
} from "../src/index.ts";
import { tempDir } from "./helpers/trees.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let dir: string;
let dispose: () => Promise<void>;
beforeEach(async () => {
  const made = await tempDir("powermetrics");
  dir = made.path;
  dispose = made.dispose;
});
afterEach(async () => {
  await dispose();
});

describe("powermetrics parsing of hostile output", () => {
  it("parses a sample of a megabyte of unclosed tags in linear time", () => {
    // Each `<a` used to scan to the end of the text for its `>`: 80,000 of them took 3.7 s,
    // these 500,000 about 143 s, so the old pattern fails here by the suite's test timeout (a
    // hang detector: no clock is read).
    const outcome = parsePlist(`<plist>${"<a".repeat(500_000)}`);
    expect(outcome.ok).toBe(false);
  });

  it("parses a mebibyte-long unclosed tag name or run of spaces in linear time", () => {
    // The old tag pattern split such a run between its parts in every way: 200,000 characters
    // took 17 s, a mebibyte minutes; the 5 s bound is a hang detector (no clock is read).
    const mebibyte = 1 << 20;
    expect(parsePlist(`<plist><${"a".repeat(mebibyte)}<`).ok).toBe(false);
    expect(parsePlist(`<plist><a${" ".repeat(mebibyte)}<`).ok).toBe(false);
  }, 5000);

  it("refuses a tag longer than MAX_TAG_CHARS and still reads spaced self-closing tags", () => {
    const long = `<plist><dict${" ".repeat(MAX_TAG_CHARS)}/></plist>`;
    expect(parsePlist(long)).toEqual({
      ok: false,
      why: `a tag longer than ${MAX_TAG_CHARS} characters`,
    });
    expect(parsePlist('<plist version="1.0"><array><dict /><true/></array></plist>')).toEqual({
      ok: true,
      value: [{}, true],
    });
  });

  it("refuses numbers out of range or not written in decimal", () => {
    for (const text of ["1e400", "-1e400", "0x10", "Infinity", "1_0"]) {
      expect(
        parsePlist(`<plist><dict><key>a</key><real>${text}</real></dict></plist>`),
        text,
      ).toMatchObject({ ok: false });
    }
    expect(parsePlist("<plist><real>-1.5e3</real></plist>")).toEqual({ ok: true, value: -1500 });
  });

  it("refuses a sample with a negative or impossible energy, with the reason", () => {
    const plist = (cpuEnergy: string) =>
      `<plist><dict><key>elapsed_ns</key><integer>1000000000</integer><key>processor</key><dict><key>cpu_energy</key><integer>${cpuEnergy}</integer></dict></dict></plist>`;
    expect(parsePlistSample(plist("-5"))).toMatchObject({
      ok: false,
      why: expect.stringMatching(/CPU energy -0.005 is outside/),
    });
    expect(parsePlistSample(plist("1e300"))).toMatchObject({ ok: false });
    expect(parsePlistSample(plist("1850"))).toMatchObject({ ok: true });
    const text = `*** Sampled system activity (Mon) (${"9".repeat(400)}ms elapsed) ***\nCPU Power: 5 mW\n`;
    expect(parseTextSample(text)).toMatchObject({ ok: false });
  });
});

describe("powermetrics samples that lose a channel", () => {
  it("refuses a text sample whose figure is not a number, naming the line", () => {
    const text = "*** Sampled system activity (x) (1000.0ms elapsed) ***\nCPU Power: 100 mW\n";
    expect(parseTextSample(`${text}GPU Power: 1.2.3 mW\n`)).toEqual({
      ok: false,
      why: "GPU Power is not a number (1.2.3)",
    });
    // Read as an absent GPU line, that interval's GPU energy was lost without a word.
    expect(parseTextSample(`${text}GPU Power: 12 mW\n`).ok).toBe(true);
  });

  it("calls a sample lacking a channel the first one had malformed, and says its interval is lost", async () => {
    const good = fixture("powermetrics-m2.txt");
    const noGpu = join(dir, "no-gpu.txt");
    const { writeFile } = await import("node:fs/promises");
    const text = await readFile(good, "utf8");
    await writeFile(noGpu, text.replace(/^GPU Power: .*$/gm, ""));
    const source = new PowermetricsSource({
      platform: "darwin",
      // A text sample ends where the next begins: the last good one closes the one without GPU.
      command: ["sh", "-c", `cat '${good}'; sleep 0.2; cat '${noGpu}' '${good}'; exec sleep 30`],
    });
    const { devices } = await source.detect();
    expect(devices.map((d) => d.id)).toContain("powermetrics:gpu");
    await new Promise((resolve) => setTimeout(resolve, 600));
    const after = await source.sample();
    source.close();
    // Before: cpu counted, gpu 0 J for that interval, no problem and no malformed count.
    expect(after.readings[1]?.problem).toMatchObject({
      kind: "malformed",
      message: expect.stringContaining("no GPU figure, which the first sample had"),
    });
    expect(source.introspect().malformedSamples).toBe(1);
  });

  it("holds the sample still buffered when powermetrics exits to the same checks", async () => {
    const good = fixture("powermetrics-m2.txt");
    const noGpu = join(dir, "no-gpu-last.txt");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(noGpu, (await readFile(good, "utf8")).replace(/^GPU Power: .*$/gm, ""));
    const source = new PowermetricsSource({
      platform: "darwin",
      // The sample without GPU is the last: nothing after it closes it but the exit.
      command: ["sh", "-c", `cat '${good}'; sleep 0.2; cat '${noGpu}'`],
    });
    const { devices } = await source.detect();
    expect(devices.map((d) => d.id)).toContain("powermetrics:gpu");
    const deadline = Date.now() + 10_000;
    while (source.introspect().malformedSamples === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = await source.sample();
    source.close();
    // Before: the flushed sample's CPU figure was added and its missing GPU went uncounted.
    expect(source.introspect().malformedSamples).toBe(1);
    expect(after.readings[0]?.problem).toMatchObject({ kind: "vanished" });
  });

  it("answers a command with a NUL byte or no word with a refusal, never a throw", async () => {
    const opened = await openPowerMeter({
      platform: "darwin",
      components: ["gpu"],
      fallback: "none",
      powermetricsCommand: ["power\0metrics"],
    });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.message).toMatch(/NUL byte/);
    for (const command of [["power\0metrics"], []]) {
      const { devices, skipped } = await new PowermetricsSource({
        platform: "darwin",
        command,
      }).detect();
      expect(devices).toEqual([]);
      expect(skipped[0]).toMatchObject({ kind: "driver-error", reader: "powermetrics" });
    }
  });
});

describe("PowermetricsSource with a hostile child", () => {
  it("keeps the meter's energy finite when a sample says 1e400 millijoules", async () => {
    const good = await readFile(fixture("powermetrics-m2.plist"), "utf8");
    const bad = join(dir, "bad.plist");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(bad, good.replace(/<integer>1850<\/integer>/, "<real>1e400</real>"));
    const file = fixture("powermetrics-m2.plist");
    const opened = await openPowerMeter({
      platform: "darwin",
      components: ["cpu"],
      fallback: "none",
      powermetricsCommand: [
        "sh",
        "-c",
        `cat '${file}'; printf '\\0'; sleep 0.2; cat '${bad}'; printf '\\0'; sleep 0.2; cat '${bad}'; printf '\\0'; sleep 0.2; cat '${file}'; printf '\\0'; exec sleep 30`,
      ],
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    let reading = await meter.sample();
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reading = await meter.sample();
    }
    const cpu = reading.devices[0];
    expect(Number.isFinite(cpu?.energyJ)).toBe(true);
    expect(cpu?.energyJ).toBeCloseTo(1.85, 9);
    expect(meter.introspect().sources.powermetrics).toMatchObject({ malformedSamples: 2 });
  });

  it("kills a child that ignores SIGTERM once detect gives up on it", async () => {
    const pidFile = join(dir, "pid");
    const source = new PowermetricsSource({
      platform: "darwin",
      intervalMs: 100,
      command: ["sh", "-c", `trap '' TERM; echo $$ > '${pidFile}'; exec sleep 60`],
    });
    const { skipped } = await source.detect();
    expect(skipped[0]).toMatchObject({ kind: "driver-error" });
    const pid = Number(await readFile(pidFile, "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  }, 15_000);
});
