#!/usr/bin/env bash
# A software Vulkan adapter (Mesa lavapipe) for the webgpu tests, on a machine without a GPU.
#
#   eval "$(bash scripts/gpu/ensure-lavapipe.sh)"     # exports VK_DRIVER_FILES, LD_LIBRARY_PATH
#
# Debian bookworm's own Mesa (22.3) lavapipe is refused by Dawn (no dynamic indexing of uniform
# arrays); bookworm-backports' Mesa (25.x) works (../shared/notes/webgpu.md). The packages are
# fetched with a private apt configuration (`apt-get download`, the mirror taken from the
# system's own apt sources) and unpacked with `dpkg -x` under .cache/lavapipe: the system's apt
# sources, package database and libraries are not touched, and no root is needed.
# Idempotent: a second call only prints the environment (.cache/lavapipe/env.sh, env.json).
# Exits 0 with nothing on stdout where it does not apply (not Debian/apt, not Linux); exits 1
# when it applies but fails (no mirror reachable, a library left unresolved).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${ACTLAB_LAVAPIPE_CACHE:-$root/.cache/lavapipe}"
say() { echo "[lavapipe] $*" >&2; }

print_env() {
  cat "$cache/env.sh"
}

ready() {
  [ -f "$cache/env.sh" ] && [ -f "$cache/env.json" ] && [ -f "$cache/lvp_icd.json" ] \
    && [ -n "$(find "$cache/root" -name 'libvulkan_lvp.so' -print -quit 2>/dev/null)" ]
}

if ready; then print_env; exit 0; fi

if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  say "not a Debian-like Linux: no software Vulkan adapter set up (the webgpu tests will skip)"
  exit 0
fi
# shellcheck disable=SC1091
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
multiarch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine 2>/dev/null || echo "$(uname -m)-linux-gnu")"
if [ "$codename" != "bookworm" ]; then
  # Newer releases' own Mesa is recent enough; this script only knows bookworm's packages.
  say "Debian '$codename' is not bookworm: install mesa-vulkan-drivers (and libvulkan1) from its own archive instead"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if ready; then print_env; exit 0; fi

# The system's Debian mirror: the first URI of its sources that serves bookworm.
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  mirror="$(awk '/^URIs:/ {u=$2} /^Suites:/ && /(^| )bookworm( |$)/ {if (u) {print u; exit}}' "$f")"
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
  mirror="$(grep -hE '^deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '$0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

apt_dir="$cache/apt"
rm -rf "$apt_dir" "$cache/debs" "$cache/root"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/empty" "$cache/debs" "$cache/root"
signed=""
[ -f "$keyring" ] && signed="[signed-by=$keyring] "
cat >"$apt_dir/sources.list" <<EOF
deb ${signed}$mirror bookworm main
deb ${signed}$mirror bookworm-backports main
EOF
apt_opts=(
  -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=$apt_dir/empty"
  -o "Dir::Etc::preferences=/dev/null" -o "Dir::Etc::preferencesparts=$apt_dir/empty"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
  -o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0" -o "Acquire::Languages=none"
)
[ "$(id -u)" = "0" ] && apt_opts+=(-o "APT::Sandbox::User=root")

say "package lists of $mirror bookworm + bookworm-backports (private, under $apt_dir)"
apt-get "${apt_opts[@]}" -qq update >&2

# What installing backports' lavapipe and the Vulkan loader would add to this system: the
# resolver's answer against the real package database, so only what is missing (or too old)
# is fetched. Nothing is installed.
plan="$(apt-get "${apt_opts[@]}" -s -qq install --no-install-recommends \
  mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports libvulkan1 2>&1)" || {
  say "apt cannot resolve mesa-vulkan-drivers from bookworm-backports:"
  echo "$plan" >&2
  exit 1
}
mapfile -t pkgs < <(echo "$plan" | sed -nE 's/^Inst ([^ ]+) (\[[^]]*\] )?\(([^ ]+) .*/\1=\3/p')
if [ "${#pkgs[@]}" -eq 0 ]; then
  say "nothing to fetch? apt said:"; echo "$plan" >&2; exit 1
fi
say "fetching ${#pkgs[@]} packages: ${pkgs[*]}"
(cd "$cache/debs" && apt-get "${apt_opts[@]}" -qq download "${pkgs[@]}" >&2)
for deb in "$cache/debs"/*.deb; do dpkg -x "$deb" "$cache/root"; done

lvp="$(find "$cache/root" -name 'libvulkan_lvp.so' -print -quit)"
[ -n "$lvp" ] || { say "libvulkan_lvp.so not in the unpacked packages"; exit 1; }
libdirs="$cache/root/usr/lib/$multiarch:$cache/root/lib/$multiarch"
# Is every library lavapipe needs found, from the unpacked packages or the system?
missing="$(LD_LIBRARY_PATH="$libdirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$lvp" | grep 'not found' || true)"
if [ -n "$missing" ]; then say "libraries still missing for $lvp:"; echo "$missing" >&2; exit 1; fi
loader="$(find "$cache/root" -name 'libvulkan.so.1' -print -quit)"
[ -n "$loader" ] || ldconfig -p | grep -q 'libvulkan.so.1 ' || { say "no Vulkan loader (libvulkan.so.1)"; exit 1; }

# The ICD the Vulkan loader reads: the packaged one names the library by its system path.
api="$(sed -nE 's/.*"api_version" *: *"([^"]+)".*/\1/p' "$(find "$cache/root/usr/share/vulkan/icd.d" -name 'lvp_icd*.json' -print -quit)" || true)"
cat >"$cache/lvp_icd.json" <<EOF
{
  "file_format_version": "1.0.0",
  "ICD": { "library_path": "$lvp", "api_version": "${api:-1.3.0}" }
}
EOF
version="$(dpkg-deb -f "$(ls "$cache"/debs/mesa-vulkan-drivers_*.deb | head -1)" Version)"
cat >"$cache/env.sh" <<EOF
export VK_DRIVER_FILES="$cache/lvp_icd.json"
export VK_ICD_FILENAMES="$cache/lvp_icd.json"
export LD_LIBRARY_PATH="$libdirs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
EOF
cat >"$cache/env.json" <<EOF
{ "VK_DRIVER_FILES": "$cache/lvp_icd.json", "VK_ICD_FILENAMES": "$cache/lvp_icd.json", "LD_LIBRARY_PATH": "$libdirs", "mesa": "$version" }
EOF
rm -rf "$apt_dir" "$cache/debs"
say "Mesa $version lavapipe ready under $cache"
print_env
