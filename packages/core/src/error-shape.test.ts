import { type Failure, isFailure, type Result } from "@wattprint/result";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CarbonTaskError,
  type CloudLookupError,
  computeCarbonFootprint,
  type EstimateError,
  estimate,
  estimateFootprint,
  type FootprintError,
  findCloudInstance,
  findCloudProvider,
  findCloudRegion,
  findHardware,
  findMachine,
  type HardwareLookupError,
  hardwarePower,
  hardwareProfiles,
  hours,
  type IntensityError,
  type InvalidMemory,
  type InvalidUtilisation,
  type LocationError,
  type MachineLookupError,
  memoryPower,
  memorySlicePower,
  type NumberParseError,
  type PredictionError,
  type ProviderError,
  type PueError,
  parseDecimal,
  parseDuration,
  parseEnergy,
  parsePower,
  parseTimeSpan,
  predictTotal,
  providerErrors,
  resolveGridIntensity,
  resolveGridIntensityLive,
  resolveLocation,
  resolvePue,
  type TimeSpanError,
  type UnitParseError,
  userSupplied,
  watts,
} from "./index.ts";
import { type FakeServer, sendJson, startFakeServer } from "./live/fake-server.test-support.ts";
import { createUkCarbonIntensityProvider } from "./live/index.ts";
import { embeddedIntensityLookup } from "./sustainml/intensity-lookup.ts";

/*
 * The workspace's one error shape (docs/errors.md), enforced for every error-returning public
 * function of the core: a new error without a message, with a kind that is not kebab-case, or
 * with a `reason`/`detail`/`code` field fails here. A new function that returns errors gets a
 * row in BAD_INPUTS, and its error type a line in ErrorTypes.
 */

/** Compile-time half: each exported error type is a Failure (tsc fails on a `false`). */
type IsFailure<T> = [T] extends [Failure] ? true : false;
interface ErrorTypes {
  numberParse: NumberParseError;
  unitParse: UnitParseError;
  pue: PueError;
  location: LocationError;
  intensity: IntensityError;
  hardware: HardwareLookupError;
  utilisation: InvalidUtilisation;
  memory: InvalidMemory;
  estimate: EstimateError;
  footprint: FootprintError;
  prediction: PredictionError;
  provider: ProviderError;
  carbonTask: CarbonTaskError;
  timeSpan: TimeSpanError;
  machine: MachineLookupError;
  cloud: CloudLookupError;
}
const everyErrorTypeIsAFailure: { readonly [K in keyof ErrorTypes]: IsFailure<ErrorTypes[K]> } = {
  numberParse: true,
  unitParse: true,
  pue: true,
  location: true,
  intensity: true,
  hardware: true,
  utilisation: true,
  memory: true,
  estimate: true,
  footprint: true,
  prediction: true,
  provider: true,
  carbonTask: true,
  timeSpan: true,
  machine: true,
  cloud: true,
};

const KEBAB = /^[a-z]+(-[a-z0-9]+)*$/;
const SYNONYMS = ["reason", "detail", "details", "code", "error"];

/** What every failure must be; returns it for further checks. */
function expectShape(error: unknown, label: string): Failure {
  expect(isFailure(error), `${label}: ${JSON.stringify(error)}`).toBe(true);
  const failure = error as Failure & Record<string, unknown>;
  expect(failure.kind, label).toMatch(KEBAB);
  expect(failure.message.trim().length, `${label}: empty message`).toBeGreaterThan(10);
  expect(failure.message, `${label}: one line`).not.toMatch(/\n/);
  for (const key of SYNONYMS) expect(failure, `${label}: no "${key}"`).not.toHaveProperty(key);
  // Details sit beside kind and message: plain values or lists of them, never a nested object.
  for (const [key, value] of Object.entries(failure)) {
    const nested = typeof value === "object" && value !== null && !Array.isArray(value);
    expect(nested, `${label}: ${key} is nested`).toBe(false);
  }
  return failure;
}

function expectFailed(result: Result<unknown, unknown>, label: string): Failure {
  expect(result.ok, `${label} should fail`).toBe(false);
  return expectShape(result.ok ? undefined : result.error, label);
}

const a100 = hardwareProfiles.find((p) => p.name.includes("A100"));
if (a100 === undefined) throw new Error("the table has an A100");

const gpu = {
  name: "GPU",
  kind: "gpu" as const,
  power: watts(300),
  count: 1,
  provenance: userSupplied("test power"),
};
const estimateInput = {
  components: [gpu],
  work: { kind: "duration" as const, duration: hours(1) },
  intensity: {
    zone: "DE",
    intensity: { value: 400, unit: "gCO2eq/kWh" as const },
    provenance: userSupplied("x"),
  },
  pue: { value: 1, provenance: userSupplied("x") },
};

