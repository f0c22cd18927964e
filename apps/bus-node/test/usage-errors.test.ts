import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { HELP } from "../src/options.ts";
import { serve } from "../src/serve.ts";

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `wattprint-node ...args` in-process, seeing exactly `env`; none of these runs gets as far as
 * a socket, and each has its own buffers, so runs share no state.
 */
async function node(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  let signalHandlers = 0;
  const code = await serve(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    onStopSignal: () => {
      signalHandlers++;
    },
  });
  // A refused start never gets as far as waiting for a signal.
  expect(signalHandlers).toBe(0);
  return { code, stdout, stderr };
}

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** The built binary, as an operator starts it (the test script builds dist first). */
async function spawned(args: string[]): Promise<Outcome> {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) {
    if (/^(SUSTAINML_|WATTPRINT_)/.test(name)) delete clean[name];
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: clean,
      timeout: 15_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function expectUsageError(outcome: Outcome, message: RegExp): void {
  expect(outcome.code).toBe(2);
  expect(outcome.stdout).toBe("");
  const lines = outcome.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  const [line = ""] = lines;
  expect(line.startsWith("wattprint-node: ")).toBe(true);
  expect(line.endsWith(" (see --help)")).toBe(true);
  expect(line.slice("wattprint-node: ".length, -" (see --help)".length)).toMatch(message);
}

describe("wattprint-node usage errors", () => {
  it.each([
    [
      ["--interface", "8.8.8.8"],
      {},
      /^--interface: no interface with address 8\.8\.8\.8 on this machine \(it has 127\.0\.0\.1/,
    ],
    [
      [],
      { WATTPRINT_INTERFACE: "8.8.8.8" },
      /^WATTPRINT_INTERFACE: no interface with address 8\.8\.8\.8/,
    ],
    [
      ["--interface", "999.999.999.999"],
      {},
      /^--interface expects the IPv4 address .*, got "999\.999\.999\.999"$/,
    ],
    [
      [],
      { SUSTAINML_DOMAIN_ID: "banana" },
      /^SUSTAINML_DOMAIN_ID expects an integer 0\.\.231, got "banana"$/,
    ],
    [
      [],
      { WATTPRINT_WARM_UP_TASKS: "" },
      /^WATTPRINT_WARM_UP_TASKS expects an integer 0\.\.1000000, got ""$/,
    ],
    [["--domain", ""], {}, /^--domain expects a value, got ""$/],
    [
      ["--mode", "measure", "--model-path-root", "/nonexistent/models"],
      {},
      /^--model-path-root: \/nonexistent\/models is not a folder$/,
    ],
    [
      ["--grid-ci", "0x10"],
      {},
      /^--grid-ci expects a number 0\.\.5000 \(gCO2eq\/kWh\), got "0x10"$/,
    ],
    // A value from the environment is blamed on its variable: the user typed no flag.
    [
      [],
      { WATTPRINT_MODE: "measure", WATTPRINT_MODEL_PATH_ROOT: "/nonexistent/models" },
      /^WATTPRINT_MODEL_PATH_ROOT: \/nonexistent\/models is not a folder$/,
    ],
    [[], { WATTPRINT_MODELS_DIR: "/nonexistent/models" }, /^WATTPRINT_MODELS_DIR: /],
  ])("exits 2 with one line for %j, env %j", async (args, env, message) => {
    expectUsageError(await node(args, env), message);
  });

  it("answers --help with exit 0 and the options", async () => {
    expect(await node(["--help"])).toEqual({ code: 0, stdout: HELP, stderr: "" });
  });
});

describe.concurrent("the built wattprint-node binary", () => {
  it("answers --help with exit 0 and the help of the sources", async () => {
    expect(await spawned(["--help"])).toEqual({ code: 0, stdout: HELP, stderr: "" });
  });

  it("answers --version with the version in its package.json", async () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(await spawned(["--version"])).toEqual({
      code: 0,
      stdout: `${manifest.version}\n`,
      stderr: "",
    });
  });

  it("exits 2 with one line for a bad flag", async () => {
    expectUsageError(
      await spawned(["--grid-ci", "0x10"]),
      /^--grid-ci expects a number 0\.\.5000 \(gCO2eq\/kWh\), got "0x10"$/,
    );
  });
});
