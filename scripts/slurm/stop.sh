#!/usr/bin/env bash
# Stops the cluster start.sh started in DIR: cancels its jobs, asks slurmctld to shut down, then
# ends each daemon by the pid it wrote (TERM, then KILL after 5 s), munged last. Safe to call
# twice and on a half-started folder: a missing pid file is skipped. Never matches by name, so
# another cluster on the same machine is left alone.
#
#   scripts/slurm/stop.sh DIR [--remove]    --remove: delete DIR afterwards
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
dir="${1:?usage: stop.sh DIR [--remove]}"
export SLURM_CONF="$dir/slurm.conf"

# A stopped daemon is a zombie for a moment: gone or state Z both count as ended.
ended() { local s; s="$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" || return 0; [ "$s" = "Z" ] || [ -z "$s" ]; }
stop_pid() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(tr -dc '0-9' <"$file")"
  [ -n "$pid" ] || return 0
  ended "$pid" && return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do ended "$pid" && return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  for _ in $(seq 1 20); do ended "$pid" && return 0; sleep 0.1; done
  echo "pid $pid ($file) did not end" >&2
  return 1
}

if [ -f "$SLURM_CONF" ]; then
  timeout 5 scancel --full --quiet --state=RUNNING,PENDING -u "$(id -un)" 2>/dev/null || true
  timeout 5 scontrol shutdown 2>/dev/null || true
fi
rc=0
stop_pid "$dir/slurmd.pid" || rc=1
stop_pid "$dir/slurmctld.pid" || rc=1
stop_pid "$dir/munged.pid" || rc=1
if [ "${2:-}" = "--remove" ] && [ "$rc" = 0 ]; then rm -rf "$dir"; fi
exit "$rc"