/** Synchronous public functions and inputs each must refuse, by name. */
const BAD_INPUTS: readonly (readonly [string, () => Result<unknown, unknown>])[] = [
  ["parseDecimal empty", () => parseDecimal("")],
  ["parseDecimal hex", () => parseDecimal("0x10")],
  ["parseDecimal 1e400", () => parseDecimal("1e400")],
  ["parseDuration bare number", () => parseDuration("5")],
  ["parseDuration unknown unit", () => parseDuration("5 fortnights")],
  ["parseDuration 1e305h", () => parseDuration("1e305h")],
  ["parsePower no unit", () => parsePower("300")],
  ["parseEnergy negative", () => parseEnergy("-1kWh")],
  ["resolvePue word", () => resolvePue("fast")],
  ["resolvePue below 1", () => resolvePue(0.5)],
  ["resolvePue above 5", () => resolvePue("9")],
  ["resolveLocation empty", () => resolveLocation("  ")],
  ["resolveLocation unknown", () => resolveLocation("Atlantis")],
  ["resolveLocation ambiguous", () => resolveLocation("America")],
  ["parseTimeSpan unparsable", () => parseTimeSpan("soon", "2026-03-01")],
  ["parseTimeSpan reversed", () => parseTimeSpan("2026-03-02", "2026-03-01")],
  ["resolveGridIntensity override", () => resolveGridIntensity({ overrideGPerKWh: -1 })],
  ["resolveGridIntensity year", () => resolveGridIntensity({ location: "DE", year: 1990 })],
  ["resolveGridIntensity region", () => resolveGridIntensity({ region: "Mordor" })],
  ["findHardware empty", () => findHardware("")],
  ["findHardware marks only", () => findHardware("(R) (TM)")],
  ["findHardware unknown", () => findHardware("Quantum Toaster 9000")],
  ["findHardware core design", () => findHardware("Neoverse-N1")],
  ["findHardware tie", () => findHardware("Ryzen 9")],
  ["hardwarePower utilisation", () => hardwarePower(a100, 1.5)],
  ["memoryPower negative", () => memoryPower(-4)],
  ["memoryPower dimms", () => memoryPower(64, { dimms: 2.5 })],
  ["memorySlicePower negative", () => memorySlicePower(-1)],
  ["findMachine empty", () => findMachine(" ")],
  ["findMachine unknown", () => findMachine("dgx-h10")],
  ["findCloudProvider unknown", () => findCloudProvider("ibm")],
  ["findCloudInstance unknown", () => findCloudInstance("p9.huge")],
  ["findCloudInstance other provider", () => findCloudInstance("p5.48xlarge", "gcp")],
  ["findCloudRegion unknown", () => findCloudRegion("aws", "us-east-9")],
  ["findCloudRegion empty", () => findCloudRegion("azure", "")],
  ["estimate no components", () => estimate({ ...estimateInput, components: [] })],
  ["estimate bad count", () => estimate({ ...estimateInput, components: [{ ...gpu, count: 0 }] })],
  [
    "estimate overflow",
    () => estimate({ ...estimateInput, components: [{ ...gpu, power: watts(1e308) }] }),
  ],
  ["predictTotal nothing measured", () => predictTotal({ measured: [], totalEpochs: 3 })],
  [
    "predictTotal bad epoch",
    () =>
      predictTotal({
        measured: [{ energy: { value: -1, unit: "kWh" }, duration: hours(1) }],
        totalEpochs: 3,
      }),
  ],
  [
    "embeddedIntensityLookup unknown",
    () => embeddedIntensityLookup()({ region: "Mordor", continent: "" }),
  ],
  [
    "embeddedIntensityLookup override",
    () => embeddedIntensityLookup(Number.NaN)({ region: "", continent: "" }),
  ],
];

