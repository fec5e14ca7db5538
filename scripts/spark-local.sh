#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 for tests and trying `ablate run --executor spark`: one master
# and N workers (1 core each by default) from the pinned pyspark in .spark-venv/
# (scripts/install-cluster-engines.sh), every file in one folder, stopped by PID.
#
#   scripts/spark-local.sh start DIR [WORKERS] [CORES]   prints `export SPARK_HOME=…` and `MASTER=spark://…`
#   scripts/spark-local.sh stop DIR                      stops what `start` started (by the PIDs it recorded)
set -euo pipefail
cmd="${1:?usage: spark-local.sh start|stop DIR [WORKERS] [CORES]}"
dir="${2:?usage: spark-local.sh start|stop DIR [WORKERS] [CORES]}"
workers="${3:-2}"
cores="${4:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"

stop() {
  for pidfile in "$dir"/*.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      # a worker's executors are its children: end them with it
      children="$(pgrep -P "$pid" || true)"
      kill "$pid" $children 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" $children 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$cmd" in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *)
    echo "spark-local: unknown command '$cmd' (expected start or stop)" >&2
    exit 2
    ;;
esac

spark_home="$(ls -d "$root"/.spark-venv/lib/python3*/site-packages/pyspark 2>/dev/null | head -n1 || true)"
if [[ -z "$spark_home" || ! -x "$spark_home/bin/spark-class" ]]; then
  echo "spark-local: pyspark is not installed in $root/.spark-venv (run scripts/install-cluster-engines.sh)" >&2
  exit 2
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
export SPARK_HOME="$spark_home" SPARK_LOG_DIR="$dir" SPARK_PID_DIR="$dir" SPARK_LOCAL_IP=127.0.0.1
port="$(free_port)"
master="spark://127.0.0.1:$port"

nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port "$(free_port)" >"$dir/master.log" 2>&1 &
echo $! >"$dir/master.pid"
for _ in $(seq 300); do
  grep -qs "I have been elected leader" "$dir/master.log" && break
  kill -0 "$(cat "$dir/master.pid")" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "I have been elected leader" "$dir/master.log"; then
  echo "spark-local: the master did not come up; log:" >&2
  tail -n 30 "$dir/master.log" >&2
  stop
  exit 1
fi

for i in $(seq "$workers"); do
  mkdir -p "$dir/worker-$i"
  nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" \
    --memory 2g --webui-port "$(free_port)" --work-dir "$dir/worker-$i" "$master" >"$dir/worker-$i.log" 2>&1 &
  echo $! >"$dir/worker-$i.pid"
done
for i in $(seq "$workers"); do
  for _ in $(seq 300); do
    grep -qs "Successfully registered with master" "$dir/worker-$i.log" && break
    sleep 0.1
  done
  if ! grep -q "Successfully registered with master" "$dir/worker-$i.log"; then
    echo "spark-local: worker $i did not register; log:" >&2
    tail -n 30 "$dir/worker-$i.log" >&2
    stop
    exit 1
  fi
done
echo "export SPARK_HOME=$SPARK_HOME"
echo "MASTER=$master"
