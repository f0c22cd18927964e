import { describe, expect, it } from "vitest";
import { buildHtmlReport } from "../src/index.ts";
import {
  outputLog,
  SAMPLE_ACTUAL,
  samplePair,
  standardLog,
  writePair,
} from "./crafted-logs.test-support.ts";
import { useTempDirs } from "./helpers.test-support.ts";

/** What the HTML report says of what it could not count: never a figure that hides a gap. */
const newDir = useTempDirs();

async function report(dir: string) {
  const built = await buildHtmlReport(dir, { generatedAt: new Date("2026-12-04T09:00:00Z") });
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

/** The text of the element with `data-testid`, tags removed. */
function textOf(html: string, testId: string): string | undefined {
  const at = html.indexOf(`data-testid="${testId}"`);
  if (at < 0) return undefined;
  const start = html.lastIndexOf("<", at);
  const tag = html.slice(start + 1).match(/^\w+/)?.[0] ?? "";
  const end = html.indexOf(`</${tag}>`, at);
  return html.slice(start, end).replace(/<[^>]*>/g, "");
}

describe("a run whose CO2eq carbontracker wrote as nan", () => {
  it("is no 0 g bar or step: left out of every CO2eq figure, and the report says so", async () => {
    const dir = newDir();
    samplePair(dir, "a-known");
    const standard = standardLog({ epochs: [{ gpu: "240.0", cpu: "50.0" }] });
    writePair(dir, "b-unknown", standard, outputLog({ actual: { ...SAMPLE_ACTUAL, g: "nan" } }));
    const { html, totals } = await report(dir);
    expect(totals.runsWithUnknownCo2).toBe(1);
    expect(totals.runsCounted).toBe(2);
    const bars = textOf(html, "co2-bars") ?? "";
    expect(bars).toContain("a-known");
    expect(bars).not.toContain("b-unknown");
    expect(textOf(html, "energy-bars")).toContain("b-unknown");
    expect(textOf(html, "total-co2")).toContain("(1 unknown)");
    expect(textOf(html, "unknown-co2")).toContain("1 run(s) have an unknown CO2eq");
  });

  it("a folder whose CO2eq is all known carries no such note", async () => {
    const dir = newDir();
    samplePair(dir, "a-known");
    const { html } = await report(dir);
    expect(html).not.toContain('data-testid="unknown-co2"');
    expect(textOf(html, "total-co2")).not.toContain("unknown");
  });
});

describe("a run counted without its standard log", () => {
  it("says why on the run, in the summary and in a list, and the result carries the warning", async () => {
    const dir = newDir();
    const damaged = standardLog({ epochs: [{ gpu: "nan", cpu: "50.0" }] });
    const paths = writePair(dir, "run", damaged, outputLog({ actual: SAMPLE_ACTUAL }));
    const built = await report(dir);
    expect(built.warnings.map((w) => [w.kind, w.path])).toEqual([["malformed", paths.standard]]);
    expect(built.counters.standardLogsUnread).toBe(1);
    expect(built.html).not.toContain('data-testid="no-power"');
    expect(textOf(built.html, "standard-unread")).toContain("could not be read (malformed)");
    expect(textOf(built.html, "standard-unread-count")).toContain("1 run(s) are counted");
    expect(textOf(built.html, "warnings")).toContain(paths.standard);
  });
});

describe("equivalents the logs do not hold", () => {
  it("says how many runs' car-km is computed, at what rate and from which source", async () => {
    const dir = newDir();
    writePair(
      dir,
      "logged",
      standardLog({ epochs: [{ cpu: "10.0" }] }),
      outputLog({ actual: SAMPLE_ACTUAL }),
    );
    const { km: _km, ...withoutKm } = SAMPLE_ACTUAL;
    writePair(
      dir,
      "bare",
      standardLog({ epochs: [{ cpu: "10.0" }] }),
      outputLog({ actual: withoutKm }),
    );
    const { html } = await report(dir);
    expect(html).toMatch(
      /data-testid="computed-equivalents">1 of 2 run\(s\) hold no equivalent in their logs: .*106\.8 gCO2\/km/,
    );
    const logged = newDir();
    writePair(
      logged,
      "logged",
      standardLog({ epochs: [{ cpu: "10.0" }] }),
      outputLog({ actual: SAMPLE_ACTUAL }),
    );
    expect((await report(logged)).html).not.toMatch(/computed-equivalents/);
  });
});
