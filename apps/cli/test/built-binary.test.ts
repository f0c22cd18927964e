import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { estimateReportSchema } from "@wattprint/core";
import { describe, expect, it } from "vitest";
import { usage } from "../src/cli.ts";
import { wattprint as inProcess } from "./helpers/in-process.ts";
import { expectUsageError, type Outcome } from "./helpers/outcome.ts";
import { BIN, cleanEnv, SPAWN_TIMEOUT_MS, spawnBinary, waitUntil } from "./helpers/spawned.ts";

/*
 * A few runs of the built binary, as a user runs it: the shebang, dist's imports, the exit code
 * set through process.exitCode, real signals. Everything else is tested in-process. The test
 * script builds dist (with turbo, cached) before vitest runs, and the first two tests compare
 * the binary's output with the sources', so a stale dist fails here instead of passing quietly.
 */
const run = promisify(execFile);

async function spawned(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: cleanEnv(),
      timeout: SPAWN_TIMEOUT_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe.concurrent("the built wattprint binary", () => {
  it("answers --help with exit 0 and the usage of the sources", async () => {
    const outcome = await spawned("--help");
    expect(outcome).toEqual({ code: 0, stdout: usage(), stderr: "" });
  });

  it("prints the same estimate as the sources", async () => {
    const args = ["estimate", "--hardware", "NVIDIA A100 40GB PCIe", "--duration", "2h"];
    const outcome = await spawned(...args, "--location", "DE", "--json");
    expect(outcome.code).toBe(0);
    const report = estimateReportSchema.parse(JSON.parse(outcome.stdout));
    // 250 W x 2 h x PUE 1.56.
    expect(report.energy.value).toBeCloseTo(0.78, 12);
    const fromSources = await inProcess([...args, "--location", "DE", "--json"]);
    expect(outcome).toEqual({ code: fromSources.code, stdout: fromSources.stdout, stderr: "" });
  });

  it("ships its two bundles as ASCII, which Node reads as one-byte strings", async () => {
    // One non-ASCII character (a ® in a regular expression) made Node decode the 890 kB track
    // bundle to UTF-16 and V8 parse it as such: about 4 ms of the start-up (README).
    for (const file of ["../dist/main.js", "../dist/commands/track.cjs"]) {
      const bytes = await readFile(new URL(file, import.meta.url));
      const at = bytes.findIndex((byte) => byte > 0x7f);
      const context = at < 0 ? "" : bytes.subarray(Math.max(0, at - 40), at + 10).toString();
      expect({ file, at, context }).toEqual({ file, at: -1, context: "" });
    }
  });

  it("bundles zod/mini into track, never the classic zod", async () => {
    // Classic zod cost `track -- true` about 40 ms of its start (README, "zod/mini"); one
    // module on the track path importing "zod" instead of @wattprint/core/zod brings it back.
    const map = JSON.parse(
      await readFile(new URL("../dist/commands/track.cjs.map", import.meta.url), "utf8"),
    ) as { sources: string[] };
    const zod = map.sources.filter((source) => /[\\/]zod[\\/]/.test(source));
    expect(zod.some((source) => /[\\/]v4[\\/]mini[\\/]/.test(source))).toBe(true);
    expect(zod.filter((source) => /[\\/]v4[\\/]classic[\\/]/.test(source))).toEqual([]);
  });

  it("turns on Node's compile cache where Node has one (22.1 and later)", async () => {
    // Node 20 has no enableCompileCache: give it one that says it was called, before main.js.
    const preload = [
      'import Module from "node:module";',
      "Module.enableCompileCache = () =>",
      '  process.stderr.write("compile cache asked for\\n");',
    ].join("\n");
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(preload)}`, BIN, "--version"],
      { env: cleanEnv(), timeout: SPAWN_TIMEOUT_MS },
    );
    expect(stderr).toBe("compile cache asked for\n");
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("exits 2 with one line for a usage error", async () => {
    expectUsageError(
      await spawned("estimate", "--watts", "0x10", "--duration", "1h"),
      /^wattprint estimate: --watts expects a number >= 0, got "0x10"$/,
    );
  });

  it("stops hardware detect --watch on SIGINT with exit 0 and the energy so far", async () => {
    // Nothing to read on the fake roots: the CPU is modelled, which needs no driver.
    const watching = spawnBinary(["hardware", "detect", "--components", "cpu", "--watch", "0.2"]);
    let closedEarly = false;
    void watching.closed.then(() => {
      closedEarly = true;
    });
    await waitUntil(() => closedEarly || / s {2}cpu /.test(watching.output().stdout));
    watching.child.kill("SIGINT");
    const { code, stdout, stderr } = await watching.closed;
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/watching 1 device\(s\) every 200 ms; Ctrl-C stops/);
    expect(stdout).toMatch(/over [\d.]+ s:/);
    expect(stdout).toMatch(/^cpu\s+[\d.]+ J/m);
  });
});

/**
 * The built CLI as npm installs it alone: its dist and its dependencies, without the optional
 * `@wattprint/measure` (and its 290 MB onnxruntime-node). Resolution from the copy never
 * reaches this workspace's node_modules, which do have it.
 */
async function installedAlone(): Promise<{ bin: string; dispose(): Promise<void> }> {
  const cli = fileURLToPath(new URL("..", import.meta.url));
  const root = await mkdtemp(join(tmpdir(), "wattprint-cli-alone-"));
  const copy = join(root, "cli");
  await cp(join(cli, "dist"), join(copy, "dist"), { recursive: true });
  await cp(join(cli, "package.json"), join(copy, "package.json"));
  const manifest = JSON.parse(await readFile(join(cli, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies)) {
    const link = join(copy, "node_modules", name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(await realpath(join(cli, "node_modules", name)), link, "dir");
  }
  return {
    bin: join(copy, "dist", "main.js"),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

describe("the built wattprint binary without @wattprint/measure", () => {
  it("says what to install for measure, and still estimates", async () => {
    const alone = await installedAlone();
    const outcome = async (...args: string[]): Promise<Outcome> =>
      run(process.execPath, [alone.bin, ...args], { env: cleanEnv(), timeout: SPAWN_TIMEOUT_MS })
        .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
        .catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? -1,
          stdout: error.stdout ?? "",
          stderr: error.stderr ?? "",
        }));
    try {
      const measure = await outcome("measure", "model.onnx");
      expect(measure.code).toBe(1);
      expect(measure.stdout).toBe("");
      expect(measure.stderr).toMatch(
        /^wattprint measure needs @wattprint\/measure, which is not installed \(it runs ONNX models with onnxruntime-node.*ONNXRUNTIME_NODE_INSTALL=skip npm install --global @wattprint\/measure/,
      );
      expect(measure.stderr.trim().split("\n")).toHaveLength(1);
      const json = await outcome("measure", "model.onnx", "--json");
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stderr)).toMatchObject({
        kind: "missing-package",
        package: "@wattprint/measure",
      });
      const estimate = await outcome("estimate", "--watts", "300", "--duration", "1h", "--json");
      expect(estimate.code).toBe(0);
      expect(estimateReportSchema.parse(JSON.parse(estimate.stdout)).energy.value).toBeGreaterThan(
        0,
      );
    } finally {
      await alone.dispose();
    }
  });
});
