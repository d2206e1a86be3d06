#!/usr/bin/env bash
# ANN harness: our HNSW (JIT and Native AOT builds) against hnswlib (-O3 -march=native) on Fashion-MNIST, then
# hnswlib against our Native AOT build on the seeded synthetic 1M x 128 set, in one invocation, alternating engines,
# then the whole engine's memory on the 1M set. Writes perf/results/{fashion-mnist,synthetic-1m}.{json,md,png}.
# Env: BENCH_ROUNDS (default 1: engine order hnswlib, ours-jit, ours-aot per round),
#      BENCH_SEARCH_PASSES (default 3 passes over the ef list per engine run; the best time per ef counts),
#      BENCH_SKIP_AOT=1 to skip the Native AOT build,
#      BENCH_DATASETS (default "fashion-mnist synthetic-1m sparse hybrid"; sparse writes perf/results/sparse.json,
#        hybrid perf/results/hybrid.json and hybrid.md; "multi", not in the default, writes perf/results/multivector.json:
#        MaxSim exact vs HNSW),
#      BENCH_SCALE_BUILD1=0 to skip the 1-thread builds on the 1M set (each takes several minutes on 2 cores),
#      BENCH_SCALE_PAYLOAD=0 to skip the engine-memory run with a small payload per point.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA="$ROOT/perf/data/fashion-mnist"
SCALE_DATA="$ROOT/perf/data/synthetic-1m"
DATASETS=${BENCH_DATASETS:-"fashion-mnist synthetic-1m sparse hybrid"}
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

if [[ " $DATASETS " == *" fashion-mnist "* ]]; then
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
fi

if [[ " $DATASETS " == *" synthetic-1m "* ]]; then
  if [ ! -f "$SCALE_DATA/truth.ibin" ]; then
    echo "== generating the synthetic 1M x 128 set and exact ground truth (seeded; once; cached in perf/data/)"
    "$WORK/jit/AotVector.AnnBench" synth "$SCALE_DATA"
  fi

  # The 1M set runs hnswlib and one build of ours (Native AOT unless skipped): each run builds a 1M-point graph.
  scale_engines=("${engines[0]}" "${engines[-1]}")
  export BENCH_BUILD1=${BENCH_SCALE_BUILD1:-1}
  scale_runs="$WORK/scale-runs.jsonl"
  : > "$scale_runs"
  for round in $(seq 1 "$ROUNDS"); do
    for entry in "${scale_engines[@]}"; do
      name=${entry%%:*}; bin=${entry#*:}
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      echo "== synthetic-1m round $round: $name (load average: $load)"
      # The load average at the start of each run goes into its JSON line (the report lists it).
      if [ "$name" = hnswlib ]; then
        "$bin" "$SCALE_DATA" | sed "s/^{/{\"load_average\":\"$load\",/" | tee -a "$scale_runs"
      else
        "$bin" run "$SCALE_DATA" "$name" | sed "s/^{/{\"load_average\":\"$load\",/" | tee -a "$scale_runs"
      fi
    done
  done
  unset BENCH_BUILD1

  # The memory target is about the database: the whole engine in-process through its public API.
  memory_runs="$WORK/engine-memory.jsonl"
  : > "$memory_runs"
  modes=(plain reopen)
  [ "${BENCH_SCALE_PAYLOAD:-1}" = 0 ] || modes+=(payload)
  bench_bin=${engines[-1]#*:}
  for mode in "${modes[@]}"; do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "== synthetic-1m engine memory, $mode (load average: $load)"
    "$bench_bin" engine-memory "$SCALE_DATA" "$WORK/engine-memory-storage" "$mode" | sed "s/^{/{\"load_average\":\"$load\",/" | tee -a "$memory_runs"
  done
  rm -rf "$WORK/engine-memory-storage"

  $PY perf/report.py "$scale_runs" "$OUT" synthetic-1m "$memory_runs"
fi

# The sparse set (inverted index against brute force, single-threaded); BENCH_DATASETS must name "sparse".
if [[ " $DATASETS " == *" sparse "* ]]; then
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "== sparse: 200,000 docs x ~100 nnz over a 30,000-term Zipf vocabulary, ~20-nnz queries (load average: $load)"
  "${engines[-1]#*:}" sparse "$WORK/sparse-storage" | sed "s/^{/{\"load_average\":\"$load\",/" | tee "$OUT/sparse.json"
  rm -rf "$WORK/sparse-storage"
fi

# The multivector set (20,000 ColBERT-like points x 16 rows x 64-d, MaxSim exact vs the graph at a few ef, with recall).
if [[ " $DATASETS " == *" multi "* ]]; then
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "== multivector: 20,000 points x 16 rows x 64-d, 4-row queries (load average: $load)"
  "${engines[-1]#*:}" multi "$WORK/multi-storage" | sed "s/^{/{\"load_average\":\"$load\",/" | tee "$OUT/multivector.json"
  rm -rf "$WORK/multi-storage"
fi

# The hybrid query (dense HNSW + sparse + RRF) next to dense-only on Fashion-MNIST; BENCH_DATASETS must name "hybrid".
if [[ " $DATASETS " == *" hybrid "* ]]; then
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "== hybrid: Fashion-MNIST (60,000 x 784, Euclid) + synthetic sparse vectors, dense / sparse / RRF-fused (load average: $load)"
  "${engines[-1]#*:}" hybrid /usr/share/datasets/fashion-mnist "$WORK/hybrid-storage" \
    | sed "s/^{/{\"load_average\":\"$load\",\"engine\":\"${engines[-1]%%:*}\",/" | tee "$OUT/hybrid.json"
  rm -rf "$WORK/hybrid-storage"
  $PY perf/hybrid-report.py "$OUT/hybrid.json" "$OUT/hybrid.md"
fi
