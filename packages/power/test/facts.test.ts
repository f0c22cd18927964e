import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gatherFacts, unreadableTable } from "../src/model/facts.ts";
import { MAX_SMBIOS_STRUCTURES, smbiosMemoryModules } from "../src/model/smbios.ts";
import { tempDir } from "./helpers/trees.ts";

/** One SMBIOS structure: formatted area (type, length, handle, fields) then its strings. */
function structure(
  type: number,
  fields: readonly number[],
  strings: readonly string[] = [],
): Buffer {
  const formatted = Buffer.from([type, 4 + fields.length, 0x00, 0x10, ...fields]);
  const text = strings.length === 0 ? "\0\0" : `${strings.join("\0")}\0\0`;
  return Buffer.concat([formatted, Buffer.from(text, "latin1")]);
}

/** A type 17 Memory Device with the given Size word (offset 0x0C), with its locator strings. */
function memoryDevice(sizeWord: number, locator: string): Buffer {
  const fields = new Array<number>(0x22 - 4).fill(0);
  fields[0x0c - 4] = sizeWord & 0xff;
  fields[0x0d - 4] = sizeWord >> 8;
  fields[0x10 - 4] = 1; // device locator: string 1
  return structure(17, fields, [locator, "BANK 0"]);
}

const BIOS = structure(0, [1, 2, 0, 0xe8, 3, 0x1f], ["Vendor", "1.0", "01/01/2026"]);
const END = structure(127, []);
/** A sysfs binary attribute any user may read, over 1 MiB, where the kernel has BTF. */
const SYSFS_BINARY = "/sys/kernel/btf/vmlinux";

describe("smbiosMemoryModules", () => {
  it("counts installed memory devices of known size and skips empty slots and unknown sizes", () => {
    const table = Buffer.concat([
      BIOS,
      memoryDevice(32 * 1024, "DIMM A1"), // 32 GiB in MiB
      memoryDevice(0, "DIMM A2"), // empty slot
      memoryDevice(0x7fff, "DIMM B1"), // size in the extended field
      memoryDevice(0xffff, "DIMM B2"), // unknown size
      structure(16, [3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0]), // the memory array, not a module
      END,
    ]);
    expect(smbiosMemoryModules(table)).toEqual({ modules: 2, stoppedEarly: undefined });
  });

  it("says where a truncated or malformed table stopped, keeping what it counted", () => {
    const whole = Buffer.concat([memoryDevice(8192, "DIMM 0"), memoryDevice(8192, "DIMM 1"), END]);
    const cut = whole.subarray(0, whole.length - END.length - 3);
    expect(smbiosMemoryModules(cut)).toEqual({
      modules: 1,
      stoppedEarly: expect.stringMatching(/impossible length|unterminated|truncated/),
    });
    expect(smbiosMemoryModules(Buffer.from([17, 2, 0, 0]))).toEqual({
      modules: 0,
      stoppedEarly: "a structure of impossible length 2",
    });
  });

  it("stops at its structure limit on an endless table", () => {
    const table = Buffer.concat(
      Array.from({ length: MAX_SMBIOS_STRUCTURES + 1 }, () => memoryDevice(1024, "D")),
    );
    expect(smbiosMemoryModules(table)).toEqual({
      modules: MAX_SMBIOS_STRUCTURES,
      stoppedEarly: `more than ${MAX_SMBIOS_STRUCTURES} structures`,
    });
  });
});

