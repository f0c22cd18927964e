#!/usr/bin/env bash
# The README's main job on embedded data, offline: an estimate, then one SustainML task through
# wattprint-node and `wattprint bus send-task` on this machine (needs `pnpm build` first).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ "${1:-}" != "--inside" ]]; then
  # Keep every DDS datagram inside a private network namespace with only loopback where this
  # user may make one (root); elsewhere testkit's runner says so and runs on this host.
  exec node packages/testkit/bin/wattprint-netns.mjs --or-host -- bash "$0" --inside
fi

echo "== wattprint estimate: an A100 for 2 h in Germany =="
node apps/cli/dist/main.js estimate --hardware "NVIDIA A100 40GB PCIe" --duration 2h --location DE

echo
echo "== SustainML Carbontracker Node: one task over RTPS on 127.0.0.1 =="
node apps/bus-node/dist/main.js --interface 127.0.0.1 --log-level warn &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true' EXIT
node apps/cli/dist/main.js bus send-task --interface 127.0.0.1 --problem 1 \
  --model bert-base --power 100 --latency 0.5 --region Spain --continent Europe
