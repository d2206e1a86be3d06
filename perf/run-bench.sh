#!/usr/bin/env bash
# ANN harness: our HNSW (JIT and Native AOT builds) against hnswlib (-O3 -march=native) on Fashion-MNIST,
# in one invocation, alternating engines. Writes perf/results/fashion-mnist.{json,md,png}.
# Env: BENCH_ROUNDS (default 1: engine order hnswlib, ours-jit, ours-aot per round),
#      BENCH_SEARCH_PASSES (default 3 passes over the ef list per engine run; the best time per ef counts),
#      BENCH_SKIP_AOT=1 to skip the Native AOT build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA="$ROOT/perf/data/fashion-mnist"
OUT="$ROOT/perf/results"
WORK="$ROOT/artifacts/bench"
ROUNDS=${BENCH_ROUNDS:-1}
mkdir -p "$OUT" "$WORK"

# Debian's interpreter, where python3-matplotlib installs (a pyenv or venv python3 on PATH would not see it).
PY=/usr/bin/python3
need=()
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
[ -f /usr/include/hnswlib/hnswalg.h ] || need+=(libhnswlib-dev)
[ -x $PY ] && $PY -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
command -v g++ >/dev/null || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

echo "== building hnswlib-bench (g++ -O3 -march=native)"
g++ -O3 -march=native -std=c++17 -pthread -o "$WORK/hnswlib-bench" perf/hnswlib-bench/main.cpp

echo "== building AotVector.AnnBench (JIT, Release)"
dotnet build perf/AotVector.AnnBench/AotVector.AnnBench.csproj -c Release -nologo -v q -o "$WORK/jit" >/dev/null
engines=("hnswlib:$WORK/hnswlib-bench" "aotvector-jit:$WORK/jit/AotVector.AnnBench")
if [ -z "${BENCH_SKIP_AOT:-}" ]; then
  echo "== publishing AotVector.AnnBench (Native AOT, IlcInstructionSet=native)"
  dotnet publish perf/AotVector.AnnBench/AotVector.AnnBench.csproj -c Release -r linux-x64 -nologo -v q \
    -p:PublishAot=true -p:AotIsa=native -o "$WORK/aot" >/dev/null
  engines+=("aotvector-aot:$WORK/aot/AotVector.AnnBench")
fi

if [ ! -f "$DATA/truth.ibin" ]; then
  echo "== preparing Fashion-MNIST and exact ground truth (once; cached in perf/data/)"
  "$WORK/jit/AotVector.AnnBench" prepare /usr/share/datasets/fashion-mnist "$DATA"
fi

runs="$WORK/runs.jsonl"
: > "$runs"
for round in $(seq 1 "$ROUNDS"); do
  for entry in "${engines[@]}"; do
    name=${entry%%:*}; bin=${entry#*:}
    echo "== round $round: $name (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ "$name" = hnswlib ]; then
      "$bin" "$DATA" | tee -a "$runs"
    else
      "$bin" run "$DATA" "$name" | tee -a "$runs"
    fi
  done
done

$PY perf/report.py "$runs" "$OUT"
