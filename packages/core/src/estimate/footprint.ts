import { err, ok, type Result } from "@wattprint/result";
import { z } from "zod";
import { findHardware } from "../hardware/lookup.ts";
import { memoryPower } from "../hardware/memory.ts";
import { hardwarePower } from "../hardware/power.ts";
import type { HardwareProfile } from "../hardware/profile.ts";
import { describeIntensityError } from "../intensity/describe-error.ts";
import { resolveGridIntensityLive } from "../intensity/live.ts";
import type { IntensityProvider } from "../intensity/provider.ts";
import { userSupplied } from "../provenance.ts";
import { resolvePue } from "../pue.ts";
import { parseDuration } from "../units/parse.ts";
import { watts } from "../units/quantity.ts";
import { estimate, type PowerComponent, type Work } from "./estimate.ts";
import { type EstimateReport, toEstimateReport } from "./report.ts";

/**
 * What a user asks for, in the words of a flag or a JSON body: hardware by name or watts,
 * work as a duration or latency x count, a location. The CLI and the HTTP API share it.
 */
const hardwareItemSchema = z
  .object({
    name: z.string().trim().min(1, "hardware name must not be empty").optional(),
    watts: z.number().nonnegative("watts must not be negative").optional(),
    count: z
      .number()
      .int("count must be a whole number")
      .min(1, "count must be at least 1")
      .default(1),
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

export const footprintRequestSchema = z
  .object({
    hardware: z.array(hardwareItemSchema).min(1, "at least one hardware item is needed"),
    memoryGB: z.number().positive("memoryGB must be positive").optional(),
    duration: z.string().optional(),
    latency: z.string().optional(),
    count: z
      .number()
      .int("count must be a whole number")
      .nonnegative("count must not be negative")
      .optional(),
    location: z.string().optional(),
    intensityGPerKWh: z.number().nonnegative("intensity must not be negative").optional(),
    pue: z.union([z.number(), z.string()]).optional(),
  })
  .strict()
  .refine((request) => (request.duration === undefined) !== (request.latency === undefined), {
    message: "give either a duration or a latency (with a count), not both and not neither",
  })
  .refine((request) => request.count === undefined || request.latency !== undefined, {
    message: "count goes with latency (inferences); with a duration, leave it out",
  });

export type FootprintRequest = z.input<typeof footprintRequestSchema>;

export type FootprintError =
  | { readonly kind: "invalid-request"; readonly message: string }
  /** Every number is valid but together they overflow a double (1e308 W for an hour). */
  | { readonly kind: "out-of-range"; readonly message: string }
  | {
      readonly kind: "unknown-hardware";
      readonly message: string;
      readonly suggestions: readonly string[];
    }
  | {
      readonly kind: "unknown-location";
      readonly message: string;
      readonly suggestions: readonly string[];
    };

export interface FootprintOptions {
  readonly provider?: IntensityProvider;
  readonly signal?: AbortSignal;
}

const KIND_OF: Readonly<Record<HardwareProfile["kind"], PowerComponent["kind"]>> = {
  cpu: "cpu",
  soc: "cpu",
  gpu: "gpu",
  tpu: "accelerator",
  npu: "accelerator",
};

function invalid(message: string): Result<never, FootprintError> {
  return err({ kind: "invalid-request", message });
}

function toWork(request: z.output<typeof footprintRequestSchema>): Result<Work, FootprintError> {
  if (request.duration !== undefined) {
    const duration = parseDuration(request.duration);
    return duration.ok
      ? ok({ kind: "duration", duration: duration.value })
      : invalid(duration.error.message);
  }
  const latency = parseDuration(request.latency ?? "");
  if (!latency.ok) return invalid(latency.error.message);
  return ok({ kind: "inferences", latency: latency.value, count: request.count ?? 1 });
}

function toComponents(
  request: z.output<typeof footprintRequestSchema>,
): Result<PowerComponent[], FootprintError> {
  const components: PowerComponent[] = [];
  for (const item of request.hardware) {
    if (item.watts !== undefined) {
      const utilisation = item.utilisation ?? 1;
      components.push({
        name: `${item.watts} W device`,
        kind: "other",
        power: watts(item.watts * utilisation),
        count: item.count,
        provenance: {
          ...userSupplied("power in watts"),
          method:
            utilisation === 1
              ? "power given by the user"
              : `power given by the user x utilisation ${utilisation}`,
        },
      });
      continue;
    }
    const match = findHardware(item.name ?? "");
    if (!match.ok) {
      const { query, suggestions, hint } = match.error;
      const close = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
      const extra = hint ? ` (${hint})` : " (run `wattprint hardware <query>` to search)";
      return err({
        kind: "unknown-hardware",
        message: `unknown hardware "${query}"${close}${extra}`,
        suggestions,
      });
    }
    const power = hardwarePower(match.value.profile, item.utilisation);
    if (!power.ok) return invalid(`utilisation ${power.error.utilisation} must be between 0 and 1`);
    const { provenance, ...quantity } = power.value;
    const note = [provenance.note, match.value.note]
      .filter((text) => text !== undefined)
      .join("; ");
    components.push({
      name: match.value.profile.name,
      kind: KIND_OF[match.value.profile.kind],
      power: quantity,
      count: item.count,
      provenance: note === "" ? provenance : { ...provenance, note },
    });
  }
  if (request.memoryGB !== undefined) {
    const memory = memoryPower(request.memoryGB);
    if (!memory.ok)
      return invalid(`memory ${memory.error.field} ${memory.error.value} is not valid`);
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

/** Validates a request, resolves its names against the embedded tables, and estimates it. */
export async function estimateFootprint(
  input: unknown,
  options: FootprintOptions = {},
): Promise<Result<EstimateReport, FootprintError>> {
  const parsed = footprintRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return invalid(`${where}${issue?.message ?? "invalid request"}`);
  }
  const request = parsed.data;
  const work = toWork(request);
  if (!work.ok) return work;
  const components = toComponents(request);
  if (!components.ok) return components;
  const pue = resolvePue(request.pue);
  if (!pue.ok) return invalid(pue.error.message);
  const intensity = await resolveGridIntensityLive({
    ...(request.location !== undefined ? { location: request.location } : {}),
    ...(request.intensityGPerKWh !== undefined
      ? { overrideGPerKWh: request.intensityGPerKWh }
      : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  if (!intensity.ok) {
    const { message, suggestions } = describeIntensityError(intensity.error);
    return intensity.error.kind === "unknown-location"
      ? err({ kind: "unknown-location", message, suggestions })
      : invalid(message);
  }
  const result = estimate({
    components: components.value,
    work: work.value,
    intensity: intensity.value,
    pue: pue.value,
  });
  if (!result.ok) {
    return result.error.kind === "result-out-of-range"
      ? err({ kind: "out-of-range", message: result.error.message })
      : invalid(result.error.message);
  }
  return ok(toEstimateReport(result.value));
}
