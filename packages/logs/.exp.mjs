import { readdirSync } from "node:fs";
import { LineReader } from "./dist/parse/line-reader.js";
import { StandardLogParser } from "./dist/parse/standard-log.js";
import { OutputLogParser } from "./dist/parse/output-log.js";
import { classifyLogFileName } from "./dist/format/file-names.js";
const dir = process.argv[2];
const names = readdirSync(dir).filter((n) => n.endsWith("_output.log")).slice(0, 8000);
const pairs = names.map((n) => [dir + "/" + n, dir + "/" + classifyLogFileName(n).stem + "_carbontracker.log"]);
const reader = new LineReader({ maxFileBytes: 1 << 28, maxLineBytes: 1 << 20 });
const noop = { line() {} };
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  for (const [o, s] of pairs) { reader.read(o, noop); reader.read(s, noop); }
  const tRead = performance.now() - t;
  t = performance.now();
  for (const [o, s] of pairs) { const op = new OutputLogParser(o); reader.read(o, op); op.finish(); const sp = new StandardLogParser(s, { maxEpochs: 1e6, maxComponents: 64 }); reader.read(s, sp); sp.finish(); }
  const tParse = performance.now() - t;
  console.log(`read+split ${(tRead / pairs.length * 1000).toFixed(1)} us/pair, read+parse ${(tParse / pairs.length * 1000).toFixed(1)} us/pair`);
}
