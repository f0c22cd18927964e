import { packageTestConfig } from "../../vitest.shared.ts";

// Run through `pnpm consumer-test` (after a build): packs every publishable package and
// installs the tarballs into a fresh project outside the workspace.
// biome-ignore lint/style/noDefaultExport: vitest reads its config from the default export
export default packageTestConfig({
  include: ["test/consumer/**/*.consumer.test.ts"],
  testTimeout: 600_000,
  maxConcurrency: 2,
  hookTimeout: 600_000,
});
