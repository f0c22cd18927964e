import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { z } from "zod";
import type { CloudProvider, CloudRegion } from "../cloud/cloud.ts";
import { cloudPue, instanceComponents } from "../cloud/components.ts";
import { findCloudInstance, findCloudProvider, findCloudRegion } from "../cloud/lookup.ts";
import { readHardwareCount } from "../hardware/counted-name.ts";
import { findHardware } from "../hardware/lookup.ts";
import { memoryPower } from "../hardware/memory.ts";
import { hardwarePower, IDLE_FRACTION } from "../hardware/power.ts";
import type { GridIntensity } from "../intensity/grid-intensity.ts";
import { resolveGridIntensityLive } from "../intensity/live.ts";
import type { IntensityProvider } from "../intensity/provider.ts";
import { COMPONENT_KIND } from "../machines/bill.ts";
import { machineComponents } from "../machines/components.ts";
import { findMachine } from "../machines/lookup.ts";
import { userSupplied } from "../provenance.ts";
import { type PueValue, resolvePue } from "../pue.ts";
import { quoteName } from "../text/quote-name.ts";
import { issuePath } from "../text/zod-issues.ts";
import { parseDuration } from "../units/parse.ts";
import { watts } from "../units/quantity.ts";
import { type EstimatedQuantity, estimate, type PowerComponent, type Work } from "./estimate.ts";
import { type EstimateReport, toEstimateReport } from "./report.ts";

/**
 * zod's `int()` takes safe integers only: 1e308 is whole but refused, and the message says
 * where the limit is rather than leave "whole number" looking wrong.
 */
const whole = (what: string) => `${what} must be a whole number no larger than 2^53 - 1`;

/**
 * Text a request field may hold: every table name is under 64 characters, and a service
 * answering a megabyte name would repeat it in its answer (twice in a 422).
 */
export const MAX_REQUEST_TEXT_CHARS = 200;
/** Hardware items in one request: a machine has a handful of kinds of device. */
export const MAX_HARDWARE_ITEMS = 64;

const text = (what: string) =>
  z
    .string()
    .max(MAX_REQUEST_TEXT_CHARS, `${what} must be at most ${MAX_REQUEST_TEXT_CHARS} characters`);

/**
 * What a user asks for, in the words of a flag or a JSON body: hardware by name or watts,
 * work as a duration or latency x count, a location. The CLI and the HTTP API share it.
 */
const hardwareItemSchema = z
  .object({
    name: text("hardware name").trim().min(1, "hardware name must not be empty").optional(),
    watts: z.number().nonnegative("watts must not be negative").optional(),
    count: z.number().int(whole("count")).min(1, "count must be at least 1").default(1),
    utilisation: z
      .number()
      .min(0, "utilisation must be between 0 and 1")
      .max(1, "utilisation must be between 0 and 1")
      .optional(),
  })
  .strict()
  .refine((item) => (item.name === undefined) !== (item.watts === undefined), {
    message: "give either a hardware name or watts, not both and not neither",
  });

const named = (what: string) => text(what).trim().min(1, `${what} must not be empty`).optional();

