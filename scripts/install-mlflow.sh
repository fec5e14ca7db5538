#!/usr/bin/env bash
# Installs the MLflow server and Python client into .mlflow-venv/ for the tracking tests
# (they start `mlflow server` from there). Idempotent: does nothing when the pinned version is present.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.mlflow-venv
want="$(grep -E '^mlflow==' scripts/requirements-mlflow.txt | cut -d= -f3)"
if [[ -x "$venv/bin/mlflow" ]] && [[ "$("$venv/bin/python" -c 'import mlflow; print(mlflow.__version__)' 2>/dev/null)" == "$want" ]]; then
  echo "MLflow $want already in $venv"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements-mlflow.txt
"$venv/bin/mlflow" --version
