import { packageTestConfig } from "../../vitest.shared.ts";

// Run only through `wattprint-netns -- vitest run -c vitest.interop.config.ts`: every DDS
// process these tests start must stay inside the private network namespace.
// biome-ignore lint/style/noDefaultExport: vitest reads its config from the default export
export default packageTestConfig({
  include: ["test/interop/**/*.interop.test.ts"],
  testTimeout: 60_000,
  hookTimeout: 180_000,
});
