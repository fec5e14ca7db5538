#!/usr/bin/env bash
# Installs what the export test needs into .export-venv/: safetensors, tokenizers and numpy, pinned in
# scripts/requirements-export.txt. Idempotent: does nothing when they import.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.export-venv
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import safetensors, tokenizers, numpy' 2>/dev/null; then
  echo "safetensors, tokenizers and numpy already in $venv"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements-export.txt
"$venv/bin/python" -c 'import safetensors, tokenizers, numpy; print("export check:", safetensors.__version__, tokenizers.__version__, numpy.__version__)'
