import { type AppIo, processAppIo } from "@wattprint/node";

/** What the node app may touch: injected so tests run `serve` in-process as well as spawned. */
export type NodeAppIo = AppIo;

export const processIo: () => NodeAppIo = processAppIo;