export const footprintRequestSchema = z
  .object({
    hardware: z
      .array(hardwareItemSchema)
      .max(MAX_HARDWARE_ITEMS, `at most ${MAX_HARDWARE_ITEMS} hardware items`)
      .default([]),
    /** A machine preset (`dgx-h100`): its GPUs, CPUs, memory and the rest of the system. */
    machine: named("machine"),
    /** `aws`, `gcp` or `azure`; optional when the instance name says which. */
    cloud: named("cloud"),
    /** A cloud instance type (`p5.48xlarge`): accelerators, vCPU share, memory, provider PUE. */
    instance: named("instance"),
    /** The provider's region (`us-east-1`): the grid zone it sits in. */
    region: named("region"),
    /** How many machines or instances (default 1). */
    machines: z.number().int(whole("machines")).min(1, "machines must be at least 1").optional(),
    memoryGB: z.number().positive("memoryGB must be positive").optional(),
    duration: text("duration").optional(),
    latency: text("latency").optional(),
    count: z.number().int(whole("count")).nonnegative("count must not be negative").optional(),
    location: text("location").optional(),
    intensityGPerKWh: z.number().nonnegative("intensity must not be negative").optional(),
    /** Data year of the grid intensity (Electricity Maps vintage); default the latest. */
    year: z.number().int(whole("year")).optional(),
    pue: z.union([z.number(), text("pue")]).optional(),
  })
  .strict()
  .refine((request) => (request.duration === undefined) !== (request.latency === undefined), {
    message: "give either a duration or a latency (with a count), not both and not neither",
    path: ["duration"],
  })
  .refine((request) => request.count === undefined || request.latency !== undefined, {
    message: "count goes with latency (inferences); with a duration, leave it out",
    path: ["count"],
  })
  .refine((r) => r.hardware.length > 0 || r.machine !== undefined || r.instance !== undefined, {
    message: "name the hardware, a machine or a cloud instance",
    path: ["hardware"],
  })
  .refine((r) => r.machine === undefined || r.instance === undefined, {
    message: "give a machine or a cloud instance, not both",
    path: ["instance"],
  })
  .refine((r) => r.region === undefined || r.location === undefined, {
    message: "give a location or a cloud region, not both: the region decides the grid zone",
    path: ["region"],
  })
  .refine((r) => r.region === undefined || r.instance !== undefined || r.cloud !== undefined, {
    message: "a region needs its cloud (or an instance that names it)",
    path: ["cloud"],
  })
  .refine((r) => r.machines === undefined || r.machine !== undefined || r.instance !== undefined, {
    message: "machines counts a machine preset or cloud instances; name one",
    path: ["machines"],
  })
  // A preset or an instance is a whole bill of parts, its memory among them: memoryGB added a
  // second memory row beside it (a DGX H100 with memoryGB 5 counted 2,048 GB and 5 GB).
  .refine(
    (r) => r.memoryGB === undefined || (r.machine === undefined && r.instance === undefined),
    {
      message:
        "memoryGB is the host memory of the hardware items; a machine preset or cloud instance already counts its own, so it would be counted twice: leave it out",
      path: ["memoryGB"],
    },
  );

export type FootprintRequest = z.input<typeof footprintRequestSchema>;

/**
 * What was wrong with a request. `field` is the path of the member to blame (`duration`,
 * `hardware.0.watts`, `location`); a rule between members names the one to give or remove
 * (`duration` for "a duration or a latency", `region` for "a location or a region").
 */
export type FootprintError =
  | (Failure<"invalid-request"> & { readonly field?: string })
  /** Every number is valid but together they overflow a double (1e308 W for an hour). */
  | (Failure<"out-of-range"> & { readonly quantity: EstimatedQuantity })
  /** A hardware name matched no row, or several rows of different power. */
  | (Failure<"unknown-hardware" | "ambiguous-hardware"> & {
      readonly field: string;
      readonly query: string;
      /** Up to five names to offer: the nearest ones, or the tied rows. */
      readonly suggestions: readonly string[];
    })
  | (Failure<"unknown-location" | "ambiguous-location"> & {
      readonly field: "location";
      readonly query: string;
      readonly suggestions: readonly string[];
    })
  /** A machine preset, cloud, instance type or region that the tables do not hold. */
  | (Failure<"unknown-machine" | "unknown-cloud" | "unknown-instance" | "unknown-region"> & {
      readonly field: "machine" | "cloud" | "instance" | "region";
      readonly query: string;
      readonly suggestions: readonly string[];
    });

export interface FootprintOptions {
  readonly provider?: IntensityProvider;
  readonly signal?: AbortSignal;
}

/** The request member behind each intensity error. */
const INTENSITY_FIELD = {
  "empty-query": "location",
  "invalid-override": "intensityGPerKWh",
  "unknown-year": "year",
} as const;

/** A refused request: with a member to blame, the message starts with its path. */
function invalid(message: string, field?: string): Result<never, FootprintError> {
  return field === undefined
    ? err(failure("invalid-request", message))
    : err(failure("invalid-request", `${field}: ${message}`, { field }));
}

function toWork(request: z.output<typeof footprintRequestSchema>): Result<Work, FootprintError> {
  if (request.duration !== undefined) {
    const duration = parseDuration(request.duration);
    return duration.ok
      ? ok({ kind: "duration", duration: duration.value })
      : invalid(duration.error.message, "duration");
  }
  const latency = parseDuration(request.latency ?? "");
  if (!latency.ok) return invalid(latency.error.message, "latency");
  return ok({ kind: "inferences", latency: latency.value, count: request.count ?? 1 });
}

