using System.Diagnostics;
using System.Globalization;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment;

namespace AotVector.AnnBench;

/// <summary>
/// The sparse set: a seeded SPLADE-like corpus (Zipf-distributed terms) in one segment, queried single-threaded
/// through its in-memory index, then through its built index file (as an optimized segment is), with and without a
/// payload filter, against an exact brute-force scorer over the same vectors in the same run; then the segment is
/// reopened. Prints one JSON object: insert, index build and reopen times, sizes, queries/s and p50/p99 latency.
/// </summary>
internal static class SparseBench
{
    public static string Run(string storage, int documents, int vocabulary, int docNonZeros, int queryNonZeros, int queries)
    {
        var random = new Random(2024);
        var zipf = ZipfTable(vocabulary);
        var directory = Path.Combine(storage, "sparse-bench");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var docs = new SparseVector[documents];
        for (var i = 0; i < documents; i++)
        {
            docs[i] = Draw(random, zipf, docNonZeros);
        }

        var segment = PointSegment.Create(directory, new Dictionary<string, VectorSpec>());
        var build = Stopwatch.StartNew();
        for (var i = 0; i < documents; i++)
        {
            var payload = new Payload { ["bucket"] = PayloadValue.FromInteger(i % 10) };
            segment.Upsert((ulong)i + 1, (ulong)i, new Dictionary<string, VectorData> { ["text"] = docs[i] }, payload);
        }

        var buildSeconds = build.Elapsed.TotalSeconds;
        var flush = Stopwatch.StartNew();
        segment.Flush((ulong)documents);
        var flushSeconds = flush.Elapsed.TotalSeconds;
        var fileBytes = Directory.GetFiles(directory, "sparse-*.bin").Sum(f => new FileInfo(f).Length);
        var postings = segment.SparsePostingCount("text");

        var querySet = Enumerable.Range(0, queries).Select(_ => Draw(random, zipf, queryNonZeros)).ToArray();
        var filter = new Filter(Must: [new FieldCondition("bucket", Match: new MatchValue(PayloadValue.FromInteger(3)))]);

        // The appendable segment's in-memory index first, then the built file an optimized segment searches.
        var (mqps, _, mp99) = Measure(querySet, q => segment.SearchSparse("text", q, null, 10));
        var index = Stopwatch.StartNew();
        var job = segment.PrepareSparseIndexBuild("text", new SparseIndexPolicy(1, OnDisk: false))!;
        job.Run(CancellationToken.None);
        segment.InstallSparseIndex(job);
        var indexSeconds = index.Elapsed.TotalSeconds;
        var indexFileBytes = segment.SparseIndexInfo("text")!.Value.FileBytes;

        var (qps, p50, p99) = Measure(querySet, q => segment.SearchSparse("text", q, null, 10));
        var (fqps, fp50, fp99) = Measure(querySet, q => segment.SearchSparse("text", q, filter, 10));

        // Brute force over the same vectors (fewer queries: it is slow by design); also checks the index's answers.
        var bruteQueries = querySet.Take(Math.Min(50, queries)).ToArray();
        var mismatches = 0;
        var (bqps, bp50, bp99) = Measure(bruteQueries, q =>
        {
            var top = new TopHits(10);
            for (var i = 0; i < docs.Length; i++)
            {
                if (PointSegment.SparseDot(q, docs[i]) is { } score)
                {
                    top.Add(new SearchHit((ulong)i, score, 0));
                }
            }

            var exact = top.ToSortedList();
            var viaIndex = segment.SearchSparse("text", q, null, 10);
            if (!exact.Select(h => MathF.Round(h.Score, 3)).SequenceEqual(viaIndex.Select(h => MathF.Round(h.Score, 3))))
            {
                mismatches++;
            }

            return exact;
        });

        // Reopening the segment: what a restart costs this vector before it can be searched again.
        segment.Dispose();
        var reopen = Stopwatch.StartNew();
        using var reopened = PointSegment.Open(directory);
        var reopenSeconds = reopen.Elapsed.TotalSeconds;
        var reopenedHits = reopened.SearchSparse("text", querySet[0], null, 10).Count;

        static string N(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
        return "{" + string.Join(",",
            $"\"documents\":{documents}", $"\"vocabulary\":{vocabulary}", $"\"doc_nnz\":{docNonZeros}", $"\"query_nnz\":{queryNonZeros}",
            $"\"build_seconds\":{N(buildSeconds)}", $"\"flush_seconds\":{N(flushSeconds)}", $"\"postings\":{postings}",
            $"\"index_bytes_in_memory\":{postings * 8}", $"\"file_bytes\":{fileBytes}",
            $"\"index_build_seconds\":{N(indexSeconds)}", $"\"index_file_bytes\":{indexFileBytes}",
            $"\"in_memory_index_qps\":{N(mqps)}", $"\"in_memory_index_p99_ms\":{N(mp99)}",
            $"\"qps\":{N(qps)}", $"\"p50_ms\":{N(p50)}", $"\"p99_ms\":{N(p99)}",
            $"\"filtered_qps\":{N(fqps)}", $"\"filtered_p50_ms\":{N(fp50)}", $"\"filtered_p99_ms\":{N(fp99)}",
            $"\"brute_force_qps\":{N(bqps)}", $"\"brute_force_p99_ms\":{N(bp99)}", $"\"brute_force_mismatches\":{mismatches}",
            $"\"reopen_seconds\":{N(reopenSeconds)}", $"\"reopened_hits\":{reopenedHits}") + "}";
    }

    private static (double Qps, double P50Ms, double P99Ms) Measure(SparseVector[] queries, Func<SparseVector, List<SearchHit>> search)
    {
        foreach (var q in queries.Take(10))
        {
            search(q); // warm-up
        }

        var latencies = new double[queries.Length];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < queries.Length; i++)
        {
            var one = Stopwatch.StartNew();
            search(queries[i]);
            latencies[i] = one.Elapsed.TotalMilliseconds;
        }

        var seconds = total.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (queries.Length / seconds, latencies[latencies.Length / 2], latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))]);
    }

    // Cumulative Zipf (s = 1) weights over the vocabulary, for drawing terms by binary search.
    internal static double[] ZipfTable(int vocabulary)
    {
        var cumulative = new double[vocabulary];
        var sum = 0.0;
        for (var k = 0; k < vocabulary; k++)
        {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }

        for (var k = 0; k < vocabulary; k++)
        {
            cumulative[k] /= sum;
        }

        return cumulative;
    }

    internal static SparseVector Draw(Random random, double[] zipf, int nonZeros)
    {
        var indices = new HashSet<uint>();
        for (var attempts = 0; indices.Count < nonZeros && attempts < nonZeros * 20; attempts++)
        {
            var at = Array.BinarySearch(zipf, random.NextDouble());
            indices.Add((uint)(at < 0 ? ~at : at));
        }

        var sorted = indices.Order().ToArray();
        return new SparseVector(sorted, [.. sorted.Select(_ => (float)(0.05 + random.NextDouble()))]);
    }
}
