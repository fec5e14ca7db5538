#!/usr/bin/env bash
# Installs the cluster engines the cluster tests start on 127.0.0.1 (SlurmClusterTest):
#   slurm-wlm, munge   Debian packages: slurmctld, slurmd, sbatch/squeue/scancel, munged (scripts/slurm-local.sh)
# Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "slurm-wlm $(dpkg-query -W -f '${Version}' slurm-wlm) installed"