function toComponents(request: Request): Result<PowerComponent[], FootprintError> {
  const components: PowerComponent[] = [];
  for (const [index, item] of request.hardware.entries()) {
    if (item.watts !== undefined) {
      // With a utilisation, the given watts are the device's rated power, on the same line
      // as a named device's: 10 % of it at idle, all of it at full load (a rated 100 W at
      // half load is 55 W, as a named 100 W part is, not 50 W).
      const utilisation = item.utilisation;
      const idle = IDLE_FRACTION * item.watts;
      components.push({
        name: `${item.watts} W device`,
        kind: "other",
        power: watts(
          utilisation === undefined ? item.watts : idle + (item.watts - idle) * utilisation,
        ),
        count: item.count,
        provenance: {
          ...userSupplied("power in watts"),
          method:
            utilisation === undefined
              ? "power given by the user"
              : `linear in utilisation ${utilisation} from ${IDLE_FRACTION * 100} % of the given ${item.watts} W at idle to all of it`,
        },
      });
      continue;
    }
    const field = `hardware.${index}.name`;
    // A count written in the name ("4x A100", "A100 (x2)") is read, not dropped by the fuzzy
    // lookup, which counted one: a request for 4 A100s was estimated as 1.
    const counted = readHardwareCount(item.name ?? "");
    if (!counted.ok) return invalid(`hardware name ${counted.error.message}`, field);
    if (counted.value.count > 1 && item.count > 1) {
      return invalid(
        `hardware name ${quoteName(counted.value.raw)} carries a count (${counted.value.count}) and count is ${item.count}: give one`,
        field,
      );
    }
    const count = Math.max(counted.value.count, item.count);
    const match = findHardware(counted.value.name);
    if (!match.ok) {
      const { kind, message, query, suggestions } = match.error;
      // A name with nothing left once marks such as (R) are dropped is unknown hardware too.
      const as = kind === "empty-query" ? "unknown-hardware" : kind;
      return err(failure(as, message, { field, query, suggestions }));
    }
    const power = hardwarePower(match.value.profile, item.utilisation);
    if (!power.ok) return invalid(power.error.message, `hardware.${index}.utilisation`);
    const { provenance, ...quantity } = power.value;
    const note = [provenance.note, match.value.note]
      .filter((text) => text !== undefined)
      .join("; ");
    components.push({
      name: match.value.profile.name,
      kind: COMPONENT_KIND[match.value.profile.kind],
      power: quantity,
      count,
      provenance: note === "" ? provenance : { ...provenance, note },
    });
  }
  if (request.memoryGB !== undefined) {
    const memory = memoryPower(request.memoryGB);
    if (!memory.ok) return invalid(memory.error.message, "memoryGB");
    const { provenance, ...quantity } = memory.value;
    components.push({
      name: `${request.memoryGB} GB memory`,
      kind: "memory",
      power: quantity,
      count: 1,
      provenance,
    });
  }
  return ok(components);
}

/** A request as `footprintRequestSchema` hands it back: defaults filled, names trimmed. */
export type ParsedFootprintRequest = z.output<typeof footprintRequestSchema>;
type Request = ParsedFootprintRequest;

/** What a machine preset or a cloud instance adds: rows, and for a cloud its PUE and region. */
interface Bill {
  readonly components: readonly PowerComponent[];
  readonly pue?: PueValue;
  readonly region?: CloudRegion;
}

function unknownName(
  field: "machine" | "cloud" | "instance" | "region",
  error: { kind: string; message: string; query: string; suggestions: readonly string[] },
): Result<never, FootprintError> {
  const kind = error.kind === "empty-query" ? `unknown-${field}` : error.kind;
  const { message, query, suggestions } = error;
  return err(failure(kind as `unknown-${typeof field}`, message, { field, query, suggestions }));
}

