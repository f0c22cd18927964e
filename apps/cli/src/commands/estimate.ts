import {
  CLOUD_NAMES,
  cloudRegions,
  estimateFootprint,
  estimateReportSchema,
} from "@wattprint/core";
import { parseCommandArgs, quoted } from "../args.ts";
import { ESTIMATE_OPTIONS } from "../estimate/flags.ts";
import { liveProvider } from "../estimate/live.ts";
import { type EstimatePlan, planEstimate } from "../estimate/plan.ts";
import {
  byCarbon,
  type Outcome,
  renderComparison,
  renderCsv,
  renderReport,
} from "../estimate/render.ts";
import type { CliIo } from "../io.ts";
import { jsonText } from "../render/json-text.ts";
import { terminalSafe } from "../render/terminal-text.ts";
import { EXIT_OK, UsageError } from "../usage-error.ts";

const HELP = `usage: wattprint estimate (--hardware NAME | --watts W)... (--duration D | --from T --to T | --latency L [--count N])
                          [--location L[,L...]]... [--utilisation 0..1] [--memory GB]
       wattprint estimate --machine PRESET[,PRESET...] [--count N] (--duration D | ...) [--location L]...
       wattprint estimate [--cloud aws|gcp|azure] --instance TYPE[,TYPE...] [--count N] --region R[,R...] (--duration D | ...)
                          [--intensity G_PER_KWH | --live] [--year YYYY]
                          [--pue 1.2|industry|google|aws|local] [--json | --csv]

  --hardware NAME   a CPU or accelerator from \`wattprint hardware\`; "8x NAME" for several.
                    Repeat for each part of one machine; "A100,H100" compares alternatives
  --watts W         a device drawing W watts (instead of a named one)
  --machine PRESET  a whole machine from \`wattprint hardware machines\` (dgx-h100): GPUs, CPUs,
                    memory and the rest of the system; --count N (or --machines N) of them
  --instance TYPE   a cloud instance type (p5.48xlarge) from \`wattprint hardware instances\`,
                    with --cloud when the name does not say which, and --region (us-east-1),
                    which decides the grid zone; the provider's published PUE applies
  --utilisation U   load of the --hardware and --watts parts, in [0, 1] or a percentage (80%);
                    default: rated power, an upper bound. Not with --machine or --instance:
                    those are counted at rated power, so a load would be ignored
  --memory GB       the host's memory, with --hardware or --watts; not with --machine or
                    --instance, which count their own
  --duration D      how long the work runs: 3h, 90min, 1h30m, 3d, 1w, 2d12h
  --from T --to T   the span it ran, ISO 8601: 2026-03-01, 2026-03-01T08:00 (UTC unless
                    an offset is given: 2026-03-01T08:00+01:00)
  --latency L       time per inference (120ms); with --count N inferences (default 1)
  --location L      ISO code, country, US state, zone id (US-CAL-CISO), continent or World;
                    "FR,PL,DE" or the flag repeated compares them side by side
  --intensity G     grid intensity override in gCO2eq/kWh
  --live            current intensity from a live provider (ELECTRICITYMAPS_API_KEY for any
                    zone; GB and DK need no key); the embedded value, with a warning, if it fails
  --year YYYY       data year of the embedded grid data (default: the latest)
  --pue P           data-centre PUE, a number >= 1 or a profile (default: industry, 1.56)
  --json            the report as JSON (schema wattprint.estimate/v1), unrounded; an array when comparing
  --csv             one CSV row per estimate, unrounded

Figures in tables are rounded to 3 significant digits; the inputs are not known better.
`;

async function run(plan: EstimatePlan, io: CliIo): Promise<Outcome[]> {
  const provider = plan.live ? liveProvider(io.env) : undefined;
  const outcomes: Outcome[] = [];
  for (const variant of plan.variants) {
    const result = await estimateFootprint(variant.request, provider ? { provider } : {});
    if (!result.ok && result.error.kind === "out-of-range") {
      // Each number was valid alone; only together do they pass the largest double.
      throw new UsageError(
        `estimate: ${result.error.message}; lower one of: ${plan.numbersGiven.join(", ")}`,
      );
    }
    if (!result.ok) {
      // The core names the request's member (`memoryGB`, `hardware.0.name`): the flag too.
      const flag = "field" in result.error ? flagOfField(result.error.field) : undefined;
      const region =
        result.error.kind === "unknown-location" ? regionHint(variant.request.location) : "";
      // A region id's near zone names ("RU-AS" for "us-east-1") would mislead: only the hint.
      const message =
        region === ""
          ? result.error.message
          : `unknown location ${quoted(variant.request.location ?? "")}: ${region}`;
      throw new UsageError(`estimate: ${message}${flag === undefined ? "" : ` (${flag})`}`);
    }
    // Validated again at the edge: what leaves the process is exactly the published schema.
    const report = estimateReportSchema.parse(result.value);
    if (plan.live && report.intensity.level !== "live") {
      const why = report.intensity.source.note ?? "no live value";
      // `why` may quote a live provider's answer.
      io.stderr(`wattprint estimate: warning: ${report.intensity.zone}: ${terminalSafe(why)}\n`);
    }
    outcomes.push({ variant, report });
  }
  return outcomes;
}

/**
 * A location that is a cloud region's id ("us-east-1", "eastus") was meant as that region:
 * said so, where the suggestions of near zone names ("RU-AS") would mislead.
 */
function regionHint(location: string | undefined): string {
  const id = location?.trim().toLowerCase();
  const regions = cloudRegions.filter((r) => r.id.toLowerCase() === id);
  if (regions.length === 0) return "";
  const named = regions.map((r) => `${CLOUD_NAMES[r.provider]}'s ${r.location}`).join(", ");
  const cloud = regions.length === 1 ? (regions[0]?.provider ?? "") : "CLOUD";
  return `it is the cloud region id of ${named}; give --cloud ${cloud} --region ${location?.trim()}`;
}

/** The flag that sets a member of the core's request, by the member's path. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  duration: "--duration",
  latency: "--latency",
  count: "--count",
  memoryGB: "--memory",
  location: "--location",
  intensityGPerKWh: "--intensity",
  year: "--year",
  pue: "--pue",
  machine: "--machine",
  machines: "--count",
  instance: "--instance",
  region: "--region",
  cloud: "--cloud",
};

function flagOfField(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  // hardware.0.name, hardware.0.watts, hardware.0.utilisation
  const part = /^hardware\.\d+\.(name|watts|utilisation)$/.exec(field)?.[1];
  if (part !== undefined) return part === "name" ? "--hardware" : `--${part}`;
  return FLAG_OF_FIELD[field];
}

export async function runEstimate(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("estimate", argv, ESTIMATE_OPTIONS);
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) {
    throw new UsageError(`estimate: unexpected argument ${quoted(positionals[0] ?? "")}`);
  }
  const plan = planEstimate(values);
  const outcomes = await run(plan, io);
  const comparing = plan.variants.length > 1;
  const sorted = comparing ? byCarbon(outcomes) : outcomes;
  if (plan.format === "json") {
    const reports = sorted.map((outcome) => outcome.report);
    io.stdout(`${jsonText(comparing ? reports : reports[0], null, 2)}\n`);
  } else if (plan.format === "csv") {
    io.stdout(renderCsv(sorted));
  } else if (comparing) {
    io.stdout(renderComparison(sorted, plan.comparing, plan.span));
  } else if (sorted[0] !== undefined) {
    io.stdout(renderReport(sorted[0].report, plan.span));
  }
  return EXIT_OK;
}
