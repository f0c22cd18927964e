import { packageTestConfig } from "../../vitest.shared.ts";

// One file at a time: the runner's tests keep a core busy (a slow Loop, an endless pass, a
// model expanding to gigabytes), and beside them the measurer's energy-per-window checks saw
// their samples land late.
export default packageTestConfig({ fileParallelism: false });