/** Requests estimateFootprint (the CLI's and HTTP API's entry) must refuse. */
const BAD_REQUESTS: readonly (readonly [string, unknown])[] = [
  ["not an object", null],
  ["no hardware", { hardware: [], duration: "1h" }],
  ["nothing named", { duration: "1h" }],
  ["wrong type", { hardware: [{ watts: "3" }], duration: "1h" }],
  ["unknown member", { hardware: [{ watts: 3 }], duration: "1h", colour: "red" }],
  ["no work", { hardware: [{ watts: 3 }] }],
  ["bad duration", { hardware: [{ watts: 3 }], duration: "soon" }],
  ["bad latency", { hardware: [{ watts: 3 }], latency: "5" }],
  ["unknown hardware", { hardware: [{ name: "Z80 Turbo" }], duration: "1h" }],
  ["ambiguous hardware", { hardware: [{ name: "Ryzen 9" }], duration: "1h" }],
  ["marks-only hardware", { hardware: [{ name: "(R)" }], duration: "1h" }],
  ["unknown location", { hardware: [{ watts: 3 }], duration: "1h", location: "Mordor" }],
  ["empty location", { hardware: [{ watts: 3 }], duration: "1h", location: " " }],
  ["ambiguous location", { hardware: [{ watts: 3 }], duration: "1h", location: "America" }],
  ["unknown year", { hardware: [{ watts: 3 }], duration: "1h", location: "DE", year: 1990 }],
  ["bad pue", { hardware: [{ watts: 3 }], duration: "1h", pue: "fast" }],
  ["overflow", { hardware: [{ watts: 1e308 }], duration: "1h" }],
  ["unknown machine", { machine: "dgx-z9", duration: "1h" }],
  ["machine and instance", { machine: "dgx-h100", instance: "p5.48xlarge", duration: "1h" }],
  ["unknown cloud", { cloud: "ibm", instance: "p5.48xlarge", duration: "1h" }],
  ["unknown instance", { instance: "p9.huge", duration: "1h" }],
  ["unknown region", { instance: "p5.48xlarge", region: "mars-1", duration: "1h" }],
  [
    "region and location",
    { instance: "p5.48xlarge", region: "us-east-1", location: "FR", duration: "1h" },
  ],
  ["region without cloud", { hardware: [{ watts: 3 }], region: "us-east-1", duration: "1h" }],
  ["machines without machine", { hardware: [{ watts: 3 }], machines: 2, duration: "1h" }],
];

describe("the one error shape", () => {
  it("types every exported error as a Failure", () => {
    expect(Object.values(everyErrorTypeIsAFailure).every((v) => v)).toBe(true);
  });

  it.each(BAD_INPUTS)("%s fails with kind, message and flat details", (label, run) => {
    expectFailed(run(), label);
  });

  it.each(BAD_REQUESTS)("estimateFootprint refuses %s in the same shape", async (label, body) => {
    const error = expectFailed(await estimateFootprint(body), label);
    // Where one member is to blame, it is `field`, and a refused request's message starts with it.
    const field = (error as { field?: unknown }).field;
    if (error.kind === "invalid-request" && field !== undefined) {
      expect(error.message.startsWith(`${String(field)}: `), error.message).toBe(true);
    }
  });

  it("names the zod path of a bad request member, never a ZodError", async () => {
    const result = await estimateFootprint({ hardware: [{ watts: "3" }], duration: "1h" });
    expect(!result.ok && result.error).toMatchObject({
      kind: "invalid-request",
      field: "hardware.0.watts",
      message: expect.stringMatching(/^hardware\.0\.watts: /),
    });
  });

  it("gives a failed SustainML task a failure whose message is the published text", () => {
    const outcome = computeCarbonFootprint(
      {
        model: { model: "bert", model_path: "" },
        userInput: { geo_location_region: "Mordor", geo_location_continent: "" },
        userExtra: undefined,
        hw: { hw_description: "x", power_consumption: 10, latency: 1 },
      },
      { latencyUnit: "h", pue: estimateInput.pue, intensity: embeddedIntensityLookup() },
    );
    const error = expectShape(outcome.error, "computeCarbonFootprint");
    expect(outcome.extra.error).toBe(error.message);
  });

  it("builds every provider error with its message", () => {
    const all: ProviderError[] = [
      providerErrors.unsupportedZone("p", "XX"),
      providerErrors.http("p", 401, 1, "bad token"),
      providerErrors.network("p", 3, "ECONNREFUSED"),
      providerErrors.timeout("p", 100),
      providerErrors.aborted("p"),
      providerErrors.badResponse("p", "data: expected array"),
      providerErrors.noData("p", "GB"),
    ];
    expect(new Set(all.map((e) => e.kind)).size).toBe(7);
    for (const error of all) {
      expect(expectShape(error, error.kind).message).toMatch(/^live provider p failed: /);
    }
  });
});

describe("the one error shape, from a live provider against a local server", () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer((_request, response) => sendJson(response, 200, { data: [] }));
  });
  afterAll(() => server.close());

  it("fails with the shape for no data, a wrong zone and an abort", async () => {
    const provider = createUkCarbonIntensityProvider({ baseUrl: server.baseUrl, maxAttempts: 1 });
    expectFailed(await provider.current("GB"), "no-data");
    expectFailed(await provider.current("DE"), "unsupported-zone");
    expectFailed(await provider.current("GB", AbortSignal.abort()), "aborted");
  });

  it("keeps a provider failure out of the result: it becomes the provenance note", async () => {
    const provider = createUkCarbonIntensityProvider({ baseUrl: server.baseUrl, maxAttempts: 1 });
    const result = await resolveGridIntensityLive({ location: "GB", provider });
    expect(result.ok && result.value.provenance.note).toMatch(
      /live provider uk-carbon-intensity failed: no data for zone GB; embedded annual value used/,
    );
  });
});
