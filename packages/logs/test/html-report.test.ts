import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateSentence, buildHtmlReport, FORMAT_ATTRIBUTION } from "../src/index.ts";
import { outputLog, SAMPLE_ACTUAL, standardLog, writePair } from "./crafted-logs.test-support.ts";
import { FIXTURES } from "./helpers.test-support.ts";

/**
 * The report is rendered by a real browser (Debian's chromium, installed by .ci/setup) with
 * the network cut: it must draw its charts from what it carries, and a device name that is
 * markup must stay text. A screenshot is left in test-artifacts/ for a person to look at.
 */
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "../test-artifacts");
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === "true") {
  throw new Error(`${CHROMIUM} is missing: .ci/setup installs Debian's chromium for this test`);
}

describe.skipIf(!available)("the HTML report in headless Chromium", () => {
  let browser: Browser;
  const dir = join(ARTIFACTS, "report-folder");
  const htmlPath = join(ARTIFACTS, "report.html");
  let built: Awaited<ReturnType<typeof buildHtmlReport>>;

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // Every fixture run in one folder, plus a run whose device name is markup and whose GPU
    // has no power lines, and one damaged file.
    for (const folder of readdirSync(FIXTURES, { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      for (const name of readdirSync(join(FIXTURES, folder.name))) {
        copyFileSync(join(FIXTURES, folder.name, name), join(dir, name));
      }
    }
    writePair(
      dir,
      "zz-hostile",
      standardLog({
        components:
          'GPU with device(s) <script>alert("x")</script>. CPU with device(s) cpu:0, dram:0.',
        epochs: [{ cpu: "40.5" }, { cpu: "42.0" }, { cpu: "41.0" }],
      }),
      outputLog({ actual: { ...SAMPLE_ACTUAL, epochs: 3 } }),
    );
    writeFileSync(join(dir, "damaged_carbontracker.log"), "no output log for this one\n");
    built = await buildHtmlReport(dir, { generatedAt: new Date("2026-12-01T09:00:00Z") });
    if (!built.ok) throw new Error(built.error.message);
    writeFileSync(htmlPath, built.value.html);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("draws every run, the totals and the charts from the file alone", async () => {
    if (!built.ok) throw new Error("no report");
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    await context.setOffline(true);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(htmlPath).href);

    // Nothing but the file itself was asked for.
    expect(requested).toEqual([pathToFileURL(htmlPath).href]);

    const runs = page.getByTestId("run");
    expect(await runs.count()).toBe(7);
    expect(await page.getByTestId("total-runs").locator("b").textContent()).toBe("7");
    expect(await page.getByTestId("sentence").textContent()).toBe(
      aggregateSentence(built.value.totals, FORMAT_ATTRIBUTION),
    );
    expect(await page.getByTestId("skipped-count").locator("b").textContent()).toBe("1");
    expect(await page.getByTestId("skipped").textContent()).toContain("damaged_carbontracker.log");

    // The 2.4.3 interrupted run: one polyline per component, three epochs each.
    const stop3 = page.locator('[data-run="1795.279208_2026-11-28T225323Z"]');
    const power = stop3.getByTestId("power-chart");
    expect(await power.locator("polyline").count()).toBe(2);
    expect(await power.locator('g[data-series="gpu"] circle').count()).toBe(3);
    expect(await power.locator('g[data-series="gpu"] circle title').first().textContent()).toBe(
      "gpu, epoch 1: 240 W",
    );
    const box = await power.boundingBox();
    expect(box?.width).toBeGreaterThan(400);
    expect(box?.height).toBeGreaterThan(200);

    // Side by side: one bar per counted run in each chart; cumulative lines end at the totals.
    expect(await page.getByTestId("energy-bars").locator("rect.bar").count()).toBe(7);
    expect(await page.getByTestId("co2-bars").locator("rect.bar").count()).toBe(7);
    expect(await page.getByTestId("cumulative-energy").locator("circle").count()).toBe(7);

    // Markup in a device name is shown as text, and the GPU without power is said so.
    const hostile = page.locator('[data-run="zz-hostile"]');
    expect(await page.locator("script").count()).toBe(0);
    expect(await hostile.locator(".run-meta").textContent()).toContain(
      'GPU: <script>alert("x")</script> (no power recorded)',
    );
    expect(await hostile.getByTestId("power-chart").locator("polyline").count()).toBe(1);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
    await context.close();
    // A browser on a CI machine shared with a dozen other suites can take a minute to draw.
  }, 120_000);
});
