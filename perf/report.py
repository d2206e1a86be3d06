#!/usr/bin/env python3
"""Merges the harness runs (one JSON object per engine run) into perf/results/DATASET.{json,md,png}.

Usage: report.py RUNS.jsonl OUT_DIR [DATASET] [ENGINE_MEMORY.jsonl]; DATASET is fashion-mnist (default) or
synthetic-1m, whose report also carries the whole-engine memory runs (AnnBench engine-memory).

Per engine and ef the best QPS over all runs counts (the least disturbed one on a shared machine); build times
take the minimum too. Ratios are ours / hnswlib from the same invocation.
"""
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone


DATASETS = {
    "fashion-mnist": {
        "title": "fashion-mnist-784-euclidean",
        "size": "60,000 base, 10,000 queries",
        "base_mb": 188,
    },
    "synthetic-1m": {
        "title": "synthetic-1m-128-euclidean",
        "size": "1,000,000 base, 1,000 queries; 500 seeded gaussian clusters spread along 16 directions each, "
                "queries from the same distribution (AnnBench synth)",
        "base_mb": 512,
    },
}


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    flags = open("/proc/cpuinfo").read()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "avx512": " avx512f " in flags,
        "kernel": platform.release(),
        "load_average_at_report": open("/proc/loadavg").read().split()[:3],
        "dotnet": subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip(),
        "gxx": subprocess.run(["g++", "-dumpfullversion"], capture_output=True, text=True).stdout.strip(),
        "note": "shared machine: other processes ran during the benchmark; only same-run ratios are meaningful",
    }


def merge(runs):
    engines = {}
    for run in runs:
        e = engines.setdefault(run["engine"], {"build_seconds_1t": [], "build_seconds_2t": [], "peak_rss_mb": [], "runs": {}})
        e["build_seconds_1t"].append(run["build_seconds_1t"])
        e["build_seconds_2t"].append(run["build_seconds_2t"])
        e["peak_rss_mb"].append(run["peak_rss_mb"])
        if "index_mb" in run:
            e["index_mb"] = run["index_mb"]
        for r in run["runs"]:
            best = e["runs"].setdefault(r["ef"], {"ef": r["ef"], "recall": r["recall"], "qps": 0.0, "cpu_qps": 0.0})
            best["qps"] = max(best["qps"], r["qps"])
            best["cpu_qps"] = max(best["cpu_qps"], r.get("cpu_qps", 0.0))
    for e in engines.values():
        e["build_seconds_1t"] = min(e["build_seconds_1t"])
        e["build_seconds_2t"] = min(e["build_seconds_2t"])
        e["peak_rss_mb"] = max(e["peak_rss_mb"])
        e["runs"] = sorted(e["runs"].values(), key=lambda r: r["ef"])
    return engines


