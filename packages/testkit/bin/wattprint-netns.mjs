#!/usr/bin/env node
// wattprint-netns [--or-host] -- <command> [args...]
// Runs <command> inside a fresh private network namespace (only `lo`, multicast routed to it),
// so DDS peers started by interop tests cannot send anything beyond this machine.
// Missing prerequisites skip the suite (exit 0), except under CI=true, where a skip fails.
// With --or-host (the demo), missing prerequisites run <command> on this host instead, saying so.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { networkInterfaces, constants as osConstants } from "node:os";
import { delimiter, join } from "node:path";

const LO_SETUP =
  "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo";
// CAP_SYS_ADMIN is capability bit 21 (linux/capability.h); unshare -n needs it.
const CAP_SYS_ADMIN_BIT = 21n;

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

function hasSysAdmin() {
  if (process.getuid?.() === 0) return true;
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const hex = /^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1];
    return hex !== undefined && ((BigInt(`0x${hex}`) >> CAP_SYS_ADMIN_BIT) & 1n) === 1n;
  } catch {
    return false;
  }
}

function missingPrerequisite() {
  if (process.platform !== "linux") return `network namespaces need Linux, not ${process.platform}`;
  if (!hasSysAdmin()) return "unshare -n needs root or CAP_SYS_ADMIN";
  if (!onPath("unshare")) return "`unshare` not found on PATH (install util-linux)";
  if (!onPath("ip")) return "`ip` not found on PATH (install iproute2)";
  const probe = spawnSync("unshare", ["-n", "true"], { stdio: "pipe", timeout: 10_000 });
  if (probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr?.toString().trim() ?? "";
    return `unshare -n failed${why ? `: ${why}` : ""}`;
  }
  return undefined;
}

// Already in a private namespace (nested invocation): no need for another one.
function alreadyInside() {
  if (process.env.WATTPRINT_NETNS !== "1") return false;
  return Object.keys(networkInterfaces()).every((name) => name === "lo");
}

const separator = process.argv.indexOf("--");
const command = separator === -1 ? [] : process.argv.slice(separator + 1);
const flags = process.argv.slice(2, separator === -1 ? undefined : separator);
const orHost = flags.includes("--or-host");
if (command.length === 0 || flags.some((flag) => flag !== "--or-host")) {
  console.error("usage: wattprint-netns [--or-host] -- <command> [args...]");
  process.exit(2);
}

const env = { ...process.env, WATTPRINT_NETNS: "1" };
let child;
if (alreadyInside()) {
  child = spawn(command[0], command.slice(1), { stdio: "inherit", env });
} else {
  const reason = missingPrerequisite();
  if (reason !== undefined && orHost) {
    console.error(
      `wattprint-netns: no private network namespace (${reason}); running on this host`,
    );
    child = spawn(command[0], command.slice(1), { stdio: "inherit", env });
  } else if (reason !== undefined) {
    if (process.env.CI === "true") {
      console.error(`interop suite FAILED (CI=true forbids skipping): ${reason}`);
      process.exit(1);
    }
    console.error(`interop suite SKIPPED: ${reason}`);
    process.exit(0);
  } else {
    const script = `${LO_SETUP} && exec "$@"`;
    child = spawn("unshare", ["-n", "--", "sh", "-c", script, "wattprint-netns", ...command], {
      stdio: "inherit",
      env,
    });
  }
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (error) => {
  console.error(`wattprint-netns: cannot start ${command[0]}: ${error.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  if (code !== null) process.exit(code);
  process.exit(128 + (osConstants.signals[signal] ?? 0));
});
