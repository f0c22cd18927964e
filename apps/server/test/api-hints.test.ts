import { describe, expect, it } from "vitest";
import { appForFile } from "./support/app.test-support.ts";

// The core's lookup messages advise the CLI's commands; an API client is pointed at this
// API's routes instead, or at nothing where it has none.
const rig = appForFile();

const estimate = (body: object) =>
  rig.app.inject({ method: "POST", url: "/v1/estimate", payload: body });

describe("advice in problem details", () => {
  it.each([
    [
      "unknown hardware",
      { hardware: [{ name: "nosuch" }], duration: "1h" },
      "GET /v1/hardware?query=<name>",
    ],
    [
      "an unknown location",
      { hardware: [{ watts: 1 }], duration: "1h", location: "Narnia" },
      "GET /v1/zones?query=<name>",
    ],
    [
      "a whole system as hardware",
      { hardware: [{ name: "DGX H100" }], duration: "1h" },
      'the "machine" member takes a preset',
    ],
    [
      "an unknown instance",
      { instance: "p9.nosuch", region: "us-east-1", cloud: "aws", duration: "1h" },
      "instance type",
    ],
    ["an unknown region", { instance: "p5.48xlarge", region: "mars-1", duration: "1h" }, "region"],
  ])("for %s names this API, never the CLI", async (_what, body, advice) => {
    const response = await estimate(body);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    const { detail } = response.json() as { detail: string };
    expect(detail).toContain(advice);
    expect(detail).not.toMatch(/wattprint|\(\)|;\s*$/);
  });

  it("for an unknown zone's intensity", async () => {
    const response = await rig.app.inject({ method: "GET", url: "/v1/intensity/Narnia" });
    expect(response.statusCode).toBe(404);
    const { detail } = response.json() as { detail: string };
    expect(detail).toContain("GET /v1/zones?query=<name> lists zones");
    expect(detail).not.toContain("wattprint");
  });
});
