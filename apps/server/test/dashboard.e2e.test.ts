/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunStore } from "../src/store/run-store.ts";
import { memoryStore, testApp } from "./support/app.test-support.ts";
import { chartData } from "./support/chart-data.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/**
 * The dashboard in a real browser (Debian's chromium, installed by .ci/setup) against a real
 * server on a loopback port: fill the form, read the number, see the charts drawn. The
 * screenshot is left in apps/server/test-artifacts/ (ignored by git) for a person to look at.
 */
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "../test-artifacts");
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === "true") {
  throw new Error(`${CHROMIUM} is missing: .ci/setup installs Debian's chromium for this test`);
}

describe.skipIf(!available)("the dashboard in headless Chromium", () => {
  let store: RunStore;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    store = await memoryStore();
    ({ app } = await testApp(store));
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    for (const [at, kwh, g] of [
      ["2026-03-02T10:00:00Z", 1.5, 210],
      ["2026-03-10T10:00:00Z", 2.5, 350],
      ["2026-03-17T10:00:00Z", 0.5, 70],
    ] as const) {
      const stored = await app.inject({
        method: "POST",
        url: "/v1/runs",
        payload: { project: "vision-model", result: runResult(at, 1, kwh, g) },
      });
      expect(stored.statusCode).toBe(201);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  it("estimates from the form with provenance, and draws the charts from this server alone", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
    const page = await context.newPage();
    const origins = new Set<string>();
    page.on("request", (request) => origins.add(new URL(request.url()).origin));
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url);

    await page.getByTestId("hardware").fill("NVIDIA H100 SXM5 80GB");
    await page.getByTestId("count").fill("4");
    await page.getByTestId("duration").fill("10h");
    await page.getByTestId("location").fill("FR");
    await page.getByTestId("pue").selectOption("local");
    await page.getByTestId("estimate-submit").click();
    await page.waitForSelector(
      '[data-testid="estimate-result"]:not([hidden]), [data-testid="estimate-error"]:not([hidden])',
    );
    // An error here names itself in the failure rather than as a timeout.
    expect(
      (await page.getByTestId("estimate-error").isVisible()) &&
        (await page.getByTestId("estimate-error").textContent()),
    ).toBe(false);

    // The page shows the number the API gives for the same request.
    const expected = (
      await app.inject({
        method: "POST",
        url: "/v1/estimate",
        payload: {
          hardware: [{ name: "NVIDIA H100 SXM5 80GB", count: 4 }],
          duration: "10h",
          location: "FR",
          pue: "local",
        },
      })
    ).json();
    const shown = Number(
      (await page.getByTestId("carbon-value").textContent())?.replaceAll(",", ""),
    );
    expect(shown).toBeCloseTo(expected.carbon.value, 1);
    expect(await page.getByTestId("energy-value").textContent()).toBe("28");
    expect(await page.getByTestId("intensity-value").textContent()).toContain("France");
    const provenance = await page.getByTestId("provenance").textContent();
    expect(provenance).toContain(expected.intensity.source.title);
    expect(provenance).toContain(expected.breakdown[0].source.title);

    // Charts drawn by Chart.js with the data: the breakdown, the project's weeks, the zones.
    const chartOf = (id: string) => chartData(page, id);
    const breakdown = expected.breakdown as {
      name: string;
      count: number;
      carbon: { value: number };
    }[];
    expect(await chartOf("breakdown-chart")).toEqual({
      labels: breakdown.map((row) => (row.count > 1 ? `${row.count}x ${row.name}` : row.name)),
      values: breakdown.map((row) => row.carbon.value),
    });
    expect(breakdown[0]?.name).toBe("NVIDIA H100 SXM5 80GB");
    await page.waitForFunction(() =>
      Boolean(
        (window as unknown as { Chart: { getChart(id: string): unknown } }).Chart.getChart(
          "runs-chart",
        ),
      ),
    );
    expect(await chartOf("runs-chart")).toEqual({
      labels: ["2026-03-02", "2026-03-09", "2026-03-16"],
      values: [210, 350, 70],
    });
    await page.waitForFunction(() =>
      Boolean(
        (window as unknown as { Chart: { getChart(id: string): unknown } }).Chart.getChart(
          "zones-chart",
        ),
      ),
    );
    const zones = await chartOf("zones-chart");
    expect(zones?.labels).toEqual(expect.arrayContaining(["France", "Germany", "Spain", "World"]));
    // A drawn canvas has coloured pixels; a blank one is all transparent.
    const painted = await page.evaluate(() => {
      const canvas = document.getElementById("breakdown-chart") as HTMLCanvasElement;
      const pixels =
        canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let count = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) count++;
      return count;
    });
    expect(painted).toBeGreaterThan(1000);

    expect([...origins]).toEqual([url]);
    expect(errors).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
    await context.close();
  }, 120_000);

  it("shows an unknown location's problem with its suggestions", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByTestId("location").fill("Frnace");
    await page.getByTestId("estimate-submit").click();
    const error = page.getByTestId("estimate-error");
    await error.waitFor({ state: "visible" });
    // The detail's own "did you mean": the list is not repeated after it.
    expect(await error.textContent()).toMatch(
      /^unknown location "Frnace"; did you mean France\b[^?]*\?$/,
    );
    await page.close();
  }, 60_000);
});
