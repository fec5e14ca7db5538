#!/usr/bin/env bash
# Installs the cluster engines the cluster tests start on 127.0.0.1 (SlurmClusterTest, SparkClusterTest):
#   slurm-wlm, munge   Debian packages: slurmctld, slurmd, sbatch/squeue/scancel, munged (scripts/slurm-local.sh)
#   pyspark==4.2.0     from PyPI into .spark-venv/ (git-ignored): a Spark distribution with bin/spark-submit and
#                      spark-class (scripts/spark-local.sh); scripts/requirements-spark.txt pins it
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

venv=.spark-venv
want="$(grep -E '^pyspark==' scripts/requirements-spark.txt | cut -d= -f3)"
if [[ "$("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null)" != "$want" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements-spark.txt
fi
echo "pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)') in $venv"
