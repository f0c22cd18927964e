import { type EstimateReport, estimateReportSchema, resolveGridIntensity } from "@wattprint/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { wattprint as runInProcess } from "./helpers/in-process.ts";
import { withJsonServer } from "./helpers/json-server.ts";
import { expectUsageError, type Outcome } from "./helpers/outcome.ts";

/** The smallest job: its numbers do not matter to the test using it. */
const ONE_HOUR_OF_100_W = ["estimate", "--watts", "100", "--duration", "1h"];

function wattprint(...args: string[]): Promise<Outcome> {
  return runInProcess(args);
}

function intensityOf(location: string, year?: number): number {
  const value = resolveGridIntensity({ location, ...(year === undefined ? {} : { year }) });
  if (!value.ok) throw new Error(`${location} must resolve`);
  return value.value.intensity.value;
}

function report(outcome: Outcome): EstimateReport {
  expect(outcome.code).toBe(0);
  return estimateReportSchema.parse(JSON.parse(outcome.stdout));
}

function reports(outcome: Outcome): EstimateReport[] {
  expect(outcome.code).toBe(0);
  return z.array(estimateReportSchema).parse(JSON.parse(outcome.stdout));
}

describe("the issue's examples, as written", () => {
  it("8 H100s for 3 days in Virginia", async () => {
    const args = [
      "estimate",
      "--hardware",
      "8x H100",
      "--duration",
      "3d",
      "--location",
      "Virginia",
    ];
    const text = await wattprint(...args);
    expect(text.code).toBe(0);
    const json = report(await wattprint(...args, "--json"));
    // 8 x 700 W x 72 h = 403.2 kWh at the GPUs; x PUE 1.56; x PJM's annual intensity.
    expect(json.itEnergy.value).toBeCloseTo(403.2, 9);
    expect(json.energy.value).toBeCloseTo(403.2 * 1.56, 9);
    expect(json.intensity).toMatchObject({ zone: "US-MIDA-PJM", level: "zone" });
    expect(json.intensity.source.note).toMatch(/^Virginia: PJM Interconnection/);
    const carbonG = 403.2 * 1.56 * intensityOf("US-MIDA-PJM");
    expect(json.carbon.value).toBeCloseTo(carbonG, 6);
    // Readable: kilograms with 3 significant digits, not "262919 gCO2eq".
    const kg = (carbonG / 1000).toPrecision(3);
    expect(text.stdout).toMatch(new RegExp(`^Carbon\\s+${kg} kgCO2eq$`, "m"));
    expect(text.stdout).toMatch(/^Energy\s+629 kWh/m);
    expect(text.stdout).toMatch(/^Work\s+3 d$/m);
    // Accelerators alone: the report says what it leaves out, and how to add it.
    expect(json.leftOut?.parts).toEqual(["host-cpus", "host-memory"]);
    expect(text.stdout).toMatch(/^Not included: .*host's CPUs and memory are not included/m);
  });

  it("the cloud example: p5.48xlarge in us-east-1 for 72 hours", async () => {
    const args = [
      "estimate",
      "--cloud",
      "aws",
      "--instance",
      "p5.48xlarge",
      "--region",
      "us-east-1",
    ];
    const text = await wattprint(...args, "--duration", "72h");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^8x NVIDIA H100 SXM5 80GB\s/m);
    expect(text.stdout).toMatch(/aws us-east-1, US East \(N\. Virginia\), is in zone US-MIDA-PJM/);
    expect(text.stdout).not.toMatch(/Not included/);
    // Every part's note ends with the instance and how its sizes were checked: said once.
    expect(text.stdout.match(/part of 1 x p5\.48xlarge/g)).toHaveLength(1);
    expect(text.stdout).toMatch(/^ {2}all parts: part of 1 x p5\.48xlarge \(https:\/\//m);
    expect(text.stdout).toMatch(/^ {2}AMD EPYC 7R13, 192 vCPUs[^:]*: no published TDP/m);
    const json = report(await wattprint(...args, "--duration", "72h", "--json"));
    // The document keeps every row's whole note.
    for (const row of json.breakdown.filter((r) => r.kind !== "facility")) {
      expect(row.source.note).toMatch(/part of 1 x p5\.48xlarge/);
    }
    expect(json.intensity.zone).toBe("US-MIDA-PJM");
    expect(json.pue.source.title).toMatch(/AWS/);
    expect(json.breakdown.map((row) => row.kind)).toEqual(
      expect.arrayContaining(["gpu", "cpu", "memory"]),
    );
    expect(json.leftOut).toBeUndefined();
    expect(json.work).toEqual({ kind: "duration", duration: { value: 259_200, unit: "s" } });
  });

  it("whole machines: dgx-h100, four of them, for 3 days in Virginia", async () => {
    const args = ["estimate", "--machine", "dgx-h100", "--count", "4", "--duration", "3d"];
    const json = report(await wattprint(...args, "--location", "Virginia", "--json"));
    expect(json.breakdown[0]).toMatchObject({ name: "NVIDIA H100 SXM5 80GB", count: 32 });
    expect(json.leftOut).toBeUndefined();
    const same = report(
      await wattprint(
        ...args.slice(0, 3),
        "--machines",
        "4",
        "--duration",
        "3d",
        "--location",
        "Virginia",
        "--json",
      ),
    );
    expect(same.carbon.value).toBe(json.carbon.value);
    const one = report(
      await wattprint(...args.slice(0, 3), "--duration", "3d", "--location", "Virginia", "--json"),
    );
    expect(json.carbon.value).toBeCloseTo(4 * one.carbon.value, 6);
  });

  it("France vs Poland for the same job: one table, sorted, with the difference to the best", async () => {
    const job = ["--hardware", "8x H100", "--duration", "3d"];
    const listed = await wattprint("estimate", ...job, "--location", "PL,FR");
    const repeated = await wattprint("estimate", ...job, "--location", "PL", "--location", "FR");
    expect(listed.code).toBe(0);
    expect(repeated.stdout).toBe(listed.stdout);
    const lines = listed.stdout.split("\n");
    expect(lines[0]).toMatch(/^location\s+zone\s+intensity\s+energy\s+carbon\s+vs best$/);
    expect(lines[2]).toMatch(/^FR\s+France\s.*\sbest$/);
    const france = 403.2 * 1.56 * intensityOf("FR");
    const poland = 403.2 * 1.56 * intensityOf("PL");
    const more = `+${((poland - france) / 1000).toPrecision(3)} kgCO2eq`;
    const percent = Number((((poland - france) / france) * 100).toPrecision(3)).toLocaleString(
      "en-US",
    );
    expect(lines[3]).toMatch(/^PL\s+Poland\s/);
    expect(lines[3]).toContain(`${more} (+${percent} %)`);

    const json = reports(await wattprint("estimate", ...job, "--location", "PL,FR", "--json"));
    expect(json.map((r) => r.intensity.zone)).toEqual(["FR", "PL"]);
    expect(json[0]?.carbon.value).toBeCloseTo(france, 6);
    expect(json[1]?.carbon.value).toBeCloseTo(poland, 6);
  });
});

describe("wattprint estimate with a utilisation", () => {
  it("says how the utilisation made the power, for a named part and for given watts alike", async () => {
    const named = await wattprint(
      "estimate",
      "--hardware",
      "H100 SXM",
      "--utilisation",
      "0",
      "--duration",
      "1h",
    );
    expect(named.stdout).toMatch(/^NVIDIA H100 SXM5 80GB\s+70 W\s/m);
    expect(named.stdout).toContain(
      "  NVIDIA H100 SXM5 80GB: linear in utilisation 0 from 10 % of rated at idle to maximum board power 700 W",
    );
    const given = await wattprint(
      "estimate",
      "--watts",
      "100",
      "--utilisation",
      "0.5",
      "--duration",
      "1h",
    );
    expect(given.stdout).toMatch(/^100 W device\s+55 W\s/m);
    expect(given.stdout).toContain(
      "  100 W device: linear in utilisation 0.5 from 10 % of the given 100 W at idle to all of it",
    );
  });
});

describe("wattprint estimate comparisons", () => {
  it("compares hardware alternatives for one part, keeping the other parts", async () => {
    const outcome = await wattprint(
      "estimate",
      "--hardware",
      "H100 SXM,A100 SXM 80GB",
      "--watts",
      "100",
      "--duration",
      "1h",
      "--location",
      "DE",
      "--json",
    );
    const json = reports(outcome);
    expect(json).toHaveLength(2);
    expect(json.map((r) => r.breakdown[0]?.name)).toEqual([
      "NVIDIA A100 SXM4 80GB",
      "NVIDIA H100 SXM5 80GB",
    ]);
    for (const r of json) expect(r.breakdown[1]?.power.value).toBe(100);
    const table = await wattprint(
      "estimate",
      "--hardware",
      "H100 SXM,A100 SXM 80GB",
      "--duration",
      "1h",
    );
    expect(table.stdout.split("\n")[0]).toMatch(/^hardware\s+zone/);
  });

  it("names what each alternative resolved to, its power, source and notes, once each", async () => {
    const table = await wattprint(
      "estimate",
      "--hardware",
      "H100,A100",
      "--duration",
      "1h",
      "--location",
      "FR",
    );
    expect(table.code).toBe(0);
    const lines = table.stdout.split("\n");
    expect(lines).toContain(
      "Hardware   H100: NVIDIA H100 SXM5 80GB 700 W (NVIDIA H100 Tensor Core GPU data sheet, 2023)",
    );
    expect(lines).toContain(
      "Hardware   A100: NVIDIA A100 SXM4 40GB 400 W (NVIDIA A100 Tensor Core GPU data sheet, 2021)",
    );
    expect(
      lines.filter((l) =>
        l.startsWith('  H100, NVIDIA H100 SXM5 80GB: "H100" does not say which variant'),
      ),
    ).toHaveLength(1);
    const instances = await wattprint(
      "estimate",
      "--instance",
      "p5.48xlarge,p4d.24xlarge",
      "--region",
      "us-east-1",
      "--duration",
      "1h",
    );
    expect(instances.code).toBe(0);
    // Both rows are in us-east-1: its note once, not once per row.
    expect(instances.stdout.match(/^ {2}us-east-1: /gm)).toHaveLength(1);
  });

  it("names what the hardware resolved to when only locations are compared", async () => {
    const table = await wattprint(
      "estimate",
      "--hardware",
      "8x H100",
      "--duration",
      "3d",
      "--location",
      "FR,PL",
    );
    expect(table.code).toBe(0);
    const lines = table.stdout.split("\n");
    // Before: no line said what "H100" became, its power, source or the variant it chose.
    expect(lines).toContain(
      "Hardware   8x H100: 8x NVIDIA H100 SXM5 80GB 5.6 kW (NVIDIA H100 Tensor Core GPU data sheet, 2023)",
    );
    expect(
      lines.filter((l) => l.startsWith('  8x H100, NVIDIA H100 SXM5 80GB: "H100" does not say')),
    ).toHaveLength(1);
  });

  it("crosses locations with hardware alternatives", async () => {
    const json = reports(
      await wattprint(
        "estimate",
        "--hardware",
        "H100 SXM,A100 SXM 80GB",
        "--location",
        "FR,DE,PL",
        "--duration",
        "1h",
        "--json",
      ),
    );
    expect(json).toHaveLength(6);
    const carbon = json.map((r) => r.carbon.value);
    expect(carbon).toEqual([...carbon].sort((a, b) => a - b));
  });

  it("compares cloud regions for one instance, and instances in one region", async () => {
    const regions = reports(
      await wattprint(
        "estimate",
        "--instance",
        "p5.48xlarge",
        "--region",
        "us-east-1,eu-west-3",
        "--duration",
        "1d",
        "--json",
      ),
    );
    expect(regions.map((r) => r.intensity.zone)).toEqual(["FR", "US-MIDA-PJM"]);
    const table = await wattprint(
      "estimate",
      "--instance",
      "p5.48xlarge,p4d.24xlarge",
      "--region",
      "us-east-1",
      "--duration",
      "1d",
    );
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^hardware\s+zone/);
    expect(table.stdout).toMatch(/^p5\.48xlarge\s/m);
  });

  it("writes CSV with the JSON's unrounded numbers, one row per estimate", async () => {
    const args = ["estimate", "--watts", "300", "--duration", "1h", "--location", "PL,FR"];
    const csv = await wattprint(...args, "--csv");
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.stdout.trimEnd().split("\r\n");
    const columns = header?.split(",") ?? [];
    expect(columns).toContain("carbon_gco2eq");
    const json = reports(await wattprint(...args, "--json"));
    expect(rows).toHaveLength(2);
    rows.forEach((row, i) => {
      const cells = row.split(",");
      const cell = (name: string) => cells[columns.indexOf(name)];
      expect(Number(cell("carbon_gco2eq"))).toBe(json[i]?.carbon.value);
      expect(Number(cell("energy_kwh"))).toBe(json[i]?.energy.value);
      expect(cell("zone")).toBe(json[i]?.intensity.zone);
    });
  });

  it("names in the CSV what the hardware resolved to, its power and sources", async () => {
    // The hardware column is the name as typed: "H100" said neither variant nor power.
    const csv = await wattprint(
      "estimate",
      "--hardware",
      "8x H100",
      "--duration",
      "1h",
      "--location",
      "FR,PL",
      "--csv",
    );
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.stdout.trimEnd().split("\r\n");
    const columns = header?.split(",") ?? [];
    expect(columns.slice(-3)).toEqual([
      "hardware_resolved",
      "hardware_power_w",
      "hardware_sources",
    ]);
    for (const row of rows) {
      expect(row.split(",").slice(-3)).toEqual(["8x NVIDIA H100 SXM5 80GB", "5600", "nvidia-h100"]);
    }
  });

  it("names the cloud region a location that is a region id stands for, not near zone names", async () => {
    // It suggested "RU-AS, SE-SE1, ASEAN" for us-east-1.
    expectUsageError(
      await wattprint(...ONE_HOUR_OF_100_W, "--location", "us-east-1"),
      /unknown location "us-east-1": it is the cloud region id of Amazon Web Services's US East \(N\. Virginia\); give --cloud aws --region us-east-1 \(--location\)$/,
    );
    expectUsageError(
      await wattprint(...ONE_HOUR_OF_100_W, "--location", "Spian"),
      /unknown location "Spian"; did you mean Spain/,
    );
  });

  it("keeps a location whose name holds a comma whole", async () => {
    const json = report(
      await wattprint(
        ...ONE_HOUR_OF_100_W,
        "--location",
        "Bonaire, Sint Eustatius and Saba",
        "--json",
      ),
    );
    expect(json.intensity.source.note).toMatch(
      /no annual value for Bonaire, Sint Eustatius and Saba/,
    );
  });

  it.each([
    [
      ["--pue", "1", "--pue", "2"],
      /^wattprint estimate: --pue was given more than once; give it once$/,
    ],
    [["--duration", "2h"], /--duration was given more than once/],
    [["--json", "--json"], /--json was given more than once/],
    [["--location", "FR,fr"], /--location lists "fr" twice/],
    [["--location", "France,FR"], /--location lists "France" and "FR", the same place \(FR\)/],
    [["--location", "FR,,PL"], /has an empty item/],
    [["--json", "--csv"], /give --json or --csv, not both/],
    [["--location", "FR,Atlantis"], /unknown location "Atlantis"/],
    [["--live", "--intensity", "100"], /--live and --intensity contradict/],
    [["--machines", "2"], /--machines counts a --machine or --instance/],
    [["--count", "2"], /--count goes with --latency, --machine or --instance/],
    [["--location", "FR", "--region", "us-east-1"], /give --location or --region, not both/],
    [["--memory", "0"], /^wattprint estimate: --memory expects a number > 0 \(GB\), got "0"$/],
  ])("refuses %j with one line", async (extra, pattern) => {
    expectUsageError(await wattprint(...ONE_HOUR_OF_100_W, ...extra), pattern);
  });

  it.each([
    [
      ["--machine", "dgx-h100", "--utilisation", "0"],
      /--utilisation applies to --hardware and --watts only: a machine preset \(--machine\) is counted at rated power/,
    ],
    [
      ["--instance", "p5.48xlarge", "--utilisation", "50%"],
      /--utilisation applies to --hardware and --watts only: a cloud instance \(--instance\)/,
    ],
    [
      ["--machine", "dgx-h100", "--hardware", "H100 SXM", "--utilisation", "0.5"],
      /--utilisation applies to --hardware and --watts only/,
    ],
    [
      ["--machine", "dgx-h100", "--memory", "64"],
      /--memory applies to --hardware and --watts only: a machine preset \(--machine\) already counts its own memory/,
    ],
    [
      ["--instance", "p5.48xlarge", "--memory", "64GB"],
      /--memory applies to --hardware and --watts only/,
    ],
  ])("refuses a machine-level %j: it was ignored (or counted twice)", async (extra, pattern) => {
    // `--machine dgx-h100 --utilisation 0` gave the DGX's full power with exit 0.
    expectUsageError(await wattprint("estimate", ...extra, "--duration", "1h"), pattern);
  });

  it("still scales --hardware and --watts parts by --utilisation and adds --memory to them", async () => {
    const json = report(
      await wattprint(
        "estimate",
        "--watts",
        "200 W",
        "--utilisation",
        "50%",
        "--memory",
        "64 GB",
        "--duration",
        "1h",
        "--json",
      ),
    );
    expect(json.breakdown.map((row) => row.name)).toContain("64 GB memory");
    // A rated 200 W at half load: 10 % at idle, then linear, as a named part (20 + 180 x 0.5).
    expect(json.breakdown[0]?.power.value).toBe(110);
  });

  it("shows each row's PUE and each source when the rows differ in PUE", async () => {
    const args = ["estimate", "--instance", "p5.48xlarge,a3-highgpu-8g", "--duration", "1h"];
    const json = reports(await wattprint(...args, "--json"));
    const pues = json.map((r) => r.pue.value);
    expect(new Set(pues).size).toBe(2);
    const table = await wattprint(...args);
    expect(table.code).toBe(0);
    const lines = table.stdout.split("\n");
    expect(lines[0]).toMatch(/^hardware\s+zone\s+intensity\s+pue\s+energy/);
    json.forEach((r, i) => {
      // Rows are in the JSON's order (both sorted by carbon): each shows its own PUE.
      expect(lines[i + 2]).toMatch(new RegExp(`\\s${r.pue.value}\\s`));
      expect(table.stdout).toContain(`PUE        ${r.pue.value}  source: ${r.pue.source.title}`);
    });
    // The Work line no longer names one PUE for all.
    expect(table.stdout).toMatch(/^Work\s+1 h$/m);
  });

  it("keeps one PUE on the Work line when every row has the same", async () => {
    const table = await wattprint(...ONE_HOUR_OF_100_W, "--location", "PL,FR");
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).not.toMatch(/\bpue\b/);
    expect(table.stdout).toMatch(/^Work\s+1 h, PUE 1\.56 \(Uptime Institute/m);
  });

  it("names the flag behind a member the core refuses", async () => {
    expectUsageError(
      await wattprint(
        "estimate",
        "--hardware",
        "H100",
        "--latency",
        "1s",
        "--count",
        "99999999999999999999",
      ),
      /^wattprint estimate: count: .* \(--count\)$/,
    );
    expectUsageError(
      await wattprint("estimate", "--hardware", "x".repeat(201), "--duration", "1h"),
      /^wattprint estimate: hardware\.0\.name: .* \(--hardware\)$/,
    );
  });

  it("refuses more combinations than it will show", async () => {
    const many = Array.from({ length: 65 }, (_, i) => `${i + 1}x H100 SXM`).join(",");
    expectUsageError(
      await wattprint("estimate", "--hardware", many, "--duration", "1h"),
      /compares 65 combinations; at most 64/,
    );
  });
});

describe("wattprint estimate durations and spans", () => {
  it.each([
    ["1w", 604_800],
    ["2d12h", 216_000],
    ["3 days", 259_200],
    ["90min", 5_400],
  ])("reads --duration %s", async (duration, seconds) => {
    const json = report(
      await wattprint(
        "estimate",
        "--watts",
        "1000",
        "--duration",
        duration,
        "--pue",
        "1",
        "--json",
      ),
    );
    expect(json.itEnergy.value).toBeCloseTo(seconds / 3_600, 9);
  });

  it("reads --from and --to as a span, UTC unless an offset is given", async () => {
    const outcome = await wattprint(
      "estimate",
      "--watts",
      "1000",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-04T12:00",
      "--pue",
      "1",
    );
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(
      /^Work\s+3.5 d, 2026-03-01T00:00:00.000Z to 2026-03-04T12:00:00.000Z$/m,
    );
    const json = report(
      await wattprint(
        "estimate",
        "--watts",
        "1000",
        "--from",
        "2026-03-01T09:00+01:00",
        "--to",
        "2026-03-01T09:00Z",
        "--json",
      ),
    );
    expect(json.work).toEqual({ kind: "duration", duration: { value: 3_600, unit: "s" } });
  });

  it.each([
    [
      ["--from", "2026-03-04", "--to", "2026-03-01"],
      /ends .* before it starts .*swap --from and --to/,
    ],
    [
      ["--from", "2026-03-01", "--to", "next tuesday"],
      /^wattprint estimate: --to: "next tuesday" is not an ISO 8601 date/,
    ],
    [
      ["--from", "2026-02-30", "--to", "2026-03-01"],
      /--from: "2026-02-30" is not a date or time that exists/,
    ],
    [["--from", "2026-03-01"], /--from and --to go together/],
    [
      ["--from", "2026-03-01", "--to", "2026-03-02", "--duration", "1h"],
      /exactly one of --duration, --latency, or --from with --to/,
    ],
    [
      ["--duration", "2 months"],
      /"months" in "2 months" is not a time unit; use ms, s, min, h, d or w/,
    ],
  ])("refuses %j", async (args, pattern) => {
    expectUsageError(await wattprint("estimate", "--watts", "100", ...args), pattern);
  });
});

describe("wattprint estimate locations and data years", () => {
  it("refuses America as ambiguous, with the continents to choose from", async () => {
    expectUsageError(
      await wattprint(...ONE_HOUR_OF_100_W, "--location", "America"),
      /"America" spans North and South America.*name one of: North America, South America/,
    );
  });

  it("refuses a state served by several zones, listing them", async () => {
    expectUsageError(
      await wattprint(...ONE_HOUR_OF_100_W, "--location", "Arizona"),
      /"Arizona" is served by several balancing areas.*US-SW-AZPS/,
    );
  });

  it("picks a data year for zones, and lists the years there are", async () => {
    const json = report(
      await wattprint(
        ...ONE_HOUR_OF_100_W,
        "--location",
        "US-CAL-CISO",
        "--year",
        "2022",
        "--json",
      ),
    );
    expect(json.intensity).toMatchObject({ year: 2022, value: intensityOf("US-CAL-CISO", 2022) });
    expectUsageError(
      await wattprint(...ONE_HOUR_OF_100_W, "--year", "2019"),
      /no grid data for 2019; available: 2021, 2022, 2023, 2024, 2025/,
    );
  });
});

describe("wattprint estimate --live", () => {
  /** One hour of 1 kW at PUE 1: the carbon in grams is the intensity. */
  const liveJson = (location: string) =>
    [
      "estimate",
      "--watts",
      "1000",
      "--duration",
      "1h",
      "--pue",
      "1",
      "--location",
      location,
    ].concat(["--live", "--json"]);
  const ukPeriod = {
    data: [
      {
        from: "2026-03-01T12:00Z",
        to: "2026-03-01T12:30Z",
        intensity: { forecast: 130, actual: 127, index: "low" },
      },
    ],
  };

  it("uses the keyless UK provider for GB, on a local server", async () => {
    await withJsonServer(
      () => ({ status: 200, body: ukPeriod }),
      async (server) => {
        const outcome = await runInProcess(liveJson("GB"), {
          env: { UK_CARBON_INTENSITY_API_URL: server.baseUrl },
        });
        const json = report(outcome);
        expect(json.intensity).toMatchObject({ level: "live", value: 127, zone: "GB" });
        expect(json.carbon.value).toBeCloseTo(127, 9);
        expect(outcome.stderr).toBe("");
        expect(server.requests).toEqual(["/intensity"]);
      },
    );
  });

  it("asks Electricity Maps with the key when one is set", async () => {
    await withJsonServer(
      () => ({
        status: 200,
        body: {
          zone: "FR",
          carbonIntensity: 33,
          datetime: "2026-03-01T12:00:00.000Z",
          isEstimated: false,
        },
      }),
      async (server) => {
        const outcome = await runInProcess(liveJson("FR"), {
          env: { ELECTRICITYMAPS_API_KEY: "test-key", ELECTRICITYMAPS_API_URL: server.baseUrl },
        });
        expect(report(outcome).intensity).toMatchObject({ level: "live", value: 33 });
        expect(server.headers[0]?.["auth-token"]).toBe("test-key");
      },
    );
  });

  it("falls back to the embedded value with a warning when the provider fails", async () => {
    await withJsonServer(
      () => ({ status: 401, body: { error: "bad key" } }),
      async (server) => {
        const outcome = await runInProcess(
          [
            "estimate",
            "--watts",
            "1000",
            "--duration",
            "1h",
            "--location",
            "DE",
            "--live",
            "--json",
          ],
          { env: { ELECTRICITYMAPS_API_KEY: "wrong", ELECTRICITYMAPS_API_URL: server.baseUrl } },
        );
        expect(report(outcome).intensity).toMatchObject({
          level: "country",
          value: intensityOf("DE"),
        });
        // Under --json every stderr line is a JSON diagnostic; this warning is the only one.
        const lines = outcome.stderr.trimEnd().split("\n");
        expect(lines).toHaveLength(1);
        const warning = JSON.parse(lines[0] ?? "");
        expect(warning.kind).toBe("diagnostic");
        expect(warning.message).toMatch(
          /^wattprint estimate: warning: DE: live provider electricity-maps failed: HTTP 401.*embedded annual value used$/,
        );
      },
    );
  });

  it("says so when no configured provider covers the zone, without any request", async () => {
    const outcome = await runInProcess([...ONE_HOUR_OF_100_W, "--location", "FR", "--live"], {
      env: {},
    });
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(
      /warning: FR: live provider .* does not cover FR; embedded annual value used/,
    );
  });

  // Such a value was retried three times and ended in an exit-0 warning. The key is set only
  // where the value is bad too, so no case can reach the real service whatever the code does.
  it.each([
    ["ELECTRICITYMAPS_API_URL", "notaurl", { ELECTRICITYMAPS_API_KEY: "test-key" }],
    ["ELECTRICITYMAPS_API_URL", "", {}],
    ["UK_CARBON_INTENSITY_API_URL", "ftp://example.org/", {}],
    ["ENERGI_DATA_SERVICE_API_URL", "file:///etc/passwd", {}],
  ])(
    "refuses %s=%j as a usage error naming the variable and the value",
    async (name, value, key) => {
      const outcome = await runInProcess([...ONE_HOUR_OF_100_W, "--location", "DE", "--live"], {
        env: { ...key, [name]: value },
      });
      expect(outcome).toEqual({
        code: 2,
        stdout: "",
        stderr: `wattprint estimate: ${name} must be an http: or https: URL, got "${value}"\n`,
        interruptListeners: 0,
      });
    },
  );

  it("quotes only the start of a long bad *_API_URL", async () => {
    const value = `notaurl${"x".repeat(500)}`;
    const outcome = await runInProcess([...ONE_HOUR_OF_100_W, "--location", "DE", "--live"], {
      env: { ELECTRICITYMAPS_API_KEY: "test-key", ELECTRICITYMAPS_API_URL: value },
    });
    expectUsageError(
      outcome,
      /ELECTRICITYMAPS_API_URL must be an http: or https: URL, got "notaurl/,
    );
    const quotedValue = /got (".*")$/.exec(outcome.stderr.trimEnd())?.[1] ?? "";
    expect(quotedValue.length).toBeLessThanOrEqual(82);
  });
});

describe("--hardware counts, however the count is written", () => {
  /** IT energy of one hour: an H100 SXM draws 700 W, so each counted one is 0.7 kWh. */
  async function itKWh(hardware: string): Promise<number> {
    return report(await wattprint("estimate", "--hardware", hardware, "--duration", "1h", "--json"))
      .itEnergy.value;
  }

  it.each([
    "3x H100",
    "3 x H100",
    "3×H100",
    "3 × H100",
    "3*H100",
    "3 * H100",
    "H100 x3",
    "H100 ×3",
    // Bracketed: read as one H100 before, the brackets dropped by the lookup.
    "H100 (x3)",
    "H100 (3x)",
    "H100(×3)",
  ])("reads %j as three H100s", async (hardware) => {
    expect(await itKWh(hardware)).toBeCloseTo(2.1, 9);
  });

  it.each([
    ["4090 x3", 3],
    ["4090 x 3", 3],
    ["2 x 4090", 2],
    ["2x 4090", 2],
  ])("reads %j, a model number and a count, as that many RTX 4090s", async (hardware, count) => {
    const json = report(
      await wattprint("estimate", "--hardware", hardware, "--duration", "1h", "--json"),
    );
    expect(json.breakdown[0]?.count).toBe(count);
    expect(json.breakdown[0]?.name).toMatch(/RTX 4090/);
  });

  it.each(["7800X3D", "7950X", "5900X"])(
    "keeps %j, a name that starts with digits and an x, as one device",
    async (hardware) => {
      const json = report(
        await wattprint("estimate", "--hardware", hardware, "--duration", "1h", "--json"),
      );
      expect(json.breakdown[0]?.count).toBe(1);
      expect(json.breakdown[0]?.name).toContain(hardware);
    },
  );

  it.each([
    ["13th Gen Intel(R) Core(TM) i9-13900K", "Intel Core i9-13900K"],
    ["12th Gen Intel(R) Core(TM) i7-12700H", "Intel Core i7-12700H"],
  ])("reads %j, the name /proc/cpuinfo gives, as one %s", async (hardware, name) => {
    // "13th" was taken for a count, and the name refused.
    const json = report(
      await wattprint("estimate", "--hardware", hardware, "--duration", "1h", "--json"),
    );
    expect(json.breakdown[0]).toMatchObject({ count: 1, name });
  });

  it.each(["3090", "3090 Ti", "Jetson TX2", "RTX 3060"])(
    "keeps %j, whose number is part of its name, as one device",
    async (hardware) => {
      const json = report(
        await wattprint("estimate", "--hardware", hardware, "--duration", "1h", "--json"),
      );
      expect(json.breakdown[0]?.count).toBe(1);
    },
  );

  it.each([
    [
      "3 H100",
      /--hardware "3 H100" starts with "3", which is not part of the hardware's name; write a count as "N x NAME"/,
    ],
    ["2 RTX 3090", /--hardware "2 RTX 3090" starts with "2"/],
    [
      "2.5x H100",
      /--hardware "2\.5x H100" has a count that is not a whole number; write a count as "N x NAME"/,
    ],
    ["1e3x H100", /--hardware "1e3x H100" has a count that is not a whole number/],
    ["H100 x2.5", /--hardware "H100 x2\.5" has a count that is not a whole number/],
    [
      "H100x2",
      /--hardware "H100x2" ends in "x2", which is not part of a hardware name; write a count as/,
    ],
    ["0x H100", /--hardware "0x H100" has count 0, not a whole number 1\.\./],
    ["3", /--hardware "3" is a number alone, not a hardware name/],
    [
      "4090 x 3090",
      /--hardware "4090 x 3090" reads as 4090 × NVIDIA GeForce RTX 3090 or 3090 × NVIDIA GeForce RTX 4090/,
    ],
  ])("refuses %j, naming the form to use", async (hardware, message) => {
    expectUsageError(
      await wattprint("estimate", "--hardware", hardware, "--duration", "1h"),
      new RegExp(`^wattprint estimate: ${message.source}`),
    );
  });
});
