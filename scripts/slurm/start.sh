#!/usr/bin/env bash
# Starts a private one-node Slurm cluster (slurmctld + slurmd + its own munged) with everything
# (config, state, spool, logs, pids, munge socket) under one scratch folder, and prints the folder.
# Clients use it with `export SLURM_CONF=<folder>/slurm.conf`; stop it with stop.sh <folder>.
#
#   scripts/slurm/start.sh [DIR]    DIR: the scratch folder (default: a new one under $TMPDIR)
#
# Private everything, so that it neither needs nor disturbs a system Slurm or munge: its own
# munge socket (AuthInfo=socket=…) and free TCP ports, not 6817/6818. Needs root (sbatch tasks
# run as root: SlurmUser=root) and the packages of ensure.sh. On any failure the daemons it
# started are stopped before it exits (the trap), so a failed start leaves nothing running.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/actlab-slurm-XXXXXX")}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# munged refuses a socket folder that others can write or cannot enter; mktemp makes 0700.
# (Every folder above DIR must be enterable by the munge user too.)
chmod 755 "$dir"
trap 'bash "$here/stop.sh" "$dir" >/dev/null 2>&1 || true' ERR

host="$(hostname -s)"
# Two free ports from the kernel (bind to port 0), so parallel test runs never collide.
read -r ctld_port slurmd_port < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((r) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
  Promise.all([free(), free()]).then(([a, b]) => console.log(a, b));')
mem="$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')"
cpus="$(slurmd -C | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' | head -1)"

mkdir -p "$dir/state" "$dir/spool" "$dir/log"
install -d -o munge -g munge -m 0755 "$dir/munge"
sock="$dir/munge/munge.socket"
runuser -u munge -- /usr/sbin/munged --socket="$sock" --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
cp "$dir/munge/munged.pid" "$dir/munged.pid"

cat >"$dir/slurm.conf" <<CONF
ClusterName=actlab
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF"

# Ready when the node is idle (about 0.3 s measured); give up after 30 s.
for _ in $(seq 1 300); do
  if sinfo -h -o '%t' 2>/dev/null | grep -qx 'idle'; then echo "$dir"; trap - ERR; exit 0; fi
  sleep 0.1
done
echo "slurm did not become ready in 30 s; logs in $dir/log" >&2
false
