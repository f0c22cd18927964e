#!/usr/bin/env bash
# `pnpm version-packages`: `changeset version` (the pending changesets become version bumps and
# CHANGELOGs), then the one version compiled into code follows: the tracker stamps its own
# version on every result, and its bundle in the CLI cannot read a package.json at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm exec changeset version
version=$(node -p 'require("./packages/tracker/package.json").version')
cat > packages/tracker/src/version.ts <<TS
/** This package's version, written into every result (a test checks it against package.json). */
export const WATTPRINT_VERSION = "${version}";
TS
echo "version-packages: every package is at ${version}; review the diff and commit it"
