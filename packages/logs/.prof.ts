import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aggregateConsumption } from "@wattprint/logs";
import { generateLogFolder } from "./bench/generate-logs.ts";

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), "prof-"));
let t = performance.now();
if (!process.argv[2]) {
  generateLogFolder(dir, 5000, 3);
  console.log("gen", performance.now() - t, dir);
}
for (let i = 0; i < 3; i++) {
  t = performance.now();
  const a = await aggregateConsumption(dir);
  console.log("agg", (performance.now() - t).toFixed(0), a.ok && a.value.runsCounted);
}
