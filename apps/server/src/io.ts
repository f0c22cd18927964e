import { type AppIo, processAppIo } from "@wattprint/node";

/** What the server app may touch: injected so tests run `serve` in-process as well as spawned. */
export interface ServerIo extends AppIo {
  /** Called once the server listens, with the address it got (tests pass port 0). */
  readonly onListening?: (url: string) => void;
}

export const processIo: () => ServerIo = processAppIo;
