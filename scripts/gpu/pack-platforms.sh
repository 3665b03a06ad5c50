#!/usr/bin/env bash
# One .vsix per platform, each with only its own Dawn binary (the webgpu backend's; see
# scripts/e2e/pack.sh): .cache/vsix/activation-lab-<target>.vsix. Needs a built dist/ and the
# e2e stage's vsce (scripts/e2e/setup.sh). The tfjs and Dawn JavaScript is the same in all.
#   scripts/gpu/pack-platforms.sh [target...]   (default: all six)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64)
mkdir -p "$root/.cache/vsix"
for t in "${targets[@]}"; do
  bash "$root/scripts/e2e/pack.sh" "$root/.cache/vsix/activation-lab-$t.vsix" "$t"
done
