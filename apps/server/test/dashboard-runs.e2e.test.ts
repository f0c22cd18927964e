/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { existsSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PROJECTS, MAX_SUMMARY_PERIODS, type RunStore } from "../src/store/run-store.ts";
import { memoryStore, testApp } from "./support/app.test-support.ts";
import { chartData } from "./support/chart-data.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/**
 * The dashboard's runs section in headless Chromium against a real server: more projects and
 * periods than the API lists, names a URL cannot hold, failures and an API key. (Chromium as
 * in dashboard.e2e.test.ts, which fails in CI when it is missing.)
 */
const CHROMIUM = "/usr/bin/chromium";
const KEY = "dashboard-test-key";
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2020, 0, 1);

describe.skipIf(!existsSync(CHROMIUM))("the dashboard's runs by project", () => {
  let store: RunStore;
  let app: FastifyInstance;
  let keyed: FastifyInstance;
  let url: string;
  let keyedUrl: string;
  let browser: Browser;

  const put = async (project: string, startedAt: string, co2G = 1) => {
    const stored = await store.insert({
      project,
      tags: [],
      result: runResult(startedAt, 1, 1, co2G),
    });
    if (!stored.ok) throw new Error(stored.error.message);
  };

  beforeAll(async () => {
    store = await memoryStore();
    // One project more than the list holds; "zz-long", last by name, is left out of it.
    for (let i = 0; i < MAX_PROJECTS; i++) {
      await put(`p${String(i).padStart(4, "0")}`, "2026-01-01T00:00:00.000Z");
    }
    // Two days more than a summary returns: the first two are left out.
    for (let day = 0; day < MAX_SUMMARY_PERIODS + 2; day++) {
      await put("zz-long", new Date(FIRST_DAY + day * DAY_MS).toISOString(), day);
    }
    // A name stored before the server refused it: a URL cannot carry it.
    await put("..", "2026-01-01T00:00:00.000Z");
    ({ app } = await testApp(store));
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    ({ app: keyed } = await testApp(store, { apiKeys: [KEY] }));
    keyedUrl = await keyed.listen({ host: "127.0.0.1", port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keyed?.close();
    await store?.close();
  });

  /** The runs chart's labels and CO2 values, or undefined when none is drawn. */
  const runsChart = (page: Page) => chartData(page, "runs-chart");

  /** Waits until the chart `id` is drawn with `labels` labels (any number when undefined). */
  const drawn = (page: Page, id: string, labels?: number) =>
    page.waitForFunction(
      ([canvas, count]) => {
        const chart = (
          window as unknown as {
            Chart: { getChart(id: string): { data: { labels: string[] } } | undefined };
          }
        ).Chart.getChart(canvas);
        return chart !== undefined && (count === undefined || chart.data.labels.length === count);
      },
      [id, labels] as const,
    );

  /** Types a project's name as a person would (Enter), then waits for `done`. */
  async function choose(page: Page, project: string, done: () => Promise<unknown>) {
    await page.getByTestId("project").fill(project);
    await page.getByTestId("project").press("Enter");
    await done();
  }

  it("says the project list was cut, and summarises a project typed beyond it", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url);
    const note = page.getByTestId("projects-note");
    await note.waitFor({ state: "visible" });
    expect(await note.textContent()).toMatch(/first 1,000 projects.*type another/);
    // The first project is chosen and drawn.
    await drawn(page, "runs-chart");
    expect(await page.getByTestId("project").inputValue()).toBe("p0000");
    expect(await page.locator("#project-list option").count()).toBe(MAX_PROJECTS);
    expect(await page.locator('#project-list option[value="zz-long"]').count()).toBe(0);

    // Typed, "zz-long" is summarised: its newest days, and a note that older ones are left out.
    await page.getByTestId("group").selectOption("day");
    await choose(page, "zz-long", () => drawn(page, "runs-chart", MAX_SUMMARY_PERIODS));
    const chart = await runsChart(page);
    expect(chart?.labels.at(-1)).toBe(
      new Date(FIRST_DAY + (MAX_SUMMARY_PERIODS + 1) * DAY_MS).toISOString().slice(0, 10),
    );
    expect(chart?.values?.at(-1)).toBe(MAX_SUMMARY_PERIODS + 1);
    expect(await page.getByTestId("summary-note").textContent()).toMatch(
      /newest 1,000 periods: older ones are left out/,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("shows why a summary failed and takes the stale chart down; .. is not fetched as another URL", async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(url);
    await drawn(page, "runs-chart");

    // Longer than a project's name may be: the server's 400, shown; no chart left standing.
    await choose(page, "x".repeat(201), () => page.getByTestId("runs-error").waitFor());
    expect(await page.getByTestId("runs-error").textContent()).toMatch(/at most 200 characters/);
    expect(await runsChart(page)).toBeUndefined();

    // A good name again: the error goes, the chart comes back.
    await choose(page, "p0001", () => drawn(page, "runs-chart"));
    expect(await page.getByTestId("runs-error").isHidden()).toBe(true);

    await choose(page, "..", () => page.getByTestId("runs-error").waitFor());
    expect(await page.getByTestId("runs-error").textContent()).toMatch(
      /"\.\." cannot be summarised from a browser/,
    );
    expect(await runsChart(page)).toBeUndefined();
    expect(requested).not.toContain("/v1/summary");
    await page.close();
  }, 120_000);

  it("shows a missing key's problem once, and clears it once a key is given", async () => {
    const page = await browser.newPage();
    await page.goto(keyedUrl);
    const zonesError = page.getByTestId("zones-error");
    await zonesError.waitFor({ state: "visible" });
    const runsError = page.getByTestId("runs-error");
    await runsError.waitFor({ state: "visible" });
    const message = 'this server needs "Authorization: Bearer <key>" on /v1 routes';
    expect(await zonesError.textContent()).toBe(message);
    expect(await runsError.textContent()).toBe(message);

    await page.locator("#api-key").fill(KEY);
    await page.locator("#api-key").dispatchEvent("change");
    await drawn(page, "zones-chart");
    await drawn(page, "runs-chart");
    await runsError.waitFor({ state: "hidden" });
    expect(await zonesError.isHidden()).toBe(true);
    expect(await page.getByTestId("runs-empty").isHidden()).toBe(true);
    await page.close();
  }, 120_000);
});
