import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { probePrivateNetwork } from "@wattprint/testkit";
import { describe, expect, it } from "vitest";
import { isSysfsPath } from "../src/sysfs/io.ts";
import { tempDir } from "./helpers/trees.ts";

const SCRIPT = fileURLToPath(new URL("./support/sysfs-zone-removal.ts", import.meta.url));
const network = probePrivateNetwork();

describe("sysfs detection", () => {
  it.runIf(process.platform === "linux")("knows /sys from an ordinary folder", async () => {
    expect(isSysfsPath("/sys/devices")).toBe(true);
    const dir = await tempDir("not-sysfs");
    try {
      expect(isSysfsPath(dir.path)).toBe(false);
      expect(isSysfsPath(`${dir.path}/missing`)).toBe(false);
    } finally {
      await dir.dispose();
    }
  });
});

// The premise that lets RAPL skip its `stat`s on sysfs, held against the running kernel: an
// open attribute whose node is removed answers ENODEV, and keeps doing so once a node of the
// same name is back. Needs root (a namespace of its own, where a bridge can come and go).
describe.skipIf(network.ok === false && process.env.CI === undefined)(
  "a RAPL zone on real sysfs that the kernel removes",
  () => {
    it("is reported vanished from its own reads, with no stat, and stays so when re-created", () => {
      if (!network.ok) throw new Error(`CI must run this test: ${network.reason}`);
      const child = spawnSync(
        "unshare",
        [
          "-n",
          "-m",
          "sh",
          "-c",
          `mount -t sysfs sysfs /sys && exec "${process.execPath}" --conditions=@wattprint/source --import tsx "${SCRIPT}"`,
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(child.stderr).toBe("");
      expect(child.status).toBe(0);
      const result = JSON.parse(child.stdout);
      expect(result).toMatchObject({
        devices: 1,
        isSysfs: true,
        before: { energyJ: 0.0015, problem: null },
        removed: { energyJ: null, problem: "vanished", message: expect.stringMatching(/ENODEV/) },
        recreated: { energyJ: null, problem: "vanished" },
        // revalidateEvery 1 asks for a check each sample: none is made on sysfs.
        stats: 0,
      });
    }, 70_000);
  },
);
