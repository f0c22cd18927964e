import { defineConfig, type ViteUserConfig } from "vitest/config";

/**
 * One test configuration for every workspace package: tests import sibling
 * packages through the `@wattprint/source` export condition, so they run
 * against `src/` without a build (the trpc habit).
 */
export function packageTestConfig(overrides: ViteUserConfig["test"] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions: ["@wattprint/source", "import", "default"] },
    ssr: { resolve: { conditions: ["@wattprint/source", "import", "default"] } },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      benchmark: { include: ["bench/**/*.bench.ts"] },
      testTimeout: 20_000,
      ...overrides,
    },
  });
}
