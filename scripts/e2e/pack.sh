#!/usr/bin/env bash
# Packs the extension as a .vsix with its runtime node_modules (tfjs is resolved from
# node_modules at run time, not bundled), the way a user would install it.
#   scripts/e2e/pack.sh [out.vsix]   (default .cache/e2e/activation-lab.vsix); needs a built dist/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
out="${1:-$root/.cache/e2e/activation-lab.vsix}"
mkdir -p "$(dirname "$out")"
cd "$root"
[ -f dist/extension.js ] || { echo "[e2e pack] dist/extension.js is missing: run npm run build" >&2; exit 1; }
# The repository's .vscodeignore wins; until it exists, the e2e stage's own proposal is used.
ignore=.vscodeignore
[ -f "$ignore" ] || ignore="scripts/e2e/vscodeignore"
# vsce lists the production dependency tree with `npm list`; the machine-wide npm config has a
# `nodedir` key that newer npm warns about, so keep npm's output to errors.
export npm_config_loglevel=error
pack() {
  PATH="$E2E_NODE_HOME/bin:$PATH" "$E2E_VSCE_BIN" package \
    --out "$out" --ignoreFile "$ignore" \
    --allow-missing-repository --skip-license \
    >&2
}
# A file rewritten while vsce zips it (a watch build, a shared working tree) fails the pack with
# "unexpected number of bytes": one retry, not a loop.
pack || { echo "[e2e pack] retrying once" >&2; sleep 2; pack; }
echo "$out"
