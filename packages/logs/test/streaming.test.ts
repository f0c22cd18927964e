import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeneratedFolder, generateLogFolder } from "../bench/generate-logs.ts";
import { aggregateConsumption, parseAllLogs, scanLogDir } from "../src/index.ts";

/**
 * The folder is read one pair at a time: nothing is read ahead of what the consumer took,
 * the event loop keeps turning, a loop left early releases the folder, and the totals do
 * not depend on the order the file system lists files in. (Time and memory at 20,000 and
 * 100,000 pairs are the bench's business: `pnpm --filter @wattprint/logs bench`.)
 */
const PAIRS = 1_500;
let dir = "";
let generated: GeneratedFolder;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "wattprint-logs-stream-"));
  generated = generateLogFolder(dir, PAIRS, 7);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openFds = (): number => readdirSync("/proc/self/fd").length;

describe("streaming a large folder", () => {
  it("aggregates every pair, both wordings, to the totals the generator wrote", async () => {
    const total = await aggregateConsumption(dir);
    if (!total.ok) throw new Error(total.error.message);
    expect(total.value.counters).toMatchObject({
      pairsParsed: PAIRS,
      errorLogs: PAIRS,
      notLogs: 0,
    });
    expect(total.value.skipped).toEqual([]);
    expect(total.value.runsCounted).toBe(PAIRS);
    expect(total.value.energyKWh).toBeCloseTo(generated.energyKWh, 9);
    expect(total.value.co2eqG).toBeCloseTo(generated.co2eqG, 6);
  });

  it("gives the same totals in name order as in directory order", async () => {
    const byDirectory = await aggregateConsumption(dir, { order: "directory" });
    const byName = await aggregateConsumption(dir, { order: "name" });
    if (!byDirectory.ok || !byName.ok) throw new Error("aggregate failed");
    expect(byName.value.energyKWh).toBe(byDirectory.value.energyKWh);
    expect(byName.value.co2eqG).toBe(byDirectory.value.co2eqG);
  });

  it("reads a pair only when the consumer asks for it", async () => {
    const scan = scanLogDir(dir);
    if (!scan.ok) throw new Error(scan.error.message);
    let taken = 0;
    for await (const pair of scan.value) {
      taken++;
      expect(pair.output_filename).toMatch(/_carbontracker_output\.log$/);
      expect(scan.value.introspect().counters.pairsParsed).toBe(taken);
      if (taken === 10) break;
    }
    expect(taken).toBe(10);
  });

  it("lets timers run during a scan and releases the folder when the loop is left early", async () => {
    const before = openFds();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const scan = scanLogDir(dir);
    if (!scan.ok) throw new Error(scan.error.message);
    let taken = 0;
    for await (const _ of scan.value) {
      if (++taken === 1_000) break;
    }
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(openFds()).toBe(before);
  });

  it("sorts parse_all_logs by output file name, as carbontracker does", async () => {
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const names = parsed.value.logs.map((l) => l.output_filename);
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(PAIRS);
  });

  it("is a single pass", async () => {
    const scan = scanLogDir(dir);
    if (!scan.ok) throw new Error(scan.error.message);
    for await (const _ of scan.value) break;
    await expect(async () => {
      for await (const _ of scan.value) break;
    }).rejects.toThrow(/iterated once/);
  });
});
