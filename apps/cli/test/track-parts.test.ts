import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { splitCommand } from "../src/commands/track-args.ts";
import { findCommand } from "../src/process/find-command.ts";
import { startChild } from "../src/process/run-child.ts";
import {
  CLEAR_LINE,
  formatCo2G,
  formatElapsed,
  formatEnergyKWh,
  plainStatus,
  terminalStatus,
  useColour,
} from "../src/render/track-status.ts";

const dir = mkdtempSync(join(tmpdir(), "wattprint-track-parts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (name: string, mode: number): string => {
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\nexit 0\n");
  chmodSync(path, mode);
  return path;
};

describe("splitCommand", () => {
  it("ends our options at --, and keeps every word after it for the command", () => {
    expect(splitCommand(["--json", "--", "node", "--json", "-e", "x"])).toEqual({
      options: ["--json"],
      command: ["node", "--json", "-e", "x"],
    });
  });

  it("ends our options at the first word that is not one, skipping option values", () => {
    expect(splitCommand(["--log-dir", "out", "--quiet", "python", "-u", "train.py"])).toEqual({
      options: ["--log-dir", "out", "--quiet"],
      command: ["python", "-u", "train.py"],
    });
    expect(splitCommand(["--log-dir=out", "make", "--", "x"])).toEqual({
      options: ["--log-dir=out"],
      command: ["make", "--", "x"],
    });
  });

  it("gives an empty command when there is none", () => {
    expect(splitCommand(["--json"])).toEqual({ options: ["--json"], command: [] });
    expect(splitCommand(["--json", "--"])).toEqual({ options: ["--json"], command: [] });
  });
});

describe("findCommand", () => {
  const env = { PATH: `/nonexistent:${dir}` };

  it("finds a command in PATH and an executable path", async () => {
    script("ok-in-path", 0o755);
    expect(await findCommand("ok-in-path", env, "/")).toBeNull();
    expect(await findCommand(join(dir, "ok-in-path"), {}, "/")).toBeNull();
    expect(await findCommand("./ok-in-path", {}, dir)).toBeNull();
  });

  it("says 127 for a command that is nowhere, as a shell does", async () => {
    expect(await findCommand("wattprint-no-such-command", env, "/")).toEqual({
      kind: "not-found",
      exitCode: 127,
      message: "wattprint-no-such-command: command not found",
    });
    expect((await findCommand("./missing", env, dir))?.exitCode).toBe(127);
  });

  it("says 126 for a file that is not executable and for a directory", async () => {
    script("not-executable", 0o644);
    const noExec = await findCommand("not-executable", env, "/");
    // root may execute nothing without an x bit either: access(X_OK) refuses it too.
    expect(noExec).toMatchObject({ kind: "not-executable", exitCode: 126 });
    mkdirSync(join(dir, "a-directory"));
    expect(await findCommand("a-directory", env, "/")).toEqual({
      kind: "not-executable",
      exitCode: 126,
      message: "a-directory: is a directory",
    });
  });
});

describe("startChild (real processes)", () => {
  const env = { PATH: process.env.PATH };

  it("returns the command's own exit code", async () => {
    const child = startChild([process.execPath, "-e", "process.exit(3)"], env);
    expect(await child.outcome).toEqual({ kind: "exited", exitCode: 3 });
  });

  it("returns 128 + the signal's number when a signal ends the command", async () => {
    const child = startChild(["sh", "-c", "kill -TERM $$"], env);
    expect(await child.outcome).toEqual({ kind: "signalled", signal: "SIGTERM", exitCode: 143 });
  });

  it("delivers a signal it is asked to send, and refuses once the child has gone", async () => {
    const child = startChild(["sleep", "30"], env);
    expect(child.kill("SIGINT")).toBe(true);
    expect(await child.outcome).toEqual({ kind: "signalled", signal: "SIGINT", exitCode: 130 });
    expect(child.kill("SIGTERM")).toBe(false);
  });

  it("settles with 127 when the command vanished between the search and the spawn", async () => {
    const child = startChild([join(dir, "never-there")], env);
    expect(await child.outcome).toMatchObject({ kind: "spawn-failed", exitCode: 127 });
  });
});

describe("the status line", () => {
  const figures = {
    elapsedS: 3723.9,
    components: [
      { component: "gpu", basis: "measured", powerW: 251.4 },
      { component: "cpu", basis: "modelled", powerW: 5.612 },
    ],
    energyKWh: 0.2634,
    co2G: 1234.5,
  };

  it("formats elapsed time, energy and CO2 for people", () => {
    expect(formatElapsed(3723.9)).toBe("1:02:03");
    expect(formatElapsed(5)).toBe("0:00:05");
    expect(formatEnergyKWh(0.2634)).toBe("263 Wh");
    expect(formatEnergyKWh(12.345)).toBe("12.3 kWh");
    expect(formatCo2G(12.34)).toBe("12.3 gCO2eq");
    expect(formatCo2G(1234.5)).toBe("1.23 kgCO2eq");
  });

  it("is a plain line without control characters where stderr is not a terminal", () => {
    const line = plainStatus(figures);
    expect(line).toBe(
      "wattprint track: 1:02:03  gpu 251 W measured  cpu 5.61 W modelled  263 Wh  1.23 kgCO2eq\n",
    );
    expect(line).not.toContain("\r");
    expect(line).not.toContain("\u001b");
  });

  it("leaves out what is not known yet", () => {
    const line = plainStatus({
      elapsedS: 1,
      components: [{ component: "cpu", basis: "simulated", powerW: null }],
      energyKWh: null,
      co2G: null,
    });
    expect(line).toBe("wattprint track: 0:00:01  cpu simulated\n");
  });

  it("is redrawn in place on a terminal, coloured unless NO_COLOR, and never wider than it", () => {
    const coloured = terminalStatus(figures, { colour: true }, 120);
    expect(coloured.startsWith(CLEAR_LINE)).toBe(true);
    expect(coloured).toContain("\u001b[1m1:02:03");
    const plain = terminalStatus(figures, { colour: false }, 120);
    expect(plain).toBe(
      `${CLEAR_LINE}wattprint 1:02:03  gpu 251 W measured  cpu 5.61 W modelled  263 Wh  1.23 kgCO2eq`,
    );
    const narrow = terminalStatus(figures, { colour: true }, 30);
    expect(narrow).toBe(`${CLEAR_LINE}${"wattprint 1:02:03  gpu 251 W measured".slice(0, 29)}`);
    expect(useColour({}, true)).toBe(true);
    expect(useColour({ NO_COLOR: "1" }, true)).toBe(false);
    expect(useColour({ NO_COLOR: "" }, true)).toBe(true);
    expect(useColour({}, false)).toBe(false);
  });
});