def table(engines):
    ref = engines["hnswlib"]
    ours = [n for n in engines if n != "hnswlib"]
    lines = ["| ef | hnswlib recall | hnswlib QPS | " + " | ".join(f"{n} recall | {n} QPS | {n}/hnswlib" for n in ours) + " |",
             "|---:|---:|---:|" + "---:|---:|---:|" * len(ours)]
    for i, r in enumerate(ref["runs"]):
        row = f"| {r['ef']} | {r['recall']:.4f} | {r['qps']:,.0f} |"
        for n in ours:
            o = engines[n]["runs"][i]
            row += f" {o['recall']:.4f} | {o['qps']:,.0f} | **{o['qps'] / r['qps']:.2f}x** |"
        lines.append(row)
    lines += ["", "Per CPU second (queries / process CPU time, less sensitive to time-slicing by other jobs):", "",
              "| ef | hnswlib | " + " | ".join(f"{n} | {n}/hnswlib" for n in ours) + " |",
              "|---:|---:|" + "---:|---:|" * len(ours)]
    for i, r in enumerate(ref["runs"]):
        row = f"| {r['ef']} | {r['cpu_qps']:,.0f} |"
        for n in ours:
            o = engines[n]["runs"][i]
            ratio = o["cpu_qps"] / r["cpu_qps"] if r["cpu_qps"] else 0
            row += f" {o['cpu_qps']:,.0f} | **{ratio:.2f}x** |"
        lines.append(row)
    lines += ["", "| engine | build 1 thread (s) | build 2 threads (s) | build ratio 1t / 2t vs hnswlib | peak RSS (MB) |",
              "|---|---:|---:|---:|---:|"]
    for n, e in engines.items():
        # A 1-thread build of 0 s was skipped (BENCH_SCALE_BUILD1=0).
        one = e["build_seconds_1t"] > 0 and ref["build_seconds_1t"] > 0
        ratio = "" if n == "hnswlib" else (f"{e['build_seconds_1t'] / ref['build_seconds_1t']:.2f}x" if one else "skipped") + f" / {e['build_seconds_2t'] / ref['build_seconds_2t']:.2f}x"
        build1 = f"{e['build_seconds_1t']:.1f}" if e["build_seconds_1t"] > 0 else "skipped"
        lines.append(f"| {n} | {build1} | {e['build_seconds_2t']:.1f} | {ratio} | {e['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def memory_table(memory):
    """The whole engine's resident memory against raw vectors plus graph files (the 1.3x target)."""
    lines = ["| run | points | segments | upsert (s) | index after upsert (s) | recall@10 (ef 64) | raw vectors (MB) | graph files (MB) "
             "| steady RSS (MB) | peak RSS (MB) | RSS / (raw + graph) | peak / (raw + graph) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for m in memory:
        lines.append(f"| {m['mode']} | {m['points']:,} | {m['segments']} | {m['upsert_seconds']:.0f} | {m['index_seconds']:.0f} | "
                     f"{m['query_recall_at_10']:.4f} | {m['raw_vector_mb']:.0f} | {m['graph_mb']:.0f} | {m['rss_mb']:.0f} | "
                     f"{m['peak_rss_mb']:.0f} | **{m['ratio']:.2f}x** | {m['peak_ratio']:.2f}x |")
    lines += ["", "Where the steady resident set goes (MB; from /proc/self/status, /proc/self/smaps and GC.GetGCMemoryInfo after a "
              "compacting collection):", "",
              "| run | anonymous | file-backed | managed heap | GC committed | GC fragmented | resident by mapping | mapped views of storage files |",
              "|---|---:|---:|---:|---:|---:|---|---|"]
    for m in memory:
        mapped = ", ".join(f"{k} {v:.0f}" for k, v in m["resident_by_file_kind_mb"].items() if v >= 1)
        views = ", ".join(f"{k.removeprefix('storage:')} {v}" for k, v in m.get("storage_mappings", {}).items()) or "n/a"
        lines.append(f"| {m['mode']} | {m['rss_anon_mb']:.0f} | {m['rss_file_mb']:.0f} | {m['gc_heap_mb']:.0f} | "
                     f"{m['gc_committed_mb']:.0f} | {m['gc_fragmented_mb']:.0f} | {mapped} | {views} |")
    lines += ["", "Reading the breakdown: VmRSS counts a file page once per mapping that has it resident. A vector file that "
              "grows while points are upserted gets a new view per growth step; MappedFile keeps the older views (spans "
              "handed out stay valid) but releases their pages (madvise DONTNEED), so each page counts about once, as in a "
              "reopened segment. A graph is served from its memory-mapped file both after a build and after a reopen. "
              "Anonymous memory is almost all managed heap: the id trackers and the per-point payload slots (payloads "
              "live on the heap; on_disk_payload is not honoured yet)."]
    lines += ["", "Storage directory after the run (MB on disk): " + "; ".join(
        f"{m['mode']}: " + ", ".join(f"{k} {v:.0f}" for k, v in m["storage_files_mb"].items()) for m in memory)]
    return "\n".join(lines)


def plot(engines, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5))
    for name, e in engines.items():
        xs = [r["recall"] for r in e["runs"]]
        ys = [r["qps"] for r in e["runs"]]
        ax.plot(xs, ys, marker="o", label=name)
        for r in e["runs"]:
            ax.annotate(str(r["ef"]), (r["recall"], r["qps"]), fontsize=7, textcoords="offset points", xytext=(3, 3))
    ax.set_yscale("log")
    ax.set_xlabel("recall@10")
    ax.set_ylabel("queries/s, single thread (log)")
    ax.set_title(f"{title}, M=16, ef_construct=100 (labels: ef)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    runs_path, out = sys.argv[1], sys.argv[2]
    name = sys.argv[3] if len(sys.argv) > 3 else "fashion-mnist"
    dataset = DATASETS[name]
    runs = [json.loads(line) for line in open(runs_path) if line.strip().startswith("{")]
    memory = []
    if len(sys.argv) > 4 and os.path.exists(sys.argv[4]):
        memory = [json.loads(line) for line in open(sys.argv[4]) if line.strip().startswith("{")]
    engines = merge(runs)
    info = machine()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    result = {"dataset": f"{dataset['title']} ({dataset['size'].split(';')[0]})", "k": 10, "m": 16, "ef_construct": 100,
              "date": stamp, "machine": info, "engines": engines, "raw_runs": runs}
    if memory:
        result["engine_memory"] = memory
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(result, f, indent=2)
    ours = [n for n in engines if n != "hnswlib"]
    builds = ("`aotvector-jit` (Release, tiered PGO) and `aotvector-aot` (Native AOT, `IlcInstructionSet=native`)"
              if len(ours) > 1 else f"`{ours[0]}`" + (" (Native AOT, `IlcInstructionSet=native`)" if ours[0].endswith("aot") else ""))
    lines = [
        f"# ANN benchmark: {dataset['title']}",
        "",
        f"Run {stamp} by `./build.sh bench` (perf/run-bench.sh). Machine: {info['cpu']}, {info['cores']} cores, "
        f"AVX-512 {'yes' if info['avx512'] else 'no'}, .NET {info['dotnet']}, g++ {info['gxx']}.",
        "",
    ]
    if name != "fashion-mnist":
        lines += [f"Data: {dataset['size']}.", ""]
    lines += [
        "**Shared machine:** other processes were running (load average at report time "
        f"{' '.join(info['load_average_at_report'])}); absolute numbers move 10-40% between runs, only the ratios from "
        "this one run mean much. QPS is the best of several interleaved passes; build time is the minimum over runs.",
        "",
        f"hnswlib 0.6.2 (Debian libhnswlib-dev) compiled `-O3 -march=native`; ours as {builds}. Both M=16, ef_construct=100, k=10, one query at a time "
        f"on one thread. Peak RSS includes the {dataset['base_mb']} MB base set read by each program (hnswlib also copies it into its index).",
        "",
        table(engines),
        "",
        f"![recall vs QPS]({name}.png)",
        "",
    ]
    loads = [f"{r['engine']} {r['load_average']}" for r in runs if "load_average" in r]
    if name != "fashion-mnist" and loads:
        lines += ["Load average (1, 5, 15 min) at the start of each run, in run order: " + "; ".join(loads) + ".", ""]
    if memory:
        lines += ["## Memory target: the whole engine on this set", "",
                  "`AotVector.AnnBench engine-memory` (Native AOT) opens `VectorEngine` on an empty storage directory, creates a "
                  "128-d Euclid collection with default settings, upserts the points in batches of 1,000 (waiting for each), "
                  "waits until the collection is green with every vector indexed, runs 500 queries, then forces a compacting "
                  "GC and reads VmRSS (steady) and VmHWM (peak). `reopen` opens the same storage in a new process (a restarted "
                  "server); `payload` repeats `plain` with a small payload per point (one integer, one short keyword). "
                  "Target: steady RSS at most 1.3x raw vector bytes plus graph files.", "",
                  memory_table(memory), ""]
        memory_loads = [f"{m['mode']} {m['load_average']}" for m in memory if "load_average" in m]
        if memory_loads:
            lines += ["Load average at the start of each engine-memory run: " + "; ".join(memory_loads) + ".", ""]
    with open(os.path.join(out, f"{name}.md"), "w") as f:
        f.write("\n".join(lines))
    plot(engines, os.path.join(out, f"{name}.png"), dataset["title"])
    print(table(engines))
    if memory:
        print(memory_table(memory))


if __name__ == "__main__":
    main()
