import { describe, expect, it } from "vitest";
import { memoryStore, testApp } from "./support/app.test-support.ts";

describe("starting the app", () => {
  it("emits no process warning (a deprecation printed at every start of the server)", async () => {
    // Fastify warns through process.emitWarning, once per process and code: this file builds
    // the first app of its own module graph, so a warning would be emitted here.
    const warnings: string[] = [];
    const listener = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on("warning", listener);
    const store = await memoryStore();
    try {
      const { app } = await testApp(store);
      const long = await app.inject({ method: "GET", url: `/v1/intensity/${"z".repeat(300)}` });
      // A parameter over Fastify's default 100 characters still reaches the route's schema.
      expect(long.json()).toMatchObject({ status: expect.any(Number) });
      expect(long.json().type).not.toBe("/problems/internal");
      await app.close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", listener);
      await store.close();
    }
  });
});
