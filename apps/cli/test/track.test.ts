import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllLogs } from "@wattprint/logs";
import { trackerResultSchema } from "@wattprint/tracker";
import { afterAll, describe, expect, it } from "vitest";
import type { ForwardedSignal } from "../src/io.ts";
import { type InProcessOptions, wattprint } from "./helpers/in-process.ts";
import { expectOneLineError, expectUsageError } from "./helpers/outcome.ts";
import {
  NO_READERS_ENV,
  readyThenWait,
  simulatedTo,
  waitForReady,
  waitUntil,
} from "./helpers/spawned.ts";

/*
 * `wattprint track` in-process (runCli) around real child processes. The power readers look
 * at trees that do not exist, so the CPU is modelled (or simulated with --sim-cpu) on any
 * machine, as on one without RAPL or a GPU.
 */
const root = mkdtempSync(join(tmpdir(), "wattprint-track-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `run-${++dirs}`);

const ENV = { PATH: process.env.PATH, ...NO_READERS_ENV };
/** A simulated run long enough for a few status lines, ten a second. */
const STATUS_RUN = [
  ...["--sim-cpu", "10", "--no-logs", "--status-every", "0.1s"],
  ...["--", process.execPath, "-e", "setTimeout(() => {}, 800)"],
];
const NODE = process.execPath;

function track(args: readonly string[], options: InProcessOptions = {}) {
  return wattprint(["track", ...args], { env: ENV, ...options });
}

/** The log pairs in `dir`, through @wattprint/logs' parser (carbontracker's format). */
async function parsedLogs(dir: string) {
  const parsed = await parseAllLogs(dir);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.logs;
}

describe.concurrent("wattprint track", () => {
  it("exits with the command's own code and writes the logs", async () => {
    const logDir = freshDir();
    const outcome = await track([...simulatedTo(logDir), "--", NODE, "-e", "process.exit(3)"]);
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toMatch(/the command exited 3 after/);
    expect(outcome.stderr).toMatch(/cpu .* simulated/);
    expect(outcome.interruptListeners).toBe(0);
    const logs = await parsedLogs(logDir);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.actual).not.toBeNull();
  });

  it("names no data year for a typed --intensity, in the summary or the JSON", async () => {
    // The summary said "(…, override, undefined; …)" once an override had no year, and the
    // year the run was made before that.
    const args = ["--sim-cpu", "10", "--no-logs", "--intensity", "100", "--", "true"];
    const text = await track(args);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/at 100 gCO2eq\/kWh \(user-supplied value, override; /);
    expect(text.stderr).not.toMatch(/undefined/);
    const json = await track(["--json", ...args]);
    const result = trackerResultSchema.parse(JSON.parse(json.stdout));
    expect(result.intensity.level).toBe("override");
    expect(result.intensity).not.toHaveProperty("year");
  });

  it("says where the PUE in the summary came from", async () => {
    // It said only "(PUE 1.1)": every other figure in the line names its source.
    const named = await track(["--sim-cpu", "10", "--no-logs", "--pue", "google", "--", "true"]);
    expect(named.code).toBe(0);
    expect(named.stderr).toMatch(/\(PUE 1\.1; Google \d{4} Environmental Report [^)]*\)+, /);
    const typed = await track(["--sim-cpu", "10", "--no-logs", "--pue", "1.2", "--", "true"]);
    expect(typed.stderr).toMatch(/\(PUE 1\.2; supplied by the user \(PUE\)\), /);
  });

  it("leaves a --json after the command to the command, and its own output text", async () => {
    const outcome = await track(["--sim-cpu", "10", "--no-logs", "true", "--json"]);
    expect(outcome.code).toBe(0);
    // wattprint's own lines stay text (they were {"kind":"diagnostic",...} lines), and no
    // result JSON goes to stdout.
    expect(outcome.stderr).toMatch(/the command exited 0 after/);
    expect(outcome.stderr).not.toMatch(/"kind":"diagnostic"/);
    expect(outcome.stdout).toBe("");
  });

  it("prints a result that validates against the tracker's schema with --json", async () => {
    const logDir = freshDir();
    const outcome = await track([
      "--sim-cpu",
      "10",
      "--sim-gpu",
      "100",
      "--log-dir",
      logDir,
      "--location",
      "DE",
      "--pue",
      "1.2",
      "--json",
      "--",
      NODE,
      "-e",
      "setTimeout(() => {}, 300)",
    ]);
    expect(outcome.code).toBe(0);
    const result = trackerResultSchema.parse(JSON.parse(outcome.stdout));
    expect(result.kind).toBe("actual");
    expect(result.basis).toBe("simulated");
    expect(result.components.map((c) => c.component).sort()).toEqual(["cpu", "gpu"]);
    expect(result.pue.value).toBe(1.2);
    expect(result.intensity.zone).toBe("DE");
    expect(result.logs).not.toBeNull();
    // 110 W for at least the 0.3 s the command ran.
    expect(result.energy.itJ).toBeGreaterThan(0);
  });

  it("meters the modelled CPU where nothing can be measured, and says so", async () => {
    const outcome = await track(["--no-logs", "--components", "cpu", "--json", "--", "true"]);
    expect(outcome.code).toBe(0);
    const result = trackerResultSchema.parse(JSON.parse(outcome.stdout));
    expect(result.logs).toBeNull();
    expect(result.components[0]?.basis).toBe("modelled");
    expect(outcome.stderr).toMatch(/cpu .* modelled \(model:cpu, (low|high) confidence/);
  });

  it("writes plain periodic status lines where stderr is not a terminal", async () => {
    const outcome = await track(STATUS_RUN);
    expect(outcome.code).toBe(0);
    const lines = outcome.stderr.split("\n").filter((l) => l.startsWith("wattprint track: 0:"));
    expect(lines.length).toBeGreaterThan(0);
    // Power at the latest sample with its basis, then energy (with PUE) and CO2 so far.
    for (const line of lines) {
      expect(line).toMatch(
        /^wattprint track: 0:00:0\d {2}cpu 10 W simulated {2}[\d.e-]+ Wh {2}[\d.e-]+ gCO2eq$/,
      );
    }
    expect(outcome.stderr).not.toContain("\r");
    expect(outcome.stderr).not.toContain("\u001b");
  });

  it("redraws one status line in place on a terminal, in colour unless NO_COLOR is set", async () => {
    const coloured = await track(STATUS_RUN, { terminalColumns: 80 });
    expect(coloured.stderr).toContain("\r\u001b[2Kwattprint ");
    expect(coloured.stderr).toContain("\u001b[1m0:00:0");
    const plain = await track(STATUS_RUN, { terminalColumns: 80, env: { ...ENV, NO_COLOR: "1" } });
    expect(plain.stderr).toContain("\r\u001b[2Kwattprint 0:00:0");
    expect(plain.stderr).not.toContain("\u001b[1m");
  });

  it("gives the command every word after --, flags included", async () => {
    const probe = ["sh", "-c", '[ "$*" = "--json --quiet" ] && exit 5 || exit 6', "sh"];
    const outcome = await track([
      "--sim-cpu",
      "1",
      "--no-logs",
      "--quiet",
      "--",
      ...probe,
      "--json",
      "--quiet",
    ]);
    expect(outcome).toMatchObject({ code: 5, stdout: "" });
    // Without --, our options end at the command's name.
    const bare = await track([
      "--sim-cpu",
      "1",
      "--no-logs",
      "--quiet",
      ...probe,
      "--json",
      "--quiet",
    ]);
    expect(bare).toMatchObject({ code: 5, stdout: "" });
  });

  it("forwards SIGTERM and SIGINT to the command and still writes the results", async () => {
    for (const [signal, code] of [
      ["SIGTERM", 143],
      ["SIGINT", 130],
    ] as const) {
      const logDir = freshDir();
      const ready = join(logDir, "..", `ready-${signal}-${dirs}`);
      let send: ((name: ForwardedSignal) => void) | undefined;
      const running = track(
        [...simulatedTo(logDir), "--status-every", "0.1s", "--", NODE, "-e", readyThenWait(ready)],
        {
          onStderr: (_text, signalFn) => {
            send = signalFn;
          },
        },
      );
      // `send` is set by the first status line, `ready` by the command as it starts.
      await waitForReady(ready);
      await waitUntil(() => send !== undefined);
      send?.(signal);
      const outcome = await running;
      expect(outcome.code).toBe(code);
      expect(outcome.interruptListeners).toBe(0);
      expect(await parsedLogs(logDir)).toHaveLength(1);
    }
  });

  it("runs nothing when a signal comes while the tracker opens, and exits 128 + N", async () => {
    const ran = join(root, `ran-${++dirs}`);
    let sent = false;
    // The tracker's first words (no location: the world-average warning) come while it opens.
    const outcome = await track(
      [
        "--sim-cpu",
        "10",
        "--no-logs",
        "--",
        NODE,
        "-e",
        `require("fs").writeFileSync(${JSON.stringify(ran)}, "")`,
      ],
      {
        onStderr: (_text, signal) => {
          if (!sent) signal("SIGTERM");
          sent = true;
        },
      },
    );
    expect(outcome.code).toBe(143);
    expect(outcome.stderr).toMatch(
      /^wattprint track: SIGTERM before the command started; it was not run$/m,
    );
    expect(existsSync(ran)).toBe(false);
    expect(outcome.interruptListeners).toBe(0);
  });

  it("says a signal while the tracker opens as its own failure under --json", async () => {
    let sent = false;
    const outcome = await track(["--sim-cpu", "10", "--no-logs", "--json", "--", "true"], {
      onStderr: (_text, signal) => {
        if (!sent) signal("SIGINT");
        sent = true;
      },
    });
    expect(outcome.code).toBe(130);
    const lines = outcome.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    // The warnings before it stay diagnostics; the line that ends the command has its kind.
    expect(lines.at(-1)).toEqual({
      kind: "interrupted",
      message: "wattprint track: SIGINT before the command started; it was not run",
      signal: "SIGINT",
    });
    expect(outcome.stdout).toBe("");
  });

  it("says 127 for a command that is not found, and runs nothing", async () => {
    const logDir = freshDir();
    const outcome = await track(["--log-dir", logDir, "--", "wattprint-no-such-command", "--flag"]);
    expectOneLineError(
      outcome,
      127,
      /^wattprint track: wattprint-no-such-command: command not found$/,
    );
    expect(existsSync(logDir)).toBe(false);
  });

  it("says 126 for a file that is not executable", async () => {
    const file = join(root, "not-executable.sh");
    writeFileSync(file, "#!/bin/sh\n");
    chmodSync(file, 0o644);
    expectOneLineError(
      await track(["--no-logs", "--", file]),
      126,
      /^wattprint track: .*not-executable\.sh: permission denied$/,
    );
  });

  it.each([
    [[], /^wattprint track: no command to run; usage: wattprint track \[options\] -- <command>/],
    [
      ["--interval", "0", "--", "true"],
      /^wattprint track: --interval interval must be between 10ms and 1h, got "0"$/,
    ],
    [
      ["--interval", "soon", "--", "true"],
      /^wattprint track: --interval takes an interval such as 2s or 500ms/,
    ],
    [
      ["--sim-cpu=-3", "--", "true"],
      /^wattprint track: --sim-cpu expects a number 0\.\.100000 \(watts\), got "-3"$/,
    ],
    [["--sim-gpu", "lots", "--", "true"], /^wattprint track: --sim-gpu expects a number/],
    [
      ["--components", "tpu", "--", "true"],
      /^wattprint track: --components takes all, cpu, gpu or gpu,cpu; got "tpu"$/,
    ],
    [
      ["--pue", "0.5", "--", "true"],
      /^wattprint track: --pue expects a number 1\.\.5, got "0\.5"$/,
    ],
    [["--intensity=-1", "--", "true"], /^wattprint track: --intensity expects a number >= 0/],
    [
      ["--no-logs", "--log-dir", "x", "--", "true"],
      /^wattprint track: --no-logs and --log-dir contradict each other$/,
    ],
    [["--bogus", "--", "true"], /^wattprint track: Unknown option '--bogus'$/],
    [
      ["--no-logs", "--location", "Nowhere", "--", "true"],
      /^wattprint track: unknown location "Nowhere".* \(--location\)$/,
    ],
  ])("refuses %j with one line naming the flag (exit 2)", async (args, pattern) => {
    expectUsageError(await track(args as string[]), pattern);
  });

  it("says why --log-dir cannot be made, and the fix, not Node's errno text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wattprint-track-logdir-"));
    try {
      const file = join(dir, "file");
      writeFileSync(file, "x");
      const outcome = await track(["--log-dir", join(file, "logs"), "--", "true"]);
      expectOneLineError(
        outcome,
        125,
        /--log-dir "\S+logs" cannot be created: a part of the path is a file, not a folder: check the path \(or --no-logs\)$/,
      );
      expect(outcome.stderr).not.toMatch(/ENOTDIR|mkdir/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a WATTPRINT_LOCATION that names no grid, saying where it came from (exit 2)", async () => {
    expectUsageError(
      await track(["--no-logs", "--", "true"], { env: { ...ENV, WATTPRINT_LOCATION: "Nowhere" } }),
      /^wattprint track: unknown location "Nowhere".* \(from WATTPRINT_LOCATION\)$/,
    );
  });

  it("shows a small --intensity with its significant digits, not as 0.0", async () => {
    // toFixed(1) printed `at 0.0 gCO2eq/kWh` beside a CO2 that was not zero.
    const outcome = await track([
      "--sim-cpu",
      "10",
      "--no-logs",
      "--intensity",
      "0.00004",
      "--",
      "true",
    ]);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(/ at 4e-5 gCO2eq\/kWh \(user-supplied value/);
  });

  it("gives the same h:mm:ss in the summary as in the consumption block's Time:", async () => {
    // About 1.6 s: the block rounds it to 0:00:02, and the summary once floored it to 0:00:01.
    const args = ["--sim-cpu", "10", "--no-logs", "--", NODE, "-e", "setTimeout(() => {}, 1600)"];
    const outcome = await track(args);
    expect(outcome.code).toBe(0);
    const block = /\tTime:\t(\S+)\n/.exec(outcome.stderr)?.[1];
    const summary = /the command exited 0 after (\S+) \(/.exec(outcome.stderr)?.[1];
    expect(block).toMatch(/^0:00:0\d$/);
    expect(summary).toBe(block);
  });

  it("writes --json-file whole, replacing a regular file, and leaves no temp file", async () => {
    const folder = freshDir();
    mkdirSync(folder);
    const target = join(folder, "result.json");
    writeFileSync(target, "an older run\n");
    const outcome = await track([
      "--sim-cpu",
      "10",
      "--no-logs",
      "--json-file",
      target,
      "--",
      "true",
    ]);
    expect(outcome.code).toBe(0);
    // Nothing on stdout: the file is the result's only copy unless --json is given too.
    expect(outcome.stdout).toBe("");
    const text = readFileSync(target, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(trackerResultSchema.parse(JSON.parse(text)).kind).toBe("actual");
    expect(readdirSync(folder)).toEqual(["result.json"]);
  });

  it("refuses a --json-file that is not a regular file before running the command", async () => {
    const folder = freshDir();
    mkdirSync(join(folder, "a-folder"), { recursive: true });
    writeFileSync(join(folder, "real.json"), "");
    symlinkSync(join(folder, "real.json"), join(folder, "link.json"));
    const ran = join(folder, "ran");
    const probe = [NODE, "-e", `require("node:fs").writeFileSync(${JSON.stringify(ran)}, "")`];
    const cases: [string, RegExp][] = [
      [
        join(folder, "a-folder"),
        /--json-file ".*a-folder" is a directory; give a regular file or a new name$/,
      ],
      [
        join(folder, "link.json"),
        /--json-file ".*link\.json" is a symbolic link; give a regular file/,
      ],
      [
        join(folder, "none", "r.json"),
        /--json-file ".*r\.json": its folder ".*none" does not exist$/,
      ],
    ];
    for (const [target, pattern] of cases) {
      const outcome = await track([
        "--no-logs",
        "--sim-cpu",
        "10",
        "--json-file",
        target,
        "--",
        ...probe,
      ]);
      expectUsageError(outcome, new RegExp(`^wattprint track: ${pattern.source}`));
    }
    expect(existsSync(ran)).toBe(false);
  });

  it("refuses a missing command under --json as one JSON usage error (exit 2)", async () => {
    const outcome = await track(["--json", "--"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe("");
    const lines = outcome.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const error = JSON.parse(lines[0] ?? "");
    expect(error.kind).toBe("usage-error");
    expect(error.message).toMatch(/^wattprint track: no command to run/);
  });
});
