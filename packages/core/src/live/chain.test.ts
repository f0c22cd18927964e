import { describe, expect, it } from "vitest";
import { chainProviders } from "./chain.ts";
import { createEnergiDataServiceProvider } from "./energi-data-service.ts";
import { sendJson, startFakeServer } from "./fake-server.test-support.ts";
import { createUkCarbonIntensityProvider } from "./uk-carbon-intensity.ts";

describe("chainProviders", () => {
  it("asks each zone of the first provider that covers it, and covers nothing else", async () => {
    const server = await startFakeServer((request, response) => {
      if (request.url?.startsWith("/intensity")) {
        sendJson(response, 200, {
          data: [
            {
              from: "2026-03-01T12:00Z",
              to: "2026-03-01T12:30Z",
              intensity: { forecast: 120, actual: 118, index: "low" },
            },
          ],
        });
      } else sendJson(response, 404, {});
    });
    try {
      const chain = chainProviders([
        createUkCarbonIntensityProvider({ baseUrl: server.baseUrl, maxAttempts: 1 }),
        createEnergiDataServiceProvider({ baseUrl: server.baseUrl, maxAttempts: 1 }),
      ]);
      expect(chain.supports("GB")).toBe(true);
      expect(chain.supports("DK-DK1")).toBe(true);
      expect(chain.supports("FR")).toBe(false);
      const gb = await chain.current("GB");
      expect(gb.ok && gb.value).toMatchObject({ zone: "GB", intensity: { value: 118 } });
      const fr = await chain.current("FR");
      expect(!fr.ok && fr.error.kind).toBe("unsupported-zone");
      expect(server.requests.map((r) => r.url.split("?")[0])).toEqual(["/intensity"]);
    } finally {
      await server.close();
    }
  });

  it("with no providers covers no zone", () => {
    const chain = chainProviders([]);
    expect(chain.supports("GB")).toBe(false);
    expect(chain.id).toBe("none");
  });
});
