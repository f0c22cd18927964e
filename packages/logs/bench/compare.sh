#!/usr/bin/env bash
# Interleaved before/after timing on a shared machine: builds packages/logs at <git-ref> into
# bench-dist/base/, then alternates that build and the current dist/ (run `pnpm bench` or
# `tsc -p tsconfig.build.json` first), one fresh Node process per run, over a folder the
# bench generated. Prints min and median CPU and wall seconds and the peak RSS per build and
# mode: with other work on the machine, only runs taken side by side compare.
#   bench/compare.sh <git-ref> <pairs> <runs> [modes]
#   e.g. bench/compare.sh 8b2e0e3 20000 5 "aggregate aggregate-sorted"
set -euo pipefail
cd "$(dirname "$0")/.."
ref=$1 pairs=$2 runs=$3 modes=${4:-aggregate aggregate-sorted}
dir=${TMPDIR:-/tmp}/wattprint-logs-bench/pairs-$pairs
[ -e "$dir/.complete" ] || { echo "$dir: run the bench once to generate it" >&2; exit 1; }
rm -rf bench-dist/base && mkdir -p bench-dist/base
git archive "$ref" -- src | tar -x -C bench-dist/base
cat > bench-dist/base/tsconfig.json <<'JSON'
{
  "extends": "../../tsconfig.build.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "declaration": false,
    "declarationMap": false, "sourceMap": false, "inlineSources": false },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts", "src/**/*.test-support.ts"]
}
JSON
npx tsc -p bench-dist/base/tsconfig.json
cat > bench-dist/compare-one.mjs <<'JS'
const [dir, mode, build] = process.argv.slice(2);
const lib = await import(build === "base" ? "./base/dist/index.js" : "../dist/index.js");
const started = performance.now();
const cpu0 = process.cpuUsage();
const scan = lib.scanLogDir(dir, { order: mode === "aggregate-sorted" ? "name" : "directory" });
if (!scan.ok) throw new Error(scan.error.message);
const total = new lib.AggregateAccumulator();
for await (const pair of scan.value) total.add(pair);
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ build, mode, cpu: (cpu.user + cpu.system) / 1e6,
  wall: (performance.now() - started) / 1000, rss: process.resourceUsage().maxRSS / 1024,
  pairs: scan.value.introspect().counters.pairsParsed, energyKWh: total.totals().energyKWh }));
JS
echo "$(date -u +%FT%TZ) $(uptime)"
for _ in $(seq "$runs"); do
  for build in base new; do
    for mode in $modes; do node bench-dist/compare-one.mjs "$dir" "$mode" "$build"; done
  done
done | node -e '
  const rows = require("node:fs").readFileSync(0, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const build of ["base", "new"]) for (const mode of new Set(rows.map((r) => r.mode))) {
    const r = rows.filter((x) => x.build === build && x.mode === mode);
    const f = (k, d) => `${Math.min(...r.map((x) => x[k])).toFixed(d)} / ${median(r.map((x) => x[k])).toFixed(d)}`;
    console.log(`${build.padEnd(5)} ${mode.padEnd(17)} CPU s min/median ${f("cpu", 3)}  wall s ${f("wall", 3)}  peak RSS MB max ${Math.max(...r.map((x) => x.rss)).toFixed(1)}  pairs ${r[0].pairs} kWh ${r[0].energyKWh.toFixed(6)}`);
  }'
echo "$(date -u +%FT%TZ) $(uptime)"
