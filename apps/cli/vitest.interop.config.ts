import { packageTestConfig } from "../../vitest.shared.ts";

// biome-ignore lint/style/noDefaultExport: vitest reads its config from the default export
export default packageTestConfig({
  include: ["test/interop/**/*.interop.test.ts"],
  testTimeout: 60_000,
  hookTimeout: 180_000,
});
