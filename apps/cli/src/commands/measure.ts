import { formatNumber, type GridIntensity, resolveGridIntensity } from "@wattprint/core";
import {
  checkOnnxFile,
  MAX_WINDOW_S,
  type Measurement,
  ModelMeasurer,
  simulatedDeviceOptions,
} from "@wattprint/measure";
import { powerOptionsFromEnv } from "@wattprint/power";
import { inCommand, parseCommandArgs, parseNumberFlag, quoted } from "../args.ts";
import { commandFailure } from "../error-output.ts";
import type { CliIo } from "../io.ts";
import { jsonText } from "../render/json-text.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "../usage-error.ts";

export const MEASURE_HELP = `usage: wattprint measure <model.onnx> [--seconds S] [--batch N] [--location L]
                         [--sim-cpu-watts W] [--sim-gpu-watts W] [--json]

Runs an ONNX model on this machine for a window and reports its energy per inference, as the
bus node's measured (tracker) path does: the model is loaded (reported apart), fed zeros of
its declared input shapes and types (a dynamic leading dimension = the batch size, other
dynamic dimensions = 1), and run again and again for S seconds while this machine's power
readers (RAPL, NVML, amdgpu, powermetrics; a model where nothing can be read) are sampled.

  --seconds S        the window (default 1, at most ${MAX_WINDOW_S})
  --batch N          what a dynamic leading (batch) dimension is set to (default 1)
  --location L       also give CO2 per inference at this zone's annual grid intensity
  --sim-cpu-watts W  measure on a simulated CPU drawing W watts instead of the readers
  --sim-gpu-watts W  and/or a simulated GPU
  --json             one wattprint.measure/v1 JSON document

Energies are IT energy, as metered (no PUE). Environment: the power readers' variables, as
for \`wattprint hardware detect\`.
`;

/** Usage errors are printed after "wattprint " (error-output.ts); other lines say it here. */
const COMMAND = "measure";
const PREFIX = `wattprint ${COMMAND}`;
export const MEASURE_SCHEMA_ID = "wattprint.measure/v1";

const FLAGS = {
  seconds: { type: "string" },
  batch: { type: "string" },
  location: { type: "string" },
  "sim-cpu-watts": { type: "string" },
  "sim-gpu-watts": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function runMeasure(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, argv, FLAGS);
  if (values.help) {
    io.stdout(MEASURE_HELP);
    return EXIT_OK;
  }
  const [model, ...extra] = positionals;
  if (model === undefined) throw new UsageError(`${COMMAND}: give the model file (model.onnx)`);
  if (extra.length > 0)
    throw new UsageError(`${COMMAND}: unexpected argument ${quoted(extra[0] ?? "")}`);
  const seconds =
    parseNumberFlag(COMMAND, "seconds", values.seconds, {
      above: 0,
      max: MAX_WINDOW_S,
      unit: "s",
    }) ?? 1;
  const batchSize =
    parseNumberFlag(COMMAND, "batch", values.batch, { integer: true, min: 1, max: 65_536 }) ?? 1;
  const watts = (flag: "sim-cpu-watts" | "sim-gpu-watts") =>
    parseNumberFlag(COMMAND, flag, values[flag], { min: 0, max: 100_000, unit: "W" });
  const simCpu = watts("sim-cpu-watts");
  const simGpu = watts("sim-gpu-watts");
  const intensity = values.location === undefined ? undefined : locate(values.location);

  const checked = await checkOnnxFile(model);
  if (!checked.ok) {
    // Which problem it is (missing, a folder, no permission, the name) says the fix.
    commandFailure(io, checked.error.kind, `${PREFIX}: ${checked.error.message}`, {
      path: model,
    });
    return EXIT_USAGE;
  }
  const file = checked.value;
  const opened = await ModelMeasurer.open({
    power: powerOptionsFromEnv(io.env),
    tracker: {
      ...simulatedDeviceOptions({ cpuW: simCpu, gpuW: simGpu }),
    },
  });
  if (!opened.ok) {
    commandFailure(io, opened.error.kind, `${PREFIX}: ${opened.error.message}`);
    return EXIT_FAILURE;
  }
  const measurer = opened.value;
  try {
    const measured = await measurer.measure({ modelFile: file, windowS: seconds, batchSize });
    if (!measured.ok) {
      const { kind, message } = measured.error;
      commandFailure(io, kind, `${PREFIX}: ${kind}: ${message}`);
      // The request is the command line here (--batch): a mistake in it is a usage error.
      return kind === "invalid-request" ? EXIT_USAGE : EXIT_FAILURE;
    }
    const report = measureReport(file, measured.value, intensity);
    io.stdout(values.json ? `${jsonText(report, null, 2)}\n` : renderReport(report));
    return EXIT_OK;
  } finally {
    await measurer.close();
  }
}

