#!/usr/bin/env bash
# The end-to-end stage: installs (cached), builds, packs the .vsix, then runs in code-server +
# Chromium: the harness self-test, the extension-host suites (test/vscode) and the UI test.
#   scripts/e2e/run.sh [selftest|suites|ui]...   (default: all three)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
stage_started=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - $1) / 1000000 )) ms"; }
log() { printf '[e2e] %s\n' "$*" >&2; }

# The CLI remembers its last runs folder under $XDG_STATE_HOME: the stage gets its own, so it
# neither reads nor overwrites the user's (nor an earlier stage's).
XDG_STATE_HOME="$(mktemp -d -t actlab-e2e-state-XXXXXX)"
export XDG_STATE_HOME
trap 'rm -rf "$XDG_STATE_HOME"' EXIT

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(selftest suites ui)
wants() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

t=$(date +%s%N); bash "$here/setup.sh"; log "setup: $(elapsed "$t")"
# shellcheck source=versions.sh
source "$here/versions.sh"
export E2E_NODE_HOME E2E_CODE_SERVER_BIN E2E_VSCE_BIN E2E_CHROMIUM

# The self-test needs no build; the suites and the UI test run dist/ (E2E_SKIP_BUILD=1 reuses it).
if { wants suites || wants ui; } && [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  t=$(date +%s%N); npm run --silent build; log "build: $(elapsed "$t")"
fi

status=0
run_part() { # name command...
  local name="$1"; shift
  local t; t=$(date +%s%N)
  if "$@"; then log "$name: passed in $(elapsed "$t")"; else log "$name: FAILED in $(elapsed "$t")"; status=1; fi
}
tsx=(node --import tsx)

if wants selftest; then
  run_part "harness self-test" "${tsx[@]}" test/e2e/extensionHost.ts test/e2e/fixtures/selftest/index.ts --name selftest
  if [ "${E2E_SELFTEST_NEGATIVE:-0}" = 1 ]; then
    run_part "harness self-test (failing suite must exit 1)" "${tsx[@]}" test/e2e/extensionHost.ts test/e2e/fixtures/selftest/index.ts --name selftest-negative --expect-exit 1
  fi
fi
if wants suites; then
  if [ -f test/vscode/build.mjs ]; then
    # The suites' own build (the same bundle test-electron runs), then a scratch copy of their fixtures.
    t=$(date +%s%N)
    if node test/vscode/build.mjs >&2; then
      log "suites build: $(elapsed "$t")"
      run_part "extension-host suites" "${tsx[@]}" test/e2e/extensionHost.ts dist-test/vscode/index.js --name vscode-suites --copy test/vscode/fixtures
    else
      log "suites build: FAILED"; status=1
    fi
  else
    log "extension-host suites: test/vscode/build.mjs does not exist"; status=1
  fi
fi
if wants ui; then
  t=$(date +%s%N)
  if vsix="$(bash "$here/pack.sh")"; then
    log "pack: $(elapsed "$t") -> $vsix"
    run_part "UI test" "${tsx[@]}" test/e2e/ui.ts "$vsix"
  else
    log "pack: FAILED in $(elapsed "$t")"; status=1
  fi
fi

log "stage: $(elapsed "$stage_started"), $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
