import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { probePrivateNetwork } from "../src/private-network.ts";

const BIN = fileURLToPath(new URL("../bin/wattprint-netns.mjs", import.meta.url));

function run(args: string[], env: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 15_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

// Hiding `unshare` and `ip` from PATH simulates a machine without the prerequisites.
const NO_TOOLS = { PATH: "/nonexistent", WATTPRINT_NETNS: undefined };

describe("wattprint-netns", () => {
  it("skips with exit 0 when a prerequisite is missing", () => {
    const { code, out } = run(["--", "true"], { ...NO_TOOLS, CI: undefined });
    expect(code).toBe(0);
    expect(out).toMatch(/^interop suite SKIPPED: .+/m);
  });

  it("fails the run instead of skipping under CI=true", () => {
    const { code, out } = run(["--", "true"], { ...NO_TOOLS, CI: "true" });
    expect(code).toBe(1);
    expect(out).toMatch(/interop suite FAILED .*: .+/);
  });

  it("rejects a missing command", () => {
    expect(run([], {}).code).toBe(2);
  });

  it.skipIf(!probePrivateNetwork().ok)(
    "runs the command in a namespace with only lo and forwards its exit code",
    () => {
      const script =
        'ip -o link show; ip route show table all; echo "flag=$WATTPRINT_NETNS"; exit 7';
      const { code, out } = run(["--", "sh", "-c", script], { WATTPRINT_NETNS: undefined });
      expect(code).toBe(7);
      const links = out.split("\n").filter((line) => /^\d+: /.test(line));
      expect(links.map((line) => line.split(":")[1]?.trim())).toEqual(["lo"]);
      expect(out).toMatch(/^224\.0\.0\.0\/4 dev lo/m);
      expect(out).toContain("flag=1");
    },
  );
});
