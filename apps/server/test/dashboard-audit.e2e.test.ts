/// <reference lib="dom" />
import { existsSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunStore } from "../src/store/run-store.ts";
import { memoryStore, testApp } from "./support/app.test-support.ts";
import { chartData } from "./support/chart-data.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/**
 * The dashboard's calculator errors and huge results, and the runs chart's empty periods, in
 * headless Chromium (as in dashboard.e2e.test.ts).
 */
const CHROMIUM = "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("the dashboard, as a person reads it", () => {
  let store: RunStore;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    store = await memoryStore();
    for (const [day, co2G] of [
      ["2024-02-29", 1],
      ["2024-12-29", 2],
      ["2024-12-30", 3],
    ] as const) {
      const stored = await store.insert({
        project: "gaps",
        tags: [],
        result: runResult(`${day}T12:00:00Z`, 1, 1, co2G),
      });
      if (!stored.ok) throw new Error(stored.error.message);
    }
    ({ app } = await testApp(store));
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function estimateWith(page: Page, fields: Record<string, string>) {
    for (const [field, value] of Object.entries(fields)) await page.getByTestId(field).fill(value);
    await page.getByTestId("estimate-submit").click();
  }

  it("names suggestions once, gives no command-line advice, and writes a huge result in a few characters", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await estimateWith(page, { location: "Atlantis" });
    const error = page.getByTestId("estimate-error");
    await error.waitFor({ state: "visible" });
    const text = (await error.textContent()) ?? "";
    expect(text).toMatch(/^unknown location "Atlantis"; did you mean .+\?$/);
    expect(text.match(/did you mean/gi)).toHaveLength(1);
    expect(text).not.toMatch(/wattprint/);

    await estimateWith(page, { location: "ES", duration: "1e300h" });
    await page.getByTestId("estimate-result").waitFor({ state: "visible" });
    const carbon = (await page.getByTestId("carbon-value").textContent()) ?? "";
    expect(carbon).toMatch(/^\d(\.\d+)?E\d+$/);
    await page.close();
  }, 120_000);

  it("draws the days without runs between a project's runs as empty days", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByTestId("group").selectOption("day");
    await page.getByTestId("project").fill("gaps");
    await page.getByTestId("project").press("Enter");
    // 2024-02-29 to 2024-12-30: 306 days.
    await page.waitForFunction(() => {
      const chart = (
        window as unknown as {
          Chart: { getChart(id: string): { data: { labels: string[] } } | undefined };
        }
      ).Chart.getChart("runs-chart");
      return chart?.data.labels.length === 306;
    });
    const chart = await chartData(page, "runs-chart");
    expect(chart?.labels.slice(0, 2)).toEqual(["2024-02-29", "2024-03-01"]);
    expect(chart?.labels.slice(-2)).toEqual(["2024-12-29", "2024-12-30"]);
    expect(chart?.values?.slice(0, 2)).toEqual([1, 0]);
    expect(chart?.values?.slice(-3)).toEqual([0, 2, 3]);
    await page.close();
  }, 120_000);
});
