import {
  type EstimateReport,
  estimateFootprint,
  estimateReportSchema,
  type FootprintRequest,
  formatNumber,
  formatQuantity,
  parseDuration,
  resolvePue,
} from "@wattprint/core";
import { parseCommandArgs, parseNumberFlag } from "../args.ts";
import type { CliIo } from "../io.ts";
import { renderTable } from "../render/table.ts";
import { EXIT_OK, UsageError } from "../usage-error.ts";

const HELP = `usage: wattprint estimate (--hardware NAME | --watts W)... (--duration 3h | --latency 120ms [--count N])
                          [--utilisation 0..1] [--memory GB] [--location ES] [--intensity G_PER_KWH]
                          [--pue 1.2|industry|google|aws|local] [--json]

  --hardware NAME   a CPU or accelerator from \`wattprint hardware\`; "4x NAME" for several
  --watts W         a device drawing W watts (instead of a named one)
  --utilisation U   load in [0, 1] or a percentage (80%); default: rated power, an upper bound
  --duration D      how long the work runs (3h, 90min, 1h30m)
  --latency L       time per inference (120ms); with --count N inferences (default 1)
  --location L      ISO code, country, zone id (US-CAL-CISO), continent or World
  --intensity G     grid intensity override in gCO2eq/kWh
  --pue P           data-centre PUE, a number >= 1 or a profile (default: industry, 1.56)
  --json            the full report as JSON (schema wattprint.estimate/v1)
`;

const OPTIONS = {
  hardware: { type: "string", multiple: true },
  watts: { type: "string", multiple: true },
  utilisation: { type: "string" },
  duration: { type: "string" },
  latency: { type: "string" },
  count: { type: "string" },
  memory: { type: "string" },
  location: { type: "string" },
  intensity: { type: "string" },
  pue: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Utilisation as a fraction ("0.8") or a percentage ("80%"). */
const UTILISATION = { min: 0, max: 1 };
const PERCENT = { min: 0, max: 100, unit: "%" };

function parseUtilisation(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!text.endsWith("%")) return parseNumberFlag("estimate", "utilisation", text, UTILISATION);
  const percent = parseNumberFlag("estimate", "utilisation", text.slice(0, -1), PERCENT);
  return percent === undefined ? undefined : percent / 100;
}
function parseWatts(raw: string): number {
  const text = raw.trim().replace(/\s*W$/i, "");
  return parseNumberFlag("estimate", "watts", text, { min: 0 }) ?? 0;
}

/** "4x NVIDIA A100" or "4 x A100" -> count 4. */
function parseHardware(raw: string): { name: string; count: number } {
  const match = /^\s*(\d+)\s*[x×]\s+(.+)$/i.exec(raw);
  if (!match?.[1] || !match[2]) return { name: raw, count: 1 };
  const count = Number(match[1]);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new UsageError(
      `estimate: --hardware expects NAME or "N x NAME" with N a whole number 1..${Number.MAX_SAFE_INTEGER}, got "${raw}"`,
    );
  }
  return { name: match[2], count };
}

