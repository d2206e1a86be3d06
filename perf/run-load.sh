#!/usr/bin/env bash
# End-to-end load: the published Native AOT server over gRPC and REST at 1, 2 and 8 clients, against the
# in-process engine on the same storage and queries. Writes perf/results/server-load.{md,json}.
# Env: LOAD_EF (default 64), LOAD_QUERIES (default 2000). Needs the Fashion-MNIST files that
# perf/run-bench.sh prepares (it is run first by ./build.sh bench).
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
[ -x artifacts/publish/aotvector/aotvector ] || ./build.sh publish
echo "== building AotVector.LoadGen"
dotnet build perf/AotVector.LoadGen/AotVector.LoadGen.csproj -c Release -nologo -v q -o "$WORK/loadgen" >/dev/null
AOTVECTOR_BIN="$ROOT/artifacts/publish/aotvector/aotvector" "$WORK/loadgen/AotVector.LoadGen" "$DATA" "$ROOT/perf/results" "${LOAD_EF:-64}" "${LOAD_QUERIES:-2000}"
