# Pinned versions and cache paths for the end-to-end stage; sourced by setup.sh and run.sh.
# The cache is keyed by these versions, so bumping one installs a fresh folder beside the old.
E2E_NODE_VERSION="${E2E_NODE_VERSION:-24.21.0}"
E2E_CODE_SERVER_VERSION="${E2E_CODE_SERVER_VERSION:-4.139.1}"
E2E_VSCE_VERSION="${E2E_VSCE_VERSION:-4.1.0}"
E2E_CACHE="${ACTLAB_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/actlab-e2e}"

E2E_NODE_DIR="$E2E_CACHE/node-$E2E_NODE_VERSION"
# Where `npm install node@X` puts the real distribution (bin/ and include/ for node-gyp).
case "$(uname -m)" in aarch64 | arm64) E2E_ARCH=arm64 ;; *) E2E_ARCH=x64 ;; esac
E2E_NODE_HOME="$E2E_NODE_DIR/node_modules/node/node_modules/node-linux-$E2E_ARCH"
# code-server's native modules are built for one Node ABI, so its folder is keyed by both.
E2E_CODE_SERVER_DIR="$E2E_CACHE/code-server-$E2E_CODE_SERVER_VERSION-node-$E2E_NODE_VERSION"
E2E_CODE_SERVER_BIN="$E2E_CODE_SERVER_DIR/node_modules/.bin/code-server"
E2E_VSCE_DIR="$E2E_CACHE/vsce-$E2E_VSCE_VERSION-node-$E2E_NODE_VERSION"
E2E_VSCE_BIN="$E2E_VSCE_DIR/node_modules/.bin/vsce"
E2E_CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