function buildRequest(
  argv: readonly string[],
): { request: FootprintRequest; numbersGiven: string[] } | "help" {
  const { values, positionals } = parseCommandArgs("estimate", argv, OPTIONS);
  if (values.help) return "help";
  if (positionals.length > 0)
    throw new UsageError(`estimate: unexpected argument "${positionals[0]}"`);
  const utilisation = parseUtilisation(values.utilisation);
  const withLoad = utilisation === undefined ? {} : { utilisation };
  const named = (values.hardware ?? []).map((raw) => ({ raw, ...parseHardware(raw) }));
  const hardware = [
    ...named.map(({ name, count }) => ({ name, count, ...withLoad })),
    ...(values.watts ?? []).map((raw) => ({ watts: parseWatts(raw), ...withLoad })),
  ];
  if (hardware.length === 0) throw new UsageError("estimate: give --hardware NAME or --watts W");
  if ((values.duration === undefined) === (values.latency === undefined)) {
    throw new UsageError("estimate: give exactly one of --duration or --latency");
  }
  // Read here as well as in core, so that a mistake names its flag.
  for (const flag of ["duration", "latency"] as const) {
    const text = values[flag];
    const parsed = text === undefined ? undefined : parseDuration(text);
    if (parsed && !parsed.ok) throw new UsageError(`estimate: --${flag}: ${parsed.error.message}`);
  }
  const pue = values.pue === undefined ? undefined : resolvePue(values.pue);
  if (pue && !pue.ok) throw new UsageError(`estimate: --pue: ${pue.error.message}`);
  const count = parseNumberFlag("estimate", "count", values.count, { min: 0, integer: true });
  if (count !== undefined && values.latency === undefined) {
    throw new UsageError("estimate: --count goes with --latency");
  }
  const memoryGB = parseNumberFlag("estimate", "memory", values.memory?.replace(/\s*GB$/i, ""), {
    min: 0,
  });
  const intensity = parseNumberFlag("estimate", "intensity", values.intensity, { min: 0 });
  // The numbers as typed, to name them if only their product overflows.
  const numbersGiven = [
    ...named.filter((item) => item.count > 1).map((item) => `--hardware "${item.raw}"`),
    ...(values.watts ?? []).map((text) => `--watts ${text}`),
    ...(["duration", "latency", "count", "memory", "intensity", "pue"] as const).flatMap((flag) =>
      values[flag] === undefined ? [] : [`--${flag} ${values[flag]}`],
    ),
  ];
  return {
    request: {
      hardware,
      ...(values.duration !== undefined ? { duration: values.duration } : {}),
      ...(values.latency !== undefined ? { latency: values.latency } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(memoryGB !== undefined ? { memoryGB } : {}),
      ...(values.location !== undefined ? { location: values.location } : {}),
      ...(intensity !== undefined ? { intensityGPerKWh: intensity } : {}),
      ...(values.pue !== undefined ? { pue: values.pue } : {}),
    },
    numbersGiven,
  };
}

function renderReport(report: EstimateReport): string {
  const { intensity, pue } = report;
  const place = [intensity.zoneName ?? intensity.zone, intensity.level, intensity.year]
    .filter(Boolean)
    .join(", ");
  const rows = report.breakdown.map((row) => [
    row.count > 1 ? `${row.count}x ${row.name}` : row.name,
    formatQuantity(row.power),
    formatQuantity(row.energy),
    formatQuantity(row.carbon),
    row.source.title,
  ]);
  const work =
    report.work.kind === "duration"
      ? `${formatNumber(report.work.duration.value / 3600)} h`
      : `${report.work.count} inference(s) x ${formatNumber(report.work.latency.value * 1000)} ms`;
  const lines = [
    `Energy     ${formatQuantity(report.energy)}  (hardware ${formatQuantity(report.itEnergy)} x PUE ${pue.value})`,
    `Carbon     ${formatQuantity(report.carbon)}`,
    `Intensity  ${formatQuantity(intensity)}  ${place}`,
    `           source: ${intensity.source.title}${intensity.source.licence ? ` [${intensity.source.licence}]` : ""}`,
    ...(intensity.source.note ? [`           note: ${intensity.source.note}`] : []),
    `PUE        ${pue.value}  source: ${pue.source.title}`,
    `Work       ${work}`,
    "",
    renderTable(["component", "power", "energy", "carbon", "source"], rows),
    ...report.breakdown.flatMap((row) =>
      row.source.note ? [`  ${row.name}: ${row.source.note}`] : [],
    ),
    "",
    ...report.equivalents.map(
      (e) =>
        `= ${formatNumber(e.value, 3)} ${e.unit} ${e.description} (${e.basis}; ${e.source.title})`,
    ),
    "",
  ];
  return lines.join("\n");
}

export async function runEstimate(argv: readonly string[], io: CliIo): Promise<number> {
  const built = buildRequest(argv);
  if (built === "help") {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const result = await estimateFootprint(built.request);
  if (!result.ok && result.error.kind === "out-of-range") {
    // Each number was valid alone; only together do they pass the largest double.
    throw new UsageError(
      `estimate: ${result.error.message}; lower one of: ${built.numbersGiven.join(", ")}`,
    );
  }
  if (!result.ok) throw new UsageError(`estimate: ${result.error.message}`);
  if (argv.includes("--json")) {
    // Validated again at the edge: what leaves the process is exactly the published schema.
    io.stdout(`${JSON.stringify(estimateReportSchema.parse(result.value), null, 2)}\n`);
  } else {
    io.stdout(renderReport(result.value));
  }
  return EXIT_OK;
}
