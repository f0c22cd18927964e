import { afterEach, describe, expect, it } from "vitest";
import { createElectricityMapsProvider } from "./electricity-maps.ts";
import { type FakeServer, sendJson, startFakeServer } from "./fake-server.test-support.ts";

// Shaped like GET /v3/carbon-intensity/latest and /forecast answers.
const LATEST = {
  zone: "DE",
  carbonIntensity: 302,
  datetime: "2026-11-28T22:00:00.000Z",
  updatedAt: "2026-11-28T22:47:11.040Z",
  createdAt: "2026-11-25T22:49:36.574Z",
  emissionFactorType: "lifecycle",
  isEstimated: true,
  estimationMethod: "TIME_SLICER_AVERAGE",
  temporalGranularity: "hourly",
};
const FORECAST = {
  zone: "DE",
  forecast: [
    { carbonIntensity: 300, datetime: "2026-11-28T22:00:00.000Z" },
    { carbonIntensity: 290, datetime: "2026-11-28T23:00:00.000Z" },
    { carbonIntensity: 280, datetime: "2026-11-29T00:00:00.000Z" },
  ],
  updatedAt: "2026-11-28T22:47:11.040Z",
};

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("Electricity Maps provider", () => {
  it("reads the latest value with the auth-token header", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 200, LATEST));
    const provider = createElectricityMapsProvider({ apiKey: "k3y", baseUrl: server.baseUrl });
    const result = await provider.current("DE");
    expect(result.ok && result.value).toMatchObject({
      zone: "DE",
      intensity: { value: 302, unit: "gCO2eq/kWh" },
      at: "2026-11-28T22:00:00.000Z",
      providerId: "electricity-maps",
      estimated: true,
      basis: "lifecycle CO2eq",
    });
    expect(server.requests[0]?.url).toBe("/v3/carbon-intensity/latest?zone=DE");
    expect(server.requests[0]?.headers["auth-token"]).toBe("k3y");
  });

  it("supports the zones it knows, including balancing areas", () => {
    const provider = createElectricityMapsProvider({ apiKey: "k" });
    expect(provider.supports("US-CAL-CISO")).toBe(true);
    expect(provider.supports("DE")).toBe(true);
    expect(provider.supports("EUROPE")).toBe(false);
  });

  it("returns forecast points inside the window", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 200, FORECAST));
    const provider = createElectricityMapsProvider({
      apiKey: "k",
      baseUrl: server.baseUrl,
      now: () => new Date("2026-11-28T22:30:00Z"),
    });
    const result = await provider.forecast?.("DE", 1);
    expect(result?.ok && result.value.map((p) => p.intensity.value)).toEqual([300, 290]);
    expect(server.requests[0]?.url).toBe("/v3/carbon-intensity/forecast?zone=DE");
  });

  it("turns a null intensity into no-data and a renamed field into bad-response", async () => {
    server = await startFakeServer((_q, r, n) =>
      n === 1
        ? sendJson(r, 200, { ...LATEST, carbonIntensity: null })
        : sendJson(r, 200, { ...LATEST, carbonIntensity: undefined, intensity: 302 }),
    );
    const provider = createElectricityMapsProvider({ apiKey: "k", baseUrl: server.baseUrl });
    const empty = await provider.current("DE");
    expect(!empty.ok && empty.error.kind).toBe("no-data");
    const renamed = await provider.current("DE");
    expect(!renamed.ok && renamed.error.kind).toBe("bad-response");
  });
});
