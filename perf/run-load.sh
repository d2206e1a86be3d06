#!/usr/bin/env bash
# End-to-end load: the published Native AOT server over gRPC and REST at 1, 2 and 8 clients, against the
# in-process engine on the same storage and queries. Writes perf/results/server-load.{md,json}.
# Env: LOAD_EF (default 64), LOAD_QUERIES (default 10000, the whole query set), LOAD_RUNS (default 1),
#      LOAD_CLIENTS (default 1,2,8), LOAD_FRONTS (default grpc,grpc-mux,grpc-lean,grpc-raw,rest);
#      the paired measurement of the target (server and in-process AOT chunks in turn): LOAD_PAIRED_ROUNDS (default 7,
#      0 = off), LOAD_PAIRED_QUERIES (default 4000 per chunk), LOAD_PAIRED_CLIENTS (default 2), LOAD_PAIRED_FRONTS
#      (default grpc,grpc-raw). Needs the Fashion-MNIST files that perf/run-bench.sh prepares (run first by ./build.sh bench).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA="$ROOT/perf/data/fashion-mnist"
WORK="$ROOT/artifacts/bench"
mkdir -p "$WORK"
if [ ! -f "$DATA/truth.ibin" ]; then
  echo "perf/data/fashion-mnist is missing: run perf/run-bench.sh (or ./build.sh bench) first" >&2
  exit 1
fi
# The server is published for this machine's instruction set, like the in-process engine's JIT code (AVX-512 here):
# the default x86-64-v3 build would make the comparison one of SIMD widths, not of front ends.
echo "== publishing the server (Native AOT, IlcInstructionSet=native)"
dotnet publish src/AotVector.Server/AotVector.Server.csproj -c Release -r linux-x64 -p:AotIsa=native -nologo -v q \
  -o "$WORK/server-native" >/dev/null
# The in-process baseline runs in AnnBench published the same way, so the comparison isolates the front end.
echo "== publishing AotVector.AnnBench (Native AOT, IlcInstructionSet=native) for the in-process baseline"
dotnet publish perf/AotVector.AnnBench/AotVector.AnnBench.csproj -c Release -r linux-x64 -nologo -v q \
  -p:PublishAot=true -p:AotIsa=native -o "$WORK/aot" >/dev/null
echo "== building AotVector.LoadGen"
dotnet build perf/AotVector.LoadGen/AotVector.LoadGen.csproj -c Release -nologo -v q -o "$WORK/loadgen" >/dev/null
# LOAD_RUNS (default 1) repeats the whole run on a fresh server: on a shared machine one run can be skewed.
runs=${LOAD_RUNS:-1}
for i in $(seq 1 "$runs"); do
  echo "== run $i of $runs"
  rm -rf "$WORK/load-run$i"
  AOTVECTOR_BIN="$WORK/server-native/aotvector" LOAD_AOT_ENGINE="$WORK/aot/AotVector.AnnBench" \
    "$WORK/loadgen/AotVector.LoadGen" "$DATA" "$WORK/load-run$i" "${LOAD_EF:-64}" "${LOAD_QUERIES:-10000}"
done
# One report: each run's table in order (markdown), and a JSON array with one object per run.
{
  head -n 1 "$WORK/load-run1/server-load.md"
  for i in $(seq 1 "$runs"); do
    [ "$runs" -gt 1 ] && printf '\n## Run %s of %s\n' "$i" "$runs"
    tail -n +2 "$WORK/load-run$i/server-load.md"
  done
} > perf/results/server-load.md
{
  printf '['
  for i in $(seq 1 "$runs"); do
    [ "$i" -gt 1 ] && printf ','
    cat "$WORK/load-run$i/server-load.json"
  done
  printf ']\n'
} > perf/results/server-load.json
echo "== wrote perf/results/server-load.md and .json ($runs run(s))"
