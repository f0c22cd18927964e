#!/usr/bin/env bash
# `pnpm release [--dry-run]`: build, run every test and the consumer test, then publish.
# Publishing goes through pnpm (changeset publish runs `pnpm publish` in each package), which
# rewrites `workspace:*` to the real version and swaps in each package's publishConfig.exports
# (the export map without the development-only @wattprint/source condition). Versions come
# from `pnpm version-packages`, run before this. --dry-run packs and reports every public
# package without uploading anything.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  "") dry_run=false ;;
  --dry-run) dry_run=true ;;
  *) echo "usage: pnpm release [--dry-run]" >&2; exit 2 ;;
esac

pnpm build
pnpm test
pnpm consumer-test
if [[ $dry_run == true ]]; then
  pnpm -r publish --dry-run --no-git-checks
else
  pnpm exec changeset publish
fi
