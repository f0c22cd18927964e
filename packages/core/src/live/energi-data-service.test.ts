import { afterEach, describe, expect, it } from "vitest";
import { createEnergiDataServiceProvider } from "./energi-data-service.ts";
import { type FakeServer, sendJson, startFakeServer } from "./fake-server.test-support.ts";

const record = (minutes5Utc: string, co2: number | null) => ({
  Minutes5UTC: minutes5Utc,
  Minutes5DK: minutes5Utc,
  PriceArea: "DK1",
  CO2Emission: co2,
});

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const query = (url: string | undefined) => new URL(url ?? "", "http://x").searchParams;

describe("Energi Data Service provider", () => {
  it("reads the newest CO2Emis row for the price area", async () => {
    server = await startFakeServer((_q, r) =>
      sendJson(r, 200, {
        total: 1_000_000,
        filters: '{"PriceArea":["DK1"]}',
        limit: 1,
        dataset: "CO2Emis",
        records: [record("2026-11-28T22:55:00", 87)],
      }),
    );
    const provider = createEnergiDataServiceProvider({ baseUrl: server.baseUrl });
    const result = await provider.current("DK-DK1");
    expect(result.ok && result.value).toMatchObject({
      zone: "DK-DK1",
      intensity: { value: 87, unit: "gCO2eq/kWh" },
      at: "2026-11-28T22:55:00.000Z",
      basis: expect.stringMatching(/CO2 only/),
    });
    const url = server.requests[0]?.url ?? "";
    expect(url.startsWith("/dataset/CO2Emis?")).toBe(true);
    expect(JSON.parse(query(url).get("filter") ?? "")).toEqual({ PriceArea: ["DK1"] });
    expect(query(url).get("sort")).toBe("Minutes5UTC DESC");
  });

  it("reads CO2EmisProg forecasts over the requested window", async () => {
    const records = [0, 1, 2, 3].map((i) =>
      record(`2026-11-28T22:${String(5 * i).padStart(2, "0")}:00`, 90 - i),
    );
    server = await startFakeServer((_q, r) =>
      sendJson(r, 200, { dataset: "CO2EmisProg", records }),
    );
    const provider = createEnergiDataServiceProvider({
      baseUrl: server.baseUrl,
      now: () => new Date("2026-11-28T22:07:00Z"),
    });
    const result = await provider.forecast?.("DK-DK2", 1);
    expect(result?.ok && result.value.map((p) => p.intensity.value)).toEqual([89, 88, 87]);
    const params = query(server.requests[0]?.url);
    expect(server.requests[0]?.url.startsWith("/dataset/CO2EmisProg?")).toBe(true);
    expect(params.get("start")).toBe("2026-11-28T22:02");
    expect(params.get("end")).toBe("2026-11-28T23:07");
    expect(JSON.parse(params.get("filter") ?? "")).toEqual({ PriceArea: ["DK2"] });
  });

  it("supports DK1 and DK2 only, and reports empty records as no-data", async () => {
    const provider = createEnergiDataServiceProvider();
    expect(provider.supports("DK-DK1") && provider.supports("DK-DK2")).toBe(true);
    expect(provider.supports("DK")).toBe(false);
    server = await startFakeServer((_q, r) => sendJson(r, 200, { records: [] }));
    const empty = await createEnergiDataServiceProvider({ baseUrl: server.baseUrl }).current(
      "DK-DK2",
    );
    expect(!empty.ok && empty.error.kind).toBe("no-data");
  });

  it("refuses a timestamp that is not an ISO date and time, naming the field", async () => {
    for (const minutes of ["5", "2026-11-28 22:55", "2026-11-28T22:55:00+0100"]) {
      server = await startFakeServer((_q, r) =>
        sendJson(r, 200, { records: [record(minutes, 87)] }),
      );
      const result = await createEnergiDataServiceProvider({ baseUrl: server.baseUrl }).current(
        "DK-DK1",
      );
      expect(!result.ok && result.error.kind).toBe("bad-response");
      expect(!result.ok && result.error.message).toMatch(/records\.0\.Minutes5UTC/);
      await server.close();
      server = undefined;
    }
  });
});
