import * as z from "@wattprint/core/zod";
import { type Failure, failure } from "@wattprint/result";

/** carbontracker's default: the Uptime Institute 2023 survey's industry average. */
export const CARBONTRACKER_PUE = 1.58;
export const CARBONTRACKER_PUE_CITATION =
  "Daniel Bizo, 2023, Uptime Institute Global Data Center Survey";
/** What introduces a component's devices on the components line. */
export const COMPONENT_MARK = "with device(s)";
/** The release whose format the writer copies, written on the version line. */
export const CARBONTRACKER_FORMAT_VERSION = "2.4.3";

// A device name goes into `... with device(s) a, b.`: a comma would split it in two on the
// way back, a line break would end the line, and `with device(s)` would start a component
// (`Acme X with device(s) Y` reads back as a component `x` with a device `Y`).
const deviceName = z.string().check(
  z.trim(),
  z.minLength(1, "a device name is empty"),
  z.refine(
    (name) => !/[,\r\n]/.test(name),
    "a device name may not contain a comma or a line break",
  ),
  z.refine(
    (name) => !name.includes(COMPONENT_MARK),
    `a device name may not contain "${COMPONENT_MARK}"`,
  ),
);

const componentName = z.pipe(
  z
    .string()
    .check(
      z.regex(
        /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
        "a component name is a letter then up to 31 of [A-Za-z0-9_-]",
      ),
    ),
  z.transform((name: string) => name.toLowerCase()),
);

/**
 * What a log file prefix may hold: it goes into a file name beside carbontracker's own, so no
 * path separator (it would write outside the log folder), NUL or line break, and not
 * `carbontracker` anywhere. Our parser splits a name at `_carbontracker`, and carbontracker's
 * `get_all_logs` takes any name matching `.*carbontracker_output.log` or `.*carbontracker.log`
 * (case-sensitive, the dot unescaped) for a log: with the prefix `carbontracker_output.log` it
 * took our standard log for an output log and failed to pair the folder. Forbidding the word,
 * not only the spellings known to break, leaves no name for its patterns to misread. The
 * tracker checks its `logFilePrefix` option with this too, so that the error names the option.
 */
export const logFilePrefixSchema = z.string().check(
  z.regex(/^[^/\\\0\r\n]*$/, "the prefix may not contain a path separator, NUL or a line break"),
  z.refine(
    (p) => !p.includes("carbontracker"),
    "the prefix may not contain `carbontracker`: carbontracker's parser would take the run's standard log for another kind of log",
  ),
);

export const logWriterOptionsSchema = z.object({
  /** The folder the two files go into; it must exist. */
  logDir: z.string().check(z.minLength(1)),
  /** carbontracker's `log_file_prefix`; the file name gets `{prefix}_` in front. */
  prefix: z._default(logFilePrefixSchema, ""),
  pid: z.optional(z.int().check(z.nonnegative())),
  /** carbontracker draws one from 1 to 999999. */
  loggerId: z.optional(z.int().check(z.gte(1), z.lte(999_999))),
  /** In carbontracker's order: GPU before CPU. At most 16. */
  components: z
    .array(
      z.object({
        name: componentName,
        devices: z.array(deviceName).check(z.minLength(1), z.maxLength(256)),
      }),
    )
    .check(
      z.maxLength(16),
      z.refine(
        (cs) => new Set(cs.map((c) => c.name)).size === cs.length,
        "each component is listed once",
      ),
    ),
  /** Decimals of energy, CO2 and equivalents (carbontracker's `decimal_precision`). */
  decimalPrecision: z._default(z.int().check(z.gte(0), z.lte(100)), 12),
  /** Write the car-km equivalent under each consumption record. */
  interpretable: z._default(z.boolean(), true),
  pue: z._default(z.number().check(z.gte(1), z.lte(5)), CARBONTRACKER_PUE),
  /** The source of `pue`, in the PUE line's parentheses. */
  pueCitation: z.optional(z.string().check(z.regex(/^[^\r\n]*$/))),
  /** Seconds between intensity fetches, as written on the intensities line. */
  intensityIntervalS: z._default(z.int().check(z.positive()), 900),
  /** `fdatasync` after each record: survives a power loss, not only a crash of the process. */
  fsync: z._default(z.boolean(), false),
  now: z.optional(z.custom<() => Date>((v) => typeof v === "function", "now must be a function")),
});

export type LogWriterOptions = z.input<typeof logWriterOptionsSchema>;
export type ResolvedLogWriterOptions = z.output<typeof logWriterOptionsSchema>;

export type LogWriterError =
  | (Failure<"invalid-options"> & { readonly field: string })
  | (Failure<"invalid-record"> & { readonly field: string })
  /** `now()` threw or gave a time a log line cannot hold: the record was not written. */
  | (Failure<"invalid-clock"> & { readonly field: "now"; readonly cause?: string })
  | (Failure<"exists" | "write-failed"> & { readonly path: string; readonly cause: string })
  | Failure<"closed">;

/** The first zod issue as a failure naming its field. */
export function issueFailure<K extends "invalid-options" | "invalid-record">(
  kind: K,
  what: string,
  error: z.core.$ZodError,
): Failure<K> & { readonly field: string } {
  const issue = error.issues[0];
  const field = issue ? issue.path.join(".") : "";
  return failure(
    kind,
    `${what}: ${field === "" ? "" : `${field}: `}${issue?.message ?? "invalid"}`,
    {
      field,
    },
  );
}
