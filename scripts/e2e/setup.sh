#!/usr/bin/env bash
# Installs what the end-to-end stage needs: Debian packages, Node 24, code-server, vsce.
# Idempotent: each npm install goes into a temp folder that is renamed into the cache only when
# it verifiably works, so a half-failed install never poisons later runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

log() { printf '[e2e setup] %s\n' "$*" >&2; }
step_started=0
step() { step_started=$(date +%s%N); log "$1 ..."; }
done_step() { log "$1 done in $(( ($(date +%s%N) - step_started) / 1000000 )) ms"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
npm_quiet=(--no-audit --no-fund --no-package-lock --no-save --loglevel=error)

install_apt() {
  local wanted=(build-essential python3 pkg-config libkrb5-dev chromium) missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt packages missing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be stale or absent on a fresh machine: refresh once, only on failure.
  as_root apt-get install -y --no-install-recommends "${missing[@]}" \
    || { as_root apt-get update && as_root apt-get install -y --no-install-recommends "${missing[@]}"; }
}

# npm_install_fresh <final dir> <check command...>; the packages come from $packages.
npm_install_fresh() {
  local final="$1"; shift
  local tmp; tmp="$(mktemp -d "$E2E_CACHE/.tmp-$(basename "$final").XXXXXX")"
  printf '{"name":"e2e-tool","version":"0.0.0","private":true}\n' > "$tmp/package.json"
  if (cd "$tmp" && npm install "${npm_quiet[@]}" "${packages[@]}") && (cd "$tmp" && "$@"); then
    chmod 755 "$tmp" # mktemp's 0700 would hide the tools from other users of a shared cache
    rm -rf "$final" && mv "$tmp" "$final"
  else
    rm -rf "$tmp"; log "install of ${packages[*]} failed"; return 1
  fi
}

mkdir -p "$E2E_CACHE"
# Leftovers of an interrupted run; recent ones may belong to a setup running beside this one.
find "$E2E_CACHE" -maxdepth 1 -name '.tmp-*' -mmin +60 -exec rm -rf {} +
# Without --config, any code-server invocation writes a password config into $HOME.
empty_config="$E2E_CACHE/empty-config.yaml"
: > "$empty_config"
# ... and it logs into $XDG_DATA_HOME/code-server: keep both out of the real home.
cs_home="$E2E_CACHE/code-server-home"
mkdir -p "$cs_home"
code_server() { XDG_CONFIG_HOME="$cs_home" XDG_DATA_HOME="$cs_home" "$@" --config "$empty_config"; }

step "apt packages"; install_apt; done_step "apt packages"

step "node $E2E_NODE_VERSION"
if [ "$("$E2E_NODE_HOME/bin/node" --version 2>/dev/null)" != "v$E2E_NODE_VERSION" ]; then
  packages=("node@$E2E_NODE_VERSION")
  npm_install_fresh "$E2E_NODE_DIR" "node_modules/node/node_modules/node-linux-$E2E_ARCH/bin/node" --version
fi
done_step "node $E2E_NODE_VERSION"

# Run from `npm run test:e2e`, we inherit the outer npm's npm_config_* variables, which the npm
# below would take as its own config: among them the user agent naming Node 20, which
# code-server's postinstall reads to refuse anything but Node 24.
while IFS= read -r var; do unset "$var"; done < <(env | grep -o '^npm_config_[A-Za-z0-9_]*' || true)

# Everything below builds native modules: they must be built against Node 24's headers, not the
# machine-wide `nodedir` (Node 20, another ABI).
export PATH="$E2E_NODE_HOME/bin:$PATH"
export npm_config_nodedir="$E2E_NODE_HOME"

step "code-server $E2E_CODE_SERVER_VERSION"
if ! code_server "$E2E_CODE_SERVER_BIN" --version >/dev/null 2>&1; then
  packages=("code-server@$E2E_CODE_SERVER_VERSION")
  npm_install_fresh "$E2E_CODE_SERVER_DIR" code_server node_modules/.bin/code-server --version
fi
done_step "code-server $E2E_CODE_SERVER_VERSION"

step "vsce $E2E_VSCE_VERSION"
if ! "$E2E_VSCE_BIN" --version >/dev/null 2>&1; then
  packages=("@vscode/vsce@$E2E_VSCE_VERSION")
  npm_install_fresh "$E2E_VSCE_DIR" node_modules/.bin/vsce --version
fi
done_step "vsce $E2E_VSCE_VERSION"

log "ready: code-server $(code_server "$E2E_CODE_SERVER_BIN" --version | head -1), node $(node --version), chromium $("$E2E_CHROMIUM" --version 2>/dev/null || echo missing)"
