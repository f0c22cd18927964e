import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { delimiter, join } from "node:path";

/** Set by `wattprint-netns` for every process it starts inside the private namespace. */
export const NETNS_ENV = "WATTPRINT_NETNS";

export type NetworkProbe = { ok: true } | { ok: false; reason: string };

// CAP_SYS_ADMIN is capability bit 21 (linux/capability.h); unshare -n needs it.
const CAP_SYS_ADMIN_BIT = 21n;

function onPath(name: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    if (dir === "") return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function hasSysAdmin(): boolean {
  if (process.getuid?.() === 0) return true;
  try {
    const hex = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    return hex !== undefined && ((BigInt(`0x${hex}`) >> CAP_SYS_ADMIN_BIT) & 1n) === 1n;
  } catch {
    return false;
  }
}

/**
 * Whether this machine can create the private network namespace the interop suite needs.
 * Mirrors the checks of `bin/wattprint-netns.mjs`, which cannot import TypeScript.
 */
export function probePrivateNetwork(): NetworkProbe {
  if (process.platform !== "linux") {
    return { ok: false, reason: `network namespaces need Linux, not ${process.platform}` };
  }
  if (!hasSysAdmin()) return { ok: false, reason: "unshare -n needs root or CAP_SYS_ADMIN" };
  if (!onPath("unshare")) {
    return { ok: false, reason: "`unshare` not found on PATH (install util-linux)" };
  }
  if (!onPath("ip")) return { ok: false, reason: "`ip` not found on PATH (install iproute2)" };
  const probe = spawnSync("unshare", ["-n", "true"], { stdio: "pipe", timeout: 10_000 });
  if (probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.toString().trim();
    return { ok: false, reason: `unshare -n failed${why ? `: ${why}` : ""}` };
  }
  return { ok: true };
}

// /proc/net/dev lists the devices of the reading process's own namespace.
function procNetDevices(): string[] | undefined {
  try {
    return readFileSync("/proc/net/dev", "utf8")
      .split("\n")
      .slice(2)
      .map((line) => line.split(":")[0]?.trim() ?? "")
      .filter((name) => name !== "");
  } catch {
    return undefined;
  }
}

/** True only when `wattprint-netns` started us and the loopback is the only interface. */
export function insidePrivateNetwork(): boolean {
  if (process.env[NETNS_ENV] !== "1") return false;
  if (!Object.keys(networkInterfaces()).every((name) => name === "lo")) return false;
  const devices = procNetDevices();
  return devices === undefined || devices.every((name) => name === "lo");
}

/** Interop tests call this before starting any DDS process. */
export function assertInsidePrivateNetwork(): void {
  if (insidePrivateNetwork()) return;
  const devices = procNetDevices()?.join(", ") ?? "unknown";
  throw new Error(
    "refusing to start DDS processes outside a private network namespace " +
      `(${NETNS_ENV}=${process.env[NETNS_ENV] ?? "unset"}, interfaces: ${devices}); ` +
      "run the suite as `wattprint-netns -- vitest run -c vitest.interop.config.ts`",
  );
}
