import { err, ok } from "@wattprint/result";
import { afterEach, describe, expect, it } from "vitest";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import { resolveGridIntensityLive } from "../intensity/live.ts";
import {
  type IntensityProvider,
  type LiveIntensity,
  type ProviderError,
  providerErrors,
} from "../intensity/provider.ts";
import { gramsPerKWh } from "../units/quantity.ts";
import { createEnergiDataServiceProvider } from "./energi-data-service.ts";
import { type FakeServer, sendJson, startFakeServer } from "./fake-server.test-support.ts";
import { createUkCarbonIntensityProvider } from "./uk-carbon-intensity.ts";

function scripted(
  answer: LiveIntensity | ProviderError,
  zones = ["ES"],
): IntensityProvider & {
  calls: string[];
} {
  const calls: string[] = [];
  return {
    id: "scripted",
    title: "Scripted provider",
    calls,
    supports: (zone) => zones.includes(zone),
    current: async (zone) => {
      calls.push(zone);
      return "kind" in answer ? err(answer) : ok(answer);
    },
  };
}

const LIVE: LiveIntensity = {
  zone: "ES",
  intensity: gramsPerKWh(99),
  at: "2026-11-28T22:00:00.000Z",
  providerId: "scripted",
  source: { id: "scripted-live", title: "scripted", url: "http://127.0.0.1/", year: 2026 },
  basis: "lifecycle CO2eq",
  estimated: false,
};

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("resolveGridIntensityLive", () => {
  it("without a provider equals the embedded result (no network)", async () => {
    expect(await resolveGridIntensityLive({ location: "Spain" })).toEqual(
      resolveGridIntensity({ location: "Spain" }),
    );
  });

  it("uses the live value when the provider answers, naming it and the timestamp", async () => {
    const provider = scripted(LIVE);
    const result = await resolveGridIntensityLive({ location: "Spain", provider });
    expect(result.ok && result.value).toMatchObject({
      zone: "ES",
      zoneName: "Spain",
      level: "live",
      intensity: { value: 99 },
      year: 2026,
    });
    expect(result.ok && result.value.provenance.method).toContain("2026-11-28T22:00:00.000Z");
    expect(result.ok && result.value.provenance.source.id).toBe("scripted-live");
    expect(provider.calls).toEqual(["ES"]);
  });

  it("falls back to the embedded value and says why when the provider fails", async () => {
    const provider = scripted(providerErrors.timeout("scripted", 100));
    const result = await resolveGridIntensityLive({ location: "ES", provider });
    const embedded = resolveGridIntensity({ location: "ES" });
    expect(result.ok && result.value.level).toBe("country");
    expect(result.ok && result.value.intensity).toEqual(embedded.ok && embedded.value.intensity);
    expect(result.ok && result.value.provenance.note).toBe(
      "live provider scripted failed: no answer within 100 ms; embedded annual value used",
    );
  });

  it("notes a zone the provider does not cover and does not call it", async () => {
    const provider = scripted(LIVE, ["GB"]);
    const result = await resolveGridIntensityLive({ location: "Spain", provider });
    expect(result.ok && result.value.provenance.note).toMatch(/does not cover ES/);
    expect(provider.calls).toEqual([]);
  });

  it("keeps the override first and the unknown-location error, without calling the provider", async () => {
    const provider = scripted(LIVE);
    const override = await resolveGridIntensityLive({
      location: "ES",
      overrideGPerKWh: 5,
      provider,
    });
    expect(override.ok && override.value.level).toBe("override");
    const unknown = await resolveGridIntensityLive({ location: "Atlantis", provider });
    expect(!unknown.ok && unknown.error.kind).toBe("unknown-location");
    expect(provider.calls).toEqual([]);
  });

  it("end to end: a real provider against a failing local server falls back with provenance", async () => {
    server = await startFakeServer((_q, r) => sendJson(r, 500, { error: "down" }));
    const provider = createUkCarbonIntensityProvider({ baseUrl: server.baseUrl, backoffMs: 1 });
    const result = await resolveGridIntensityLive({ location: "United Kingdom", provider });
    expect(result.ok && result.value.level).toBe("country");
    expect(result.ok && result.value.provenance.note).toMatch(
      /^live provider uk-carbon-intensity failed: HTTP 500 after 3 attempt\(s\)/,
    );
    expect(server.requests).toHaveLength(3);
  });

  it("end to end: a sub-national zone served live by Energi Data Service", async () => {
    server = await startFakeServer((_q, r) =>
      sendJson(r, 200, {
        records: [{ Minutes5UTC: "2026-11-28T22:55:00", PriceArea: "DK2", CO2Emission: 120 }],
      }),
    );
    const provider = createEnergiDataServiceProvider({ baseUrl: server.baseUrl });
    const result = await resolveGridIntensityLive({ location: "East Denmark", provider });
    expect(result.ok && result.value).toMatchObject({ zone: "DK-DK2", level: "live" });
    expect(result.ok && result.value.intensity.value).toBe(120);
  });
});
