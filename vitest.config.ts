import { defineConfig } from "vitest/config";

// Runs every package's suite in one process pool: `pnpm vitest run` at the root.
export default defineConfig({
  test: { projects: ["packages/*", "apps/*"] },
});
