import { packageTestConfig } from "../../vitest.shared.ts";

// The comparison benchmark runs real peers: only through `wattprint-netns` (see package.json "bench").
// biome-ignore lint/style/noDefaultExport: vitest reads its config from the default export
export default packageTestConfig({
  include: ["bench/**/*.bench.ts"],
  testTimeout: 300_000,
  hookTimeout: 180_000,
});
