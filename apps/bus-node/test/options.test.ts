import { UsageError } from "@wattprint/node";
import { describe, expect, it } from "vitest";
import { parseNodeOptions } from "../src/options.ts";

function parse(argv: string[], env: Record<string, string> = {}) {
  const options = parseNodeOptions(argv, env);
  if (options === "help" || options === "version") throw new Error(`unexpected ${options}`);
  return options;
}

describe("wattprint-node options", () => {
  it("defaults to domain 0 on loopback, hours, PUE 1 and intensity by region", () => {
    const options = parse([]);
    expect(options).toMatchObject({
      domainId: 0,
      interfaceAddress: "127.0.0.1",
      logLevel: "info",
      maxPendingPerInput: 50,
    });
    expect(options.settings.latencyUnit).toBe("h");
    expect(options.settings.pue.value).toBe(1);
    expect(options.settings.gridIntensityOverride).toBeUndefined();
  });

  it("reads SustainML's environment; flags win", () => {
    const env = {
      SUSTAINML_DOMAIN_ID: "12",
      SUSTAINML_GRID_CI: "250",
      WATTPRINT_INTERFACE: "10.1.2.3",
    };
    expect(parse([], env)).toMatchObject({
      domainId: 12,
      interfaceAddress: "10.1.2.3",
      settings: { gridIntensityOverride: 250 },
    });
    expect(parse(["--domain", "3", "--grid-ci", "0"], env)).toMatchObject({
      domainId: 3,
      settings: {},
    });
    expect(
      parse(["--domain", "3", "--grid-ci", "0"], env).settings.gridIntensityOverride,
    ).toBeUndefined();
  });

  it("refuses a bad environment variable by name, as the CLI does (not SustainML's silent 0)", () => {
    for (const [variable, text, expected] of [
      ["SUSTAINML_DOMAIN_ID", "banana", "an integer 0..231"],
      ["SUSTAINML_DOMAIN_ID", "", "an integer 0..231"],
      ["SUSTAINML_DOMAIN_ID", "0x10", "an integer 0..231"],
      ["SUSTAINML_GRID_CI", "lots", "a number 0..5000 (gCO2eq/kWh)"],
      ["SUSTAINML_GRID_CI", "", "a number 0..5000 (gCO2eq/kWh)"],
      ["WATTPRINT_WARM_UP_TASKS", "Infinity", "an integer 0..1000000"],
      ["WATTPRINT_LOG_LEVEL", "chatty", "debug, info, warn or error"],
      ["WATTPRINT_LOG_LEVEL", "", "debug, info, warn or error"],
    ] as const) {
      expect(() => parseNodeOptions([], { [variable]: text })).toThrow(
        new UsageError(`${variable} expects ${expected}, got "${text}"`),
      );
    }
    expect(() => parseNodeOptions([], { WATTPRINT_INTERFACE: "eth0" })).toThrow(
      /^WATTPRINT_INTERFACE expects the IPv4 address of one of this machine's interfaces .*, got "eth0"$/,
    );
  });

  it("lets a valid flag override a bad variable: the flag is what the node uses", () => {
    expect(parse(["--domain", "4"], { SUSTAINML_DOMAIN_ID: "banana" }).domainId).toBe(4);
  });

  it("accepts the latency unit, PUE profiles and log level", () => {
    const options = parse([
      "--latency-unit",
      "ms",
      "--pue",
      "google",
      "--log-level",
      "debug",
      "--max-pending-age",
      "2",
    ]);
    expect(options).toMatchObject({
      logLevel: "debug",
      maxPendingAgeMs: 2000,
      settings: { latencyUnit: "ms", pue: { value: 1.1 } },
    });
  });

  it.each([
    [["--domain=-1"], /--domain expects an integer 0\.\.231/],
    [["--domain", "300"], /--domain/],
    // rtps opens no ports for 232 (its highest participant ids would pass 65535).
    [["--domain", "232"], '--domain expects an integer 0..231, got "232"'],
    [["--mode", "measure", "--max-runner-mib", "10"], /^--max-runner-mib expects .*256.*got "10"$/],
    // An idle runner alone holds about 100 MiB: 128 was accepted, and every model killed.
    [
      ["--mode", "measure", "--max-runner-mib", "128"],
      /^--max-runner-mib expects .*256.*got "128"$/,
    ],
    [["--domain", "0x10"], '--domain expects an integer 0..231, got "0x10"'],
    [["--domain", ""], '--domain expects a value, got ""'],
    [["--interface", "eth0"], /IPv4 address/],
    [
      ["--interface", "999.999.999.999"],
      /--interface expects the IPv4 address .*"999\.999\.999\.999"$/,
    ],
    [["--interface="], '--interface expects a value, got ""'],
    [["--latency-unit", "days"], /h, s or ms/],
    [["--pue", "0.5"], /PUE must be a number >= 1/],
    [["--grid-ci", "lots"], /--grid-ci expects a number 0\.\.5000 \(gCO2eq\/kWh\)/],
    [["--grid-ci", "0x10"], '--grid-ci expects a number 0..5000 (gCO2eq/kWh), got "0x10"'],
    [["--max-pending", "0"], /--max-pending expects an integer 1\.\.100000/],
    [["--max-pending-age", "0"], '--max-pending-age expects a number 1..604800 (seconds), got "0"'],
    [
      ["--max-pending-age", "0.5"],
      '--max-pending-age expects a number 1..604800 (seconds), got "0.5"',
    ],
    [
      ["--max-pending-age", "1e-9"],
      '--max-pending-age expects a number 1..604800 (seconds), got "1e-9"',
    ],
    [
      ["--max-pending-age", "1e400"],
      '--max-pending-age expects a number 1..604800 (seconds), got "1e400" (out of range)',
    ],
    [
      ["--grid-ci", "1e-400"],
      '--grid-ci expects a number 0..5000 (gCO2eq/kWh), got "1e-400" (out of range)',
    ],
    [["--pue", ""], '--pue expects a value, got ""'],
    [["--pue", "0x2"], /PUE "0x2" is neither a number nor one of/],
    [["serve"], 'unexpected argument "serve"'],
    [["--log-level", "chatty"], /--log-level/],
    [["--colour", "red"], /Unknown option '--colour'/],
  ])("rejects %j with a clear message", (argv, message) => {
    expect(() => parseNodeOptions(argv, {})).toThrow(UsageError);
    expect(() => parseNodeOptions(argv, {})).toThrow(message);
  });

  it("reads numbers with an exponent and names where the interface came from", () => {
    expect(parse(["--warm-up-tasks", "1e3", "--grid-ci", "2.5e2"])).toMatchObject({
      warmUpTasks: 1000,
      settings: { gridIntensityOverride: 250 },
    });
    expect(parse([]).interfaceFrom).toBe("default");
    expect(parse([], { WATTPRINT_INTERFACE: "10.0.0.1" }).interfaceFrom).toBe(
      "WATTPRINT_INTERFACE",
    );
    expect(parse(["--interface", "10.0.0.1"]).interfaceFrom).toBe("--interface");
  });

  it("warms up with 3000 tasks unless told otherwise; 0 turns it off; garbage is refused", () => {
    expect(parse([]).warmUpTasks).toBe(3000);
    expect(parse([], { WATTPRINT_WARM_UP_TASKS: "500" }).warmUpTasks).toBe(500);
    expect(parse(["--warm-up-tasks", "0"], { WATTPRINT_WARM_UP_TASKS: "500" }).warmUpTasks).toBe(0);
    expect(() => parse(["--warm-up-tasks", "-1"])).toThrow(UsageError);
    expect(() => parse(["--warm-up-tasks", "many"])).toThrow(
      '--warm-up-tasks expects an integer 0..1000000, got "many"',
    );
  });

  it("answers --help", () => {
    expect(parseNodeOptions(["--help"], {})).toBe("help");
  });

  it("answers --version and -V", () => {
    expect(parseNodeOptions(["--version"], {})).toBe("version");
    expect(parseNodeOptions(["-V"], {})).toBe("version");
  });

  it("suggests the flag a typo was meant as", () => {
    expect(() => parseNodeOptions(["--domian", "3"], {})).toThrow(
      "Unknown option '--domian'; did you mean --domain?",
    );
  });

  it("passes peer limits through: an allowlist, peer and endpoint counts, a lease in seconds", () => {
    expect(parse([]).peerLimits).toEqual({});
    const argv = ["--allow-peers", "127.0.0.1, 10.0.0.0/8,", "--max-peers", "16"];
    argv.push("--max-peer-endpoints", "64", "--max-peer-lease", "30");
    expect(parse(argv).peerLimits).toEqual({
      allowedPeers: ["127.0.0.1", "10.0.0.0/8"],
      maxRemoteParticipants: 16,
      maxEndpointsPerParticipant: 64,
      maxRemoteLeaseMs: 30_000,
    });
    expect(() => parse(["--allow-peers", "10.0.0.0/40"])).toThrow(
      /--allow-peers: "10\.0\.0\.0\/40" is not an IPv4 address/,
    );
    expect(() => parse(["--allow-peers", ","])).toThrow(/--allow-peers: the list is empty/);
    expect(() => parse(["--max-peers", "0"])).toThrow(
      /--max-peers expects an integer 1\.\.1000000/,
    );
    expect(() => parse(["--max-peer-lease", "0"])).toThrow(
      '--max-peer-lease expects a number 1..86400 (seconds), got "0"',
    );
    expect(() => parse(["--max-peer-lease", "1e-9"])).toThrow(
      '--max-peer-lease expects a number 1..86400 (seconds), got "1e-9"',
    );
    expect(() => parse(["--max-peers", ""])).toThrow(/--max-peers/);
    expect(parse([]).nodeCommands).toBe("accept");
    expect(parse(["--node-commands", "ignore"]).nodeCommands).toBe("ignore");
    expect(parse([], { WATTPRINT_NODE_COMMANDS: "ignore" }).nodeCommands).toBe("ignore");
    expect(() => parse(["--node-commands", "some"])).toThrow(
      '--node-commands expects accept or ignore, got "some"',
    );
    // From the environment, the variable is named: the user typed no flag.
    expect(() => parse([], { WATTPRINT_NODE_COMMANDS: "maybe" })).toThrow(
      'WATTPRINT_NODE_COMMANDS expects accept or ignore, got "maybe"',
    );
    expect(() => parse([], { WATTPRINT_CONFIGURATION: "maybe" })).toThrow(
      'WATTPRINT_CONFIGURATION expects accept or ignore, got "maybe"',
    );
    expect(() => parse([], { WATTPRINT_MODE: "xx" })).toThrow(
      'WATTPRINT_MODE expects estimate, measure, auto, got "xx"',
    );
    expect(parse([]).configuration).toBe("accept");
    expect(parse(["--configuration", "ignore"]).configuration).toBe("ignore");
    expect(parse([], { WATTPRINT_CONFIGURATION: "ignore" }).configuration).toBe("ignore");
    expect(() => parse(["--configuration", "some"])).toThrow(
      '--configuration expects accept or ignore, got "some"',
    );
    // Every grid sits under about 1,000 gCO2eq/kWh; a figure past the cap is a mistake.
    expect(parse(["--grid-ci", "5000"]).settings.gridIntensityOverride).toBe(5000);
    expect(() => parse(["--grid-ci", "1e308"])).toThrow(/--grid-ci expects a number 0\.\.5000/);
    expect(() => parse([], { SUSTAINML_GRID_CI: "5001" })).toThrow(/SUSTAINML_GRID_CI/);
    expect(parse(["--max-sample-size", "1048576"]).peerLimits).toEqual({
      maxSampleSize: 1_048_576,
    });
    expect(() => parse(["--max-sample-size", "512"])).toThrow(
      /--max-sample-size expects an integer 1024\.\.67108864/,
    );
  });
});

