#!/usr/bin/env python3
"""perf/results/hybrid.md from the JSON line `AotVector.AnnBench hybrid` prints: the hybrid query next to dense-only."""
import json
import sys


def main():
    run = json.loads(open(sys.argv[1]).read())
    rows = [
        ("dense only (HNSW, ef %d)" % run["ef"], "dense"),
        ("sparse only (inverted index)", "sparse"),
        ("hybrid: dense + sparse prefetch (%d each), RRF" % run["branch_limit"], "hybrid"),
    ]
    lines = [
        "# Hybrid query on Fashion-MNIST",
        "",
        "Written by `./build.sh bench` (perf/run-bench.sh, `AotVector.AnnBench hybrid`, %s build): the whole engine in-process,"
        % run.get("engine", "aotvector-jit"),
        "one collection of %d Fashion-MNIST images (%d dims, Euclid, HNSW with the default m 16 / ef_construct 100) and a"
        % (run["points"], run["dim"]),
        "seeded synthetic sparse vector per image (about %d Zipf-distributed terms of %d; queries about %d), the %d test images"
        % (run["doc_nnz"], run["vocabulary"], run["query_nnz"], run["queries"]),
        "as queries, single-threaded, top 10. Load average at the start: %s (the machine is shared)." % run.get("load_average", "?"),
        "",
        "| query | queries/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for label, key in rows:
        lines.append("| %s | %.0f | %.3f | %.3f |" % (label, run[key + "_qps"], run[key + "_p50_ms"], run[key + "_p99_ms"]))
    lines += [
        "",
        "Loading took %.1f s (upserts) and indexing %.1f s more; %d of the %d images were in graphs (the rest, in the appendable segment below the indexing threshold, are searched exactly)." % (run["upsert_seconds"], run["index_seconds"], run["indexed_vectors"], run["points"]),
        "",
    ]
    open(sys.argv[2], "w").write("\n".join(lines))


if __name__ == "__main__":
    main()
