import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** The built binary, as an operator starts it; none of these runs gets as far as a socket. */
async function node(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) {
    if (/^(SUSTAINML_|WATTPRINT_)/.test(name)) delete clean[name];
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...clean, ...env },
      timeout: 15_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
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
    [["--grid-ci", "0x10"], {}, /^--grid-ci expects a number >= 0 \(gCO2eq\/kWh\), got "0x10"$/],
  ])("exits 2 with one line for %j, env %j", async (args, env, message) => {
    const outcome = await node(args, env);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe("");
    const lines = outcome.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const [line = ""] = lines;
    expect(line.startsWith("wattprint-node: ")).toBe(true);
    expect(line.endsWith(" (see --help)")).toBe(true);
    expect(line.slice("wattprint-node: ".length, -" (see --help)".length)).toMatch(message);
  });
});