describe("wattprint-node measure options", () => {
  it("defaults to auto with a 1 s window and no measurer", () => {
    const options = parse([]);
    expect(options.settings).toMatchObject({ mode: "auto", measureSeconds: 1 });
    expect(options.measure).toBeUndefined();
  });

  it("wires a measurer for a models folder (flag or variable) or measure mode", () => {
    expect(parse(["--models-dir", "/srv/models"]).measure).toEqual({
      modelsDir: "/srv/models",
      modelsDirFrom: "--models-dir",
      maxModels: 4,
    });
    expect(parse([], { WATTPRINT_MODELS_DIR: "/m" }).measure).toMatchObject({
      modelsDir: "/m",
      modelsDirFrom: "WATTPRINT_MODELS_DIR",
    });
    expect(
      parse(["--mode", "measure", "--model-path-root", "/srv/shared"]).measure?.modelPathRoot,
    ).toBe("/srv/shared");
    expect(
      parse(["--mode", "measure"], { WATTPRINT_MODEL_PATH_ROOT: "/r" }).measure?.modelPathRoot,
    ).toBe("/r");
    expect(
      parse(["--mode", "measure", "--sim-cpu-watts", "65", "--max-models", "2"]).measure,
    ).toEqual({ maxModels: 2, simCpuWatts: 65 });
    expect(parse(["--mode", "measure", "--max-runner-mib", "512"]).measure).toEqual({
      maxModels: 4,
      maxRunnerBytes: 512 * 1024 * 1024,
    });
    expect(
      parse([], { WATTPRINT_MODE: "estimate", CT_TARGET_SECONDS: "2.5" }).settings,
    ).toMatchObject({
      mode: "estimate",
      measureSeconds: 2.5,
    });
    expect(
      parse(["--measure-seconds", "0.5"], { CT_TARGET_SECONDS: "9" }).settings.measureSeconds,
    ).toBe(0.5);
  });

  it("refuses a bad mode, window or simulated device without a measurer", () => {
    expect(() => parseNodeOptions(["--mode", "sometimes"], {})).toThrow(
      new UsageError('--mode expects estimate, measure, auto, got "sometimes"'),
    );
    expect(() => parseNodeOptions([], { CT_TARGET_SECONDS: "0" })).toThrow(
      new UsageError('CT_TARGET_SECONDS expects a number > 0 and <= 300 (seconds), got "0"'),
    );
    expect(() => parseNodeOptions(["--sim-gpu-watts", "300"], {})).toThrow(
      /^--sim-cpu-watts and --sim-gpu-watts: only with --models-dir or --mode measure/,
    );
    // Taken and then dropped in silence before: no measurer, so no model is ever run.
    expect(() =>
      parseNodeOptions(["--model-path-root", "/srv/models", "--max-models", "2"], {}),
    ).toThrow(
      new UsageError(
        "--model-path-root, --max-models: only with --models-dir or --mode measure (without either, the node runs no model)",
      ),
    );
    expect(() => parseNodeOptions(["--max-runner-mib", "512"], {})).toThrow(
      /^--max-runner-mib: only with/,
    );
    expect(() => parseNodeOptions([], { WATTPRINT_MODEL_PATH_ROOT: "/srv/models" })).toThrow(
      /^WATTPRINT_MODEL_PATH_ROOT: only with/,
    );
    expect(
      parse(["--mode", "measure", "--model-path-root", "/srv/models"]).measure?.modelPathRoot,
    ).toBe("/srv/models");
    // In auto mode (the default) a model_path is never run: the root was taken and ignored.
    expect(() =>
      parseNodeOptions(["--models-dir", "/srv/models", "--model-path-root", "/srv/shared"], {}),
    ).toThrow(
      /^--model-path-root: only with --mode measure \(in auto mode a model_path is never run/,
    );
    expect(() =>
      parseNodeOptions(["--models-dir", "/srv/models"], { WATTPRINT_MODEL_PATH_ROOT: "/srv/x" }),
    ).toThrow(/^WATTPRINT_MODEL_PATH_ROOT: only with --mode measure/);
    expect(() => parseNodeOptions(["--models-dir", " "], {})).toThrow(
      /--models-dir expects a value/,
    );
  });
});
