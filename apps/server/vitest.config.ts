import { packageTestConfig } from "../../vitest.shared.ts";

export default packageTestConfig({ exclude: ["**/node_modules/**"] });
