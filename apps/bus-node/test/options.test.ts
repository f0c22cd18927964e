import { describe, expect, it } from "vitest";
import { OptionsError, parseNodeOptions } from "../src/options.ts";

function parse(argv: string[], env: Record<string, string> = {}) {
  const options = parseNodeOptions(argv, env);
  if (options === "help") throw new Error("unexpected help");
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

  it("falls back to domain 0 on a garbage SUSTAINML_DOMAIN_ID, as SustainML does, and says so", () => {
    const options = parse([], { SUSTAINML_DOMAIN_ID: "banana" });
    expect(options.domainId).toBe(0);
    expect(options.notes[0]).toMatch(/SUSTAINML_DOMAIN_ID="banana"/);
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
    [["--domain=-1"], /--domain expects an integer 0\.\.232/],
    [["--domain", "300"], /--domain/],
    [["--interface", "eth0"], /IPv4 address/],
    [["--latency-unit", "days"], /h, s or ms/],
    [["--pue", "0.5"], /PUE must be a number >= 1/],
    [["--grid-ci", "lots"], /--grid-ci expects a non-negative/],
    [["--max-pending", "0"], /--max-pending expects an integer >= 1/],
    [["--log-level", "chatty"], /--log-level/],
    [["--colour", "red"], /Unknown option '--colour'/],
  ])("rejects %j with a clear message", (argv, message) => {
    expect(() => parseNodeOptions(argv, {})).toThrow(OptionsError);
    expect(() => parseNodeOptions(argv, {})).toThrow(message);
  });

  it("warms up with 3000 tasks unless told otherwise; 0 turns it off; garbage is refused", () => {
    expect(parse([]).warmUpTasks).toBe(3000);
    expect(parse([], { WATTPRINT_WARM_UP_TASKS: "500" }).warmUpTasks).toBe(500);
    expect(parse(["--warm-up-tasks", "0"], { WATTPRINT_WARM_UP_TASKS: "500" }).warmUpTasks).toBe(0);
    expect(() => parse(["--warm-up-tasks", "-1"])).toThrow(OptionsError);
    expect(() => parse(["--warm-up-tasks", "many"])).toThrow(
      '--warm-up-tasks expects an integer 0..1000000, got "many"',
    );
  });

  it("answers --help", () => {
    expect(parseNodeOptions(["--help"], {})).toBe("help");
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
    expect(() => parse(["--max-peers", "0"])).toThrow(/--max-peers expects an integer >= 1/);
    expect(() => parse(["--max-peer-lease", "0"])).toThrow(/--max-peer-lease expects seconds/);
  });
});
