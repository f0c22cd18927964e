/**
 * The shared memory the main thread and the read thread speak through (`read-thread.ts` writes
 * it, `read-worker-source.ts` reads it from `workerData`), and the NVML functions the thread
 * can call, by number.
 */

/** Requests one round carries; more wait for the next round (counted as `deferred`). */
export const MAX_ROUND_REQUESTS = 256;
/** Bytes of shared data per request: the longest read (`/proc/stat`'s first line) fits. */
export const SLOT_BYTES = 512;

/** The code an NVML call answers when the deadline passed before it returned, or its library hung earlier. */
export const NVML_CALL_TIMED_OUT = -2;

/**
 * How the worker passes a call's arguments: `handle` and `out` are the request's device handle
 * and its words of shared memory (the caller's `out`, copied in before and back after).
 */
export const ARGS = {
  /** `fn(handle, out)` */
  HANDLE_OUT: 0,
  /** `fn()`: `nvmlInit_v2`, `nvmlShutdown` */
  NONE: 1,
  /** `fn(out)` */
  OUT: 2,
  /** `fn(index, out)`: the index travels as the handle's low half */
  INDEX_OUT: 3,
  /** `fn(text, out)`: NUL-terminated text from the third word on, the output in the first two */
  TEXT_OUT: 4,
  /** `fn(handle, text, bytes)`: text written into all of `out` */
  HANDLE_TEXT: 5,
  /** `fn(handle, &out[0], &out[1])` */
  HANDLE_OUT_OUT: 6,
  /** `fn(handle, &out[0], records)`: a count in the first word, records from the third on */
  HANDLE_COUNT_RECORDS: 7,
} as const;

/**
 * NVML functions the thread can call, in the order of the worker's table, with their symbols
 * and how their arguments are passed. The first three are the sampling path's; the rest run
 * at detect, at close and when processes are listed. A symbol the library lacks is a call
 * that answers -1.
 */
const NVML_TABLE = {
  totalEnergy: ["nvmlDeviceGetTotalEnergyConsumption", ARGS.HANDLE_OUT],
  powerUsage: ["nvmlDeviceGetPowerUsage", ARGS.HANDLE_OUT],
  utilisation: ["nvmlDeviceGetUtilizationRates", ARGS.HANDLE_OUT],
  init: ["nvmlInit_v2", ARGS.NONE],
  shutdown: ["nvmlShutdown", ARGS.NONE],
  deviceCount: ["nvmlDeviceGetCount_v2", ARGS.OUT],
  handleByIndex: ["nvmlDeviceGetHandleByIndex_v2", ARGS.INDEX_OUT],
  handleByUuid: ["nvmlDeviceGetHandleByUUID", ARGS.TEXT_OUT],
  name: ["nvmlDeviceGetName", ARGS.HANDLE_TEXT],
  uuid: ["nvmlDeviceGetUUID", ARGS.HANDLE_TEXT],
  enforcedPowerLimit: ["nvmlDeviceGetEnforcedPowerLimit", ARGS.HANDLE_OUT],
  migMode: ["nvmlDeviceGetMigMode", ARGS.HANDLE_OUT_OUT],
  parentOfMig: ["nvmlDeviceGetDeviceHandleFromMigDeviceHandle", ARGS.HANDLE_OUT],
  computeProcessesV3: ["nvmlDeviceGetComputeRunningProcesses_v3", ARGS.HANDLE_COUNT_RECORDS],
  computeProcessesV2: ["nvmlDeviceGetComputeRunningProcesses_v2", ARGS.HANDLE_COUNT_RECORDS],
} as const satisfies Record<string, readonly [string, number]>;

export type NvmlFunction = keyof typeof NVML_TABLE;
export const NVML_FUNCTIONS = Object.fromEntries(
  Object.keys(NVML_TABLE).map((name, i) => [name, i]),
) as Readonly<Record<NvmlFunction, number>>;
/** The library's symbol of an NVML function, as messages name it. */
export function nvmlSymbol(fn: NvmlFunction): string {
  return NVML_TABLE[fn][0];
}
export const SLOT_WORDS = SLOT_BYTES / 4;
/**
 * Slots one call may span: a call with more words than one slot holds takes the rows after
 * its own too, so its words run on through their slots (a GPU's process list: 1,024 records
 * of 24 bytes take 49).
 */
export const MAX_CALL_SLOTS = 64;
/** The words of shared memory one call can carry in and out. */
export const MAX_CALL_WORDS = MAX_CALL_SLOTS * SLOT_WORDS;

/** The shared tables' layout, passed to the worker so that it is written once. */
export const LAYOUT = {
  // control: Int32Array
  GEN: 0,
  DONE: 1,
  COUNT: 2,
  STOP: 3,
  // meta: Int32Array, META words per request
  META: 8,
  OP: 0,
  FD: 1,
  LENGTH: 2,
  POSITION: 3,
  RESULT: 4,
  LIBRARY: 1,
  FUNCTION: 2,
  HANDLE_LO: 3,
  HANDLE_HI: 5,
  /** Words of `out` an NVML call carries (copied into its slot, and back). */
  WORDS: 6,
  OP_PREAD: 1,
  OP_NVML: 2,
  /** A row whose slot the call before it spans: nothing to run, nothing to answer. */
  OP_SPAN: 3,
  SLOT_BYTES,
  EIO: 5,
  ARGS,
  /** The worker's table: symbol and argument shape, by function number. */
  NVML: Object.values(NVML_TABLE),
} as const;
