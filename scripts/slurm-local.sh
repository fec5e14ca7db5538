#!/usr/bin/env bash
# A single-node Slurm cluster on 127.0.0.1 for tests and trying `ablate run --executor slurm`:
# munged, slurmctld and slurmd with every file (config, key, state, logs, sockets) in one folder,
# no system service touched, stopped by PID.
#
#   scripts/slurm-local.sh start DIR [CPUS]   starts it; prints `export SLURM_CONF=DIR/slurm.conf`
#   scripts/slurm-local.sh stop DIR           stops what `start` started (by the PIDs it recorded)
#
# Needs the Debian packages slurm-wlm and munge (scripts/install-cluster-engines.sh installs them).
# Commands (sbatch, squeue, scancel) reach this cluster when SLURM_CONF points at DIR/slurm.conf.
set -euo pipefail
cmd="${1:?usage: slurm-local.sh start|stop DIR [CPUS]}"
dir="${2:?usage: slurm-local.sh start|stop DIR [CPUS]}"
cpus="${3:-$(nproc)}"

stop() {
  for name in slurmd slurmctld munged; do
    pidfile="$dir/$name.pid"
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pidfile"
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {   # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2"
  shift 2
  for _ in $(seq $((seconds * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "slurm-local: $what did not come up in ${seconds}s; logs in $dir" >&2
  tail -n 20 "$dir"/*.log >&2 || true
  stop
  exit 1
}

case "$cmd" in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *)
    echo "slurm-local: unknown command '$cmd' (expected start or stop)" >&2
    exit 2
    ;;
esac

for tool in munged slurmctld slurmd sbatch; do
  command -v "$tool" >/dev/null || { echo "slurm-local: $tool is not installed (Debian packages slurm-wlm, munge)" >&2; exit 2; }
done
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
dir="$(cd "$dir" && pwd)"
chmod 755 "$dir/munge"
user="$(id -un)"
host="$(hostname -s)"

# munge: its own key and socket
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed"
wait_for 10 munged test -S "$dir/munge/munge.socket"

ctld_port="$(free_port)"
slurmd_port="$(free_port)"
memory_mb="$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)"
cat >"$dir/slurm.conf" <<EOF
ClusterName=ablate-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobRequeue=1
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
SchedulerParameters=sched_interval=1
MinJobAge=600
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=ablate-node NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=local Nodes=ablate-node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
wait_for 20 slurmctld scontrol ping
slurmd -f "$SLURM_CONF" -N ablate-node
wait_for 30 "slurmd (node ablate-node idle)" bash -c "sinfo -h -n ablate-node -o %t | grep -qx idle"
echo "export SLURM_CONF=$SLURM_CONF"
