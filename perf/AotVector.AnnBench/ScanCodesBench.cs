using System.Diagnostics;
using System.Globalization;
using AotVector.Common.Model;
using AotVector.Segment;

namespace AotVector.AnnBench;

/// <summary>
/// The scan of points not indexed yet, on one segment with no graph: the first ROWS base vectors of a set (as an
/// appendable segment holds them during a load), QUERIES queries, limit 10, each timed single-threaded in float32
/// (<c>exact</c>) and through the int8 scan codes (the default search of unindexed points), alternating passes; the
/// best pass per mode counts, so a pass disturbed by other tenants does not. Recall@10 of the codes' answers against
/// the float32 scan's. Prints one JSON object.
/// </summary>
internal static class ScanCodesBench
{
    public static string Run(string dataDir, string storage, int rows, int queryCount, int passes)
    {
        var (baseValues, baseRows, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "base.fbin"));
        var (queryValues, queryRows, _) = BinMatrix.Read<float>(Path.Combine(dataDir, "query.fbin"));
        rows = Math.Min(rows, baseRows);
        queryCount = Math.Min(queryCount, queryRows);
        if (Directory.Exists(storage))
        {
            Directory.Delete(storage, recursive: true);
        }

        using var segment = PointSegment.Create(storage, new Dictionary<string, VectorSpec> { [""] = new(dim, Distance.Euclid) });
        segment.SetScanCodes("", true);
        var write = Stopwatch.StartNew();
        for (var i = 0; i < rows; i++)
        {
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = baseValues.AsSpan(i * dim, dim).ToArray() }, null);
        }

        var writeSeconds = write.Elapsed.TotalSeconds;
        var queries = Enumerable.Range(0, queryCount).Select(q => queryValues.AsSpan(q * dim, dim).ToArray()).ToArray();
        var exactOptions = new SegmentSearchOptions(Exact: true);
        var truth = queries.Select(q => segment.Search("", q, null, 10, exactOptions).Select(h => h.Id).ToHashSet()).ToArray();
        double found = 0;
        for (var q = 0; q < queries.Length; q++)
        {
            found += segment.Search("", queries[q], null, 10).Count(h => truth[q].Contains(h.Id));
        }

        double bestFloat = double.MaxValue, bestCodes = double.MaxValue;
        for (var pass = 0; pass < passes; pass++)
        {
            bestFloat = Math.Min(bestFloat, Time(segment, queries, exactOptions));
            bestCodes = Math.Min(bestCodes, Time(segment, queries, null));
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"rows\":{rows},\"dim\":{dim},\"queries\":{queryCount},\"passes\":{passes},\"float32_ms_per_query\":{bestFloat:F3},\"codes_ms_per_query\":{bestCodes:F3},\"speedup\":{bestFloat / bestCodes:F2},\"recall_at_10\":{found / (queries.Length * 10.0):F4},\"codes_bytes\":{segment.ScanCodesState("").Bytes},\"upsert_seconds\":{writeSeconds:F2}}}");
    }

    private static double Time(PointSegment segment, float[][] queries, SegmentSearchOptions? options)
    {
        var watch = Stopwatch.StartNew();
        foreach (var q in queries)
        {
            segment.Search("", q, null, 10, options);
        }

        return watch.Elapsed.TotalMilliseconds / queries.Length;
    }
}
