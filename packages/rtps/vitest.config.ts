import { packageTestConfig } from "../../vitest.shared.ts";

// Interop tests open real UDP sockets; vitest.interop.config.ts runs them inside a private namespace.
export default packageTestConfig({ exclude: ["**/node_modules/**", "test/interop/**"] });
