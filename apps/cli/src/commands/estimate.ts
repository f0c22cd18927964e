import {
  type EstimateReport,
  estimateFootprint,
  estimateReportSchema,
  type FootprintRequest,
  formatNumber,
  formatQuantity,
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

function parseUtilisation(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const percent = raw.trim().endsWith("%");
  const value = parseNumberFlag(
    "estimate",
    "utilisation",
    percent ? raw.trim().slice(0, -1) : raw,
    {
      min: 0,
      max: percent ? 100 : 1,
    },
  );
  return value === undefined ? undefined : percent ? value / 100 : value;
}

function parseWatts(raw: string): number {
  const text = raw.trim().replace(/\s*W$/i, "");
  return parseNumberFlag("estimate", "watts", text, { min: 0 }) ?? 0;
}

/** "4x NVIDIA A100" or "4 x A100" -> count 4. */
function parseHardware(raw: string): { name: string; count: number } {
  const match = /^\s*(\d+)\s*[x×]\s+(.+)$/i.exec(raw);
  return match?.[1] && match[2]
    ? { name: match[2], count: Number(match[1]) }
    : { name: raw, count: 1 };
}

export function buildRequest(argv: readonly string[]): FootprintRequest | "help" {
  const { values, positionals } = parseCommandArgs("estimate", argv, OPTIONS);
  if (values.help) return "help";
  if (positionals.length > 0)
    throw new UsageError(`estimate: unexpected argument "${positionals[0]}"`);
  const utilisation = parseUtilisation(values.utilisation);
  const withLoad = utilisation === undefined ? {} : { utilisation };
  const hardware = [
    ...(values.hardware ?? []).map((raw) => ({ ...parseHardware(raw), ...withLoad })),
    ...(values.watts ?? []).map((raw) => ({ watts: parseWatts(raw), ...withLoad })),
  ];
  if (hardware.length === 0) throw new UsageError("estimate: give --hardware NAME or --watts W");
  if ((values.duration === undefined) === (values.latency === undefined)) {
    throw new UsageError("estimate: give exactly one of --duration or --latency");
  }
  const count = parseNumberFlag("estimate", "count", values.count, { min: 0, integer: true });
  if (count !== undefined && values.latency === undefined) {
    throw new UsageError("estimate: --count goes with --latency");
  }
  const memoryGB = parseNumberFlag("estimate", "memory", values.memory?.replace(/\s*GB$/i, ""), {
    min: 0,
  });
  const intensity = parseNumberFlag("estimate", "intensity", values.intensity, { min: 0 });
  return {
    hardware,
    ...(values.duration !== undefined ? { duration: values.duration } : {}),
    ...(values.latency !== undefined ? { latency: values.latency } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(memoryGB !== undefined ? { memoryGB } : {}),
    ...(values.location !== undefined ? { location: values.location } : {}),
    ...(intensity !== undefined ? { intensityGPerKWh: intensity } : {}),
    ...(values.pue !== undefined ? { pue: values.pue } : {}),
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
  const request = buildRequest(argv);
  if (request === "help") {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const result = await estimateFootprint(request);
  if (!result.ok) throw new UsageError(`estimate: ${result.error.message}`);
  if (argv.includes("--json")) {
    // Validated again at the edge: what leaves the process is exactly the published schema.
    io.stdout(`${JSON.stringify(estimateReportSchema.parse(result.value), null, 2)}\n`);
  } else {
    io.stdout(renderReport(result.value));
  }
  return EXIT_OK;
}