function locate(location: string): GridIntensity {
  return inCommand(COMMAND, () => {
    const resolved = resolveGridIntensity({ location });
    if (!resolved.ok) throw new UsageError(`--location: ${resolved.error.message}`);
    return resolved.value;
  });
}

export type MeasureReport = ReturnType<typeof measureReport>;

function measureReport(file: string, m: Measurement, intensity: GridIntensity | undefined) {
  const perInferenceJ = m.energyJ / m.inferences;
  const perInferenceKWh = perInferenceJ / 3.6e6;
  // An inference is one forward pass, of `batchSize` items: with --batch 8, a figure per
  // inference is one per 8 items, and was shown as if per item.
  const items = m.inferences * m.batchSize;
  const perItemKWh = perInferenceKWh / m.batchSize;
  return {
    schema: MEASURE_SCHEMA_ID,
    model: { file, sha256: m.sha256 },
    inputs: m.inputs,
    batchSize: m.batchSize,
    loadS: m.loadS,
    setupS: m.setupS,
    windowS: m.windowS,
    /** Forward passes in the window, each of `batchSize` items. */
    inferences: m.inferences,
    items,
    energyJ: m.energyJ,
    perInference: {
      energyJ: perInferenceJ,
      energyKWh: perInferenceKWh,
      durationS: m.windowS / m.inferences,
      ...(intensity !== undefined ? { co2G: perInferenceKWh * intensity.intensity.value } : {}),
    },
    perItem: {
      energyJ: perInferenceJ / m.batchSize,
      energyKWh: perItemKWh,
      ...(intensity !== undefined ? { co2G: perItemKWh * intensity.intensity.value } : {}),
    },
    components: m.components,
    devices: m.devices,
    ...(intensity !== undefined
      ? {
          intensity: {
            gPerKWh: intensity.intensity.value,
            zone: intensity.zone,
            // None for a user-supplied intensity: it has no data year.
            ...(intensity.year === undefined ? {} : { year: intensity.year }),
            source: intensity.provenance.source.title,
          },
        }
      : {}),
  };
}

function renderReport(r: MeasureReport): string {
  const batched = r.batchSize > 1;
  const passes = batched
    ? `${r.inferences} inferences, forward passes of a batch of ${r.batchSize} (${r.items} items; ${formatNumber(r.perInference.durationS * 1000, 3)} ms a pass)`
    : `${r.inferences} inferences (${formatNumber(r.perInference.durationS * 1000, 3)} ms each)`;
  const lines = [
    `model          ${r.model.file}`,
    `sha256         ${r.model.sha256}`,
    `inputs         ${r.inputs.map((i) => `${i.name}: ${i.type}[${i.dims.join("x")}]`).join(", ")}`,
    `load           ${formatNumber(r.loadS, 3)} s (before the window, not counted)`,
    `window         ${formatNumber(r.windowS, 4)} s, ${passes}`,
    // Three significant digits, as every figure of the CLI: a meter (let alone a model) is no finer.
    `energy         ${formatNumber(r.energyJ)} J in the window`,
    ...r.components.map(
      (c) => `  ${c.component.padEnd(12)} ${formatNumber(c.energyJ)} J (${c.basis})`,
    ),
    `per inference  ${formatNumber(r.perInference.energyJ)} J = ${formatNumber(r.perInference.energyKWh)} kWh${batched ? ` (a batch of ${r.batchSize})` : ""}`,
    ...(batched
      ? [
          `per item       ${formatNumber(r.perItem.energyJ)} J = ${formatNumber(r.perItem.energyKWh)} kWh`,
        ]
      : []),
  ];
  if (r.intensity !== undefined && r.perInference.co2G !== undefined) {
    const perItem =
      batched && r.perItem.co2G !== undefined ? ` (${formatNumber(r.perItem.co2G)} per item)` : "";
    lines.push(
      `carbon         ${formatNumber(r.perInference.co2G)} gCO2eq per inference${perItem} at ${formatNumber(r.intensity.gPerKWh)} gCO2eq/kWh (${[r.intensity.zone, r.intensity.year, r.intensity.source].filter((part) => part !== undefined).join(", ")})`,
    );
  }
  const modelled = r.devices.filter((d) => d.basis !== "measured");
  if (modelled.length > 0) {
    lines.push(
      `note           ${modelled.map((d) => `${d.id} is ${d.basis}`).join("; ")}: not read from the hardware`,
    );
  }
  return `${lines.join("\n")}\n`;
}
