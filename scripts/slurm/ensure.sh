#!/usr/bin/env bash
# The Slurm integration test runs a real one-node cluster: Debian's slurmctld, slurmd, the client
# tools and munge. Installs them when missing and we may (root with apt); otherwise says what to
# install and exits 1 (the test then skips, saying why).
set -euo pipefail
need() { command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; }
export PATH="$PATH:/usr/sbin:/sbin"
if need; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian slurm (needed by the cluster integration test)..."
  export DEBIAN_FRONTEND=noninteractive
  # A fresh image has no package lists; an install from stale ones can 404, so retry once after an update.
  if ! apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
  fi
  need
else
  echo "The Slurm test needs slurmctld, slurmd, slurm-client and munge: sudo apt-get install --no-install-recommends slurmctld slurmd slurm-client munge" >&2
  exit 1
fi
