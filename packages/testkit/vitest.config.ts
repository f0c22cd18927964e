import { packageTestConfig } from "../../vitest.shared.ts";

// Interop tests need a private network namespace; vitest.interop.config.ts runs them there.
export default packageTestConfig({
  exclude: ["**/node_modules/**", "test/interop/**", "test/consumer/**"],
});
