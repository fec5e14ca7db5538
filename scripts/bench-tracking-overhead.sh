#!/usr/bin/env bash
# Benchmark: what does MLflow logging cost a training run? Trains the quickstart model (one variant,
# one seed per repetition) with tracking off, into the local file store, and into a real MLflow server
# (from .mlflow-venv/, see scripts/install-mlflow.sh), interleaved, and prints per mode the mean
# wall time per run and the time the training thread spent handing metrics to the tracker (the
# ablate.tracking_overhead tag). Usage: scripts/bench-tracking-overhead.sh [steps] [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-400}"
reps="${2:-3}"
work="$(mktemp -d)"
trap 'kill $(cat "$work/server.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.mlflow-venv/bin/mlflow server --host 127.0.0.1 --port "$port" --workers 1 \
  --backend-store-uri "sqlite:///$work/mlflow.db" --artifacts-destination "$work/artifacts" >"$work/server.log" 2>&1 &
echo $! >"$work/server.pid"
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.5; done
./ablate plugins >/dev/null            # build once, outside the timings

declare -A uri=([none]=none [file]="$work/mlruns" [server]="http://127.0.0.1:$port")
for rep in $(seq 1 "$reps"); do
  for mode in none file server; do
    ./ablate run experiments/quickstart.yaml --quiet --results-dir "$work/results-$mode-$rep" \
      --tracking-uri "${uri[$mode]}" --set base.train.steps="$steps" --set base.train.eval_every=100 \
      --set "seeds=[$rep]" --set 'ablate.grid={model.positional.type: [rotary]}' \
      --set 'baseline={model.positional.type: rotary}' >/dev/null
  done
done
python3 - "$work" "$reps" <<'PY'
import glob, json, sys, statistics
work, reps = sys.argv[1], int(sys.argv[2])
base = None
for mode in ["none", "file", "server"]:
    walls, tps = [], []
    for rep in range(1, reps + 1):
        for f in glob.glob(f"{work}/results-{mode}-{rep}/quickstart/runs/*/run.json"):
            r = json.load(open(f))
            walls.append(r["wall_seconds"] / r["steps"] * 1000)
            tps.append(r["tokens_per_second"])
    mean = statistics.median(walls)
    base = base or (mean, statistics.median(tps))
    print(f"{mode:7s} median {mean:6.2f} ms/step wall (runs: {', '.join(f'{w:.2f}' for w in walls)}), ratio to none "
          f"{mean / base[0]:.3f}; training steps alone {statistics.median(tps):7.0f} tokens/s, ratio to none "
          f"{statistics.median(tps) / base[1]:.3f}")
PY
echo "time on the training thread inside the tracker, per run (tag ablate.tracking_overhead):"
if [[ -d "$work/mlruns" ]]; then
  find "$work/mlruns" -path '*tags/ablate.tracking_overhead' -exec sh -c 'echo "  file:   $(cat "$1")"' _ {} \;
fi
curl -s "http://127.0.0.1:$port/api/2.0/mlflow/experiments/get-by-name?experiment_name=quickstart" >"$work/exp.json"
exp=$(python3 -c "import json;print(json.load(open('$work/exp.json'))['experiment']['experiment_id'])")
curl -s -X POST "http://127.0.0.1:$port/api/2.0/mlflow/runs/search" -H 'Content-Type: application/json' \
  -d "{\"experiment_ids\":[\"$exp\"]}" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["runs"]:
    for t in r["data"].get("tags", []):
        if t["key"] == "ablate.tracking_overhead":
            print("  server: " + t["value"])'