/** The rows of the named machine preset or cloud instance, with the cloud's PUE and region. */
function toBill(request: Request): Result<Bill, FootprintError> {
  const count = request.machines ?? 1;
  if (request.machine !== undefined) {
    const preset = findMachine(request.machine);
    if (!preset.ok) return unknownName("machine", preset.error);
    return ok({ components: machineComponents(preset.value, count) });
  }
  let provider: CloudProvider | undefined;
  if (request.cloud !== undefined) {
    const found = findCloudProvider(request.cloud);
    if (!found.ok) return unknownName("cloud", found.error);
    provider = found.value;
  }
  let components: readonly PowerComponent[] = [];
  if (request.instance !== undefined) {
    const instance = findCloudInstance(request.instance, provider);
    if (!instance.ok) return unknownName("instance", instance.error);
    provider = instance.value.provider;
    components = instanceComponents(instance.value, count);
  }
  if (provider === undefined) return ok({ components });
  const pue = cloudPue(provider);
  if (request.region === undefined) return ok({ components, pue });
  const region = findCloudRegion(provider, request.region);
  if (!region.ok) return unknownName("region", region.error);
  return ok({ components, pue, region: region.value });
}

/** The location the intensity is resolved for: the request's, or its cloud region's zone. */
function locationOf(request: Request, region: CloudRegion | undefined): string | undefined {
  return region?.zone ?? request.location;
}

/** The intensity of a region's zone, saying which region it stands for and why that zone. */
function inRegion(value: GridIntensity, region: CloudRegion): GridIntensity {
  const why = region.note === undefined ? "" : ` (${region.note})`;
  const said = `${region.provider} ${region.id}, ${region.location}, is in zone ${region.zone}${why}`;
  const note = [said, value.provenance.note].filter((n) => n !== undefined).join("; ");
  return { ...value, provenance: { ...value.provenance, note } };
}

/** Validates a request, resolves its names against the embedded tables, and estimates it. */
export async function estimateFootprint(
  input: unknown,
  options: FootprintOptions = {},
): Promise<Result<EstimateReport, FootprintError>> {
  const parsed = footprintRequestSchema.safeParse(input);
  if (!parsed.success) {
    // The first issue, named by its path: one line a person can act on, never a ZodError.
    const issue = parsed.error.issues[0];
    if (issue === undefined) return invalid("invalid request");
    return issue.path.length === 0
      ? invalid(issue.message)
      : invalid(issue.message, issuePath(issue));
  }
  return estimateParsedFootprint(parsed.data, options);
}

/**
 * `estimateFootprint` for a request already parsed by `footprintRequestSchema` (an HTTP
 * framework's body validation): the same answer without validating the body twice.
 */
export async function estimateParsedFootprint(
  request: ParsedFootprintRequest,
  options: FootprintOptions = {},
): Promise<Result<EstimateReport, FootprintError>> {
  const work = toWork(request);
  if (!work.ok) return work;
  const components = toComponents(request);
  if (!components.ok) return components;
  const bill = toBill(request);
  if (!bill.ok) return bill;
  // A PUE the request gives wins over the cloud provider's published one.
  const pue =
    request.pue === undefined && bill.value.pue !== undefined
      ? ok(bill.value.pue)
      : resolvePue(request.pue);
  if (!pue.ok) return invalid(pue.error.message, "pue");
  const { region } = bill.value;
  const location = locationOf(request, region);
  const resolved = await resolveGridIntensityLive({
    ...(location !== undefined ? { location } : {}),
    ...(request.intensityGPerKWh !== undefined
      ? { overrideGPerKWh: request.intensityGPerKWh }
      : {}),
    ...(request.year !== undefined ? { year: request.year } : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const intensity =
    resolved.ok && region !== undefined ? ok(inRegion(resolved.value, region)) : resolved;
  if (!intensity.ok) {
    const error = intensity.error;
    if (error.kind === "unknown-location" || error.kind === "ambiguous-location") {
      const { kind, message, query, suggestions } = error;
      return err(failure(kind, message, { field: "location", query, suggestions }));
    }
    return invalid(error.message, INTENSITY_FIELD[error.kind]);
  }
  const result = estimate({
    components: [...bill.value.components, ...components.value],
    work: work.value,
    intensity: intensity.value,
    pue: pue.value,
  });
  if (!result.ok) {
    const error = result.error;
    return error.kind === "result-out-of-range"
      ? err(failure("out-of-range", error.message, { quantity: error.quantity }))
      : invalid(error.message);
  }
  return ok(toEstimateReport(result.value));
}
