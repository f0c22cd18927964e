import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, sendJson, startFakeServer } from "./fake-server.test-support.ts";
import { createUkCarbonIntensityProvider } from "./uk-carbon-intensity.ts";

const period = (from: string, to: string, forecast: number, actual: number | null) => ({
  from,
  to,
  intensity: { forecast, actual, index: "moderate" },
});

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("UK Carbon Intensity provider", () => {
  it("reads the actual value of the current half hour", async () => {
    server = await startFakeServer((_q, r) =>
      sendJson(r, 200, { data: [period("2026-11-28T22:30Z", "2026-11-28T23:00Z", 190, 183)] }),
    );
    const provider = createUkCarbonIntensityProvider({ baseUrl: server.baseUrl });
    const result = await provider.current("GB");
    expect(result.ok && result.value).toMatchObject({
      zone: "GB",
      intensity: { value: 183, unit: "gCO2eq/kWh" },
      at: "2026-11-28T22:30:00.000Z",
      estimated: false,
    });
    expect(result.ok && result.value.source.licence).toBe("CC BY 4.0");
    expect(server.requests[0]?.url).toBe("/intensity");
  });

  it("falls back to the forecast when actual is not yet published, and marks it", async () => {
    server = await startFakeServer((_q, r) =>
      sendJson(r, 200, { data: [period("2026-11-28T22:30Z", "2026-11-28T23:00Z", 190, null)] }),
    );
    const result = await createUkCarbonIntensityProvider({ baseUrl: server.baseUrl }).current("GB");
    expect(result.ok && result.value).toMatchObject({ intensity: { value: 190 }, estimated: true });
  });

  it("asks /intensity/{from}/fw48h and keeps the requested hours", async () => {
    const data = [0, 1, 2, 3, 4, 5].map((i) => {
      const from = new Date(Date.UTC(2026, 10, 28, 22, 30 * i));
      const to = new Date(from.getTime() + 30 * 60_000);
      const fmt = (d: Date) => `${d.toISOString().slice(0, 16)}Z`;
      return period(fmt(from), fmt(to), 200 - i, null);
    });
    server = await startFakeServer((_q, r) => sendJson(r, 200, { data }));
    const provider = createUkCarbonIntensityProvider({
      baseUrl: server.baseUrl,
      now: () => new Date("2026-11-28T22:10:00Z"),
    });
    const result = await provider.forecast?.("GB", 1);
    expect(server.requests[0]?.url).toBe("/intensity/2026-11-28T22:10Z/fw48h");
    // 22:00 holds now; 23:00 starts before the window ends at 23:10.
    expect(result?.ok && result.value.map((p) => p.intensity.value)).toEqual([200, 199, 198]);
  });

  it("covers Great Britain only", async () => {
    const provider = createUkCarbonIntensityProvider();
    expect(provider.supports("GB")).toBe(true);
    expect(provider.supports("GB-NIR")).toBe(false);
    const result = await provider.current("FR");
    expect(!result.ok && result.error.kind).toBe("unsupported-zone");
  });

  it("reports an empty data array as no-data", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 200, { data: [] }));
    const result = await createUkCarbonIntensityProvider({ baseUrl: server.baseUrl }).current("GB");
    expect(!result.ok && result.error.kind).toBe("no-data");
  });

  it("refuses a timestamp that is not an ISO date and time, naming the field", async () => {
    // Date.parse alone read "1" as 2001-01-01, which then dated the value and its source.
    for (const from of ["1", "bogus 2", "2026-13-28T22:30Z", "2026-11-28T22:30"]) {
      server = await startFakeServer((_q, r) =>
        sendJson(r, 200, { data: [period(from, "2026-11-28T23:00Z", 190, 183)] }),
      );
      const result = await createUkCarbonIntensityProvider({ baseUrl: server.baseUrl }).current(
        "GB",
      );
      expect(!result.ok && result.error.kind).toBe("bad-response");
      expect(!result.ok && result.error.message).toMatch(/data\.0\.from/);
      await server.close();
      server = undefined;
    }
  });
});
