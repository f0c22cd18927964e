import { packageTestConfig } from "../../vitest.shared.ts";

const config = packageTestConfig({ exclude: ["**/node_modules/**"], hookTimeout: 180_000 });
// The shared "import" condition also reaches node's require() of externalised CommonJS
// packages; pg then gets pg-pool's ESM wrapper where it expects the class. Node adds "import"
// or "require" by itself, so the source condition alone is enough here.
const conditions = ["@wattprint/source", "node", "default"];
export default {
  ...config,
  resolve: { ...config.resolve, conditions },
  ssr: { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } },
};