describe("gatherFacts on Linux", () => {
  let sys: string;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const dir = await tempDir("sys");
    sys = dir.path;
    dispose = dir.dispose;
  });
  afterEach(async () => {
    await dispose();
  });

  async function cpu(n: number, packageId: number | null): Promise<void> {
    const dir = join(sys, "devices/system/cpu", `cpu${n}`);
    await mkdir(join(dir, "topology"), { recursive: true });
    if (packageId !== null) {
      await writeFile(join(dir, "topology/physical_package_id"), `${packageId}\n`);
    }
  }

  it("counts sockets from the CPU topology and modules from the SMBIOS table", async () => {
    for (let n = 0; n < 4; n++) await cpu(n, n < 2 ? 0 : 1);
    await cpu(4, null); // offline: no topology files
    await mkdir(join(sys, "devices/system/cpu/cpufreq"), { recursive: true });
    await mkdir(join(sys, "firmware/dmi/tables"), { recursive: true });
    await writeFile(
      join(sys, "firmware/dmi/tables/DMI"),
      Buffer.concat([BIOS, memoryDevice(16384, "A1"), memoryDevice(16384, "B1"), END]),
    );
    const facts = await gatherFacts({ sysRoot: sys, platform: "linux" });
    expect(facts.cpu.sockets).toBe(2);
    expect(facts.dimms).toBe(2);
    expect(facts.origin[1]).toBe("2 DIMM(s) from the SMBIOS table");
    expect(facts.memoryBytes).toBeGreaterThan(0);
  });

  it("reads a table over one page whole, and refuses a sysfs file longer than any table", async () => {
    await cpu(0, 0);
    await mkdir(join(sys, "firmware/dmi/tables"), { recursive: true });
    const table = join(sys, "firmware/dmi/tables/DMI");
    // 16 modules behind 5 KiB of other structures: past the first page.
    const modules = Array.from({ length: 16 }, (_, i) => memoryDevice(16384, `DIMM${i}`));
    const padding = Array.from({ length: 160 }, () => BIOS);
    const big = Buffer.concat([...padding, ...modules, END]);
    expect(big.length).toBeGreaterThan(4096);
    await writeFile(table, big);
    expect((await gatherFacts({ sysRoot: sys, platform: "linux" })).dimms).toBe(16);
    // The same table cut at one page, as one read of sysfs returned it: no count at all.
    await writeFile(table, big.subarray(0, 4096));
    const cut = await gatherFacts({ sysRoot: sys, platform: "linux" });
    expect(cut.dimms).toBeUndefined();
    expect(cut.origin[1]).toMatch(/^no DIMM list \(the SMBIOS table stopped early: /);
    if (!existsSync(SYSFS_BINARY)) return;
    // A real sysfs binary attribute, which answers one page per read: read as one read, the
    // first 4 KiB were taken for the whole file.
    await rm(table);
    await symlink(SYSFS_BINARY, table);
    const facts = await gatherFacts({ sysRoot: sys, platform: "linux" });
    expect(facts.dimms).toBeUndefined();
    expect(facts.origin[1]).toMatch(/bytes, more than the 1048576 an SMBIOS table can be/);
  });

  it("assumes one socket and no module count when sysfs has neither", async () => {
    await cpu(0, -1); // ARM firmware that knows no package
    const facts = await gatherFacts({ sysRoot: sys, platform: "linux" });
    expect(facts.cpu.sockets).toBe(1);
    expect(facts.dimms).toBeUndefined();
    expect(facts.origin[1]).toMatch(
      /^no DIMM list \(no .*DMI: this machine or VM exposes no SMBIOS table\)$/,
    );
  });

  it("says the table needs root when it cannot be read, and which error otherwise", async () => {
    const table = join(sys, "firmware/dmi/tables/DMI");
    const eacces = Object.assign(new Error("permission denied"), { code: "EACCES" });
    expect(unreadableTable(table, eacces)).toBe(`no DIMM list (${table} is readable by root only)`);
    // A directory where the table should be: a real read error, named by its code.
    await mkdir(table, { recursive: true });
    const facts = await gatherFacts({ sysRoot: sys, platform: "linux" });
    expect(facts.dimms).toBeUndefined();
    expect(facts.origin[1]).toBe(`no DIMM list (${table} could not be read: EISDIR)`);
  });

  it("a FIFO at the table or a topology file is refused, never waited on", async () => {
    await cpu(0, 0);
    await cpu(1, null);
    await mkdir(join(sys, "devices/system/cpu/cpu1/topology"), { recursive: true });
    execFileSync("mkfifo", [join(sys, "devices/system/cpu/cpu1/topology/physical_package_id")]);
    const table = join(sys, "firmware/dmi/tables/DMI");
    await mkdir(join(sys, "firmware/dmi/tables"), { recursive: true });
    execFileSync("mkfifo", [table]);
    // Opened as before, either FIFO held gatherFacts until the suite's test timeout.
    const facts = await gatherFacts({ sysRoot: sys, platform: "linux" });
    expect(facts.cpu.sockets).toBe(1);
    expect(facts.origin[1]).toBe(`no DIMM list (${table} could not be read: ENOTREG)`);
  });
});
