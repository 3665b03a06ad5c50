#!/usr/bin/env bash
# The webview tests drive Debian's Chromium (playwright-core cannot download a browser offline).
# Installs it when missing and we may (root); otherwise says what to install.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian chromium (needed by the webview tests)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
else
  echo "The webview tests need Chromium at /usr/bin/chromium: sudo apt-get install chromium" >&2
  exit 1
fi
