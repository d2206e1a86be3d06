using System.Diagnostics;
using System.Globalization;
using AotVector.Common.Model;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.AnnBench;

/// <summary>
/// The hybrid query on Fashion-MNIST: the whole engine in-process (as the server runs it), one collection with the
/// images as a dense vector (Euclid, HNSW) and a seeded synthetic sparse vector per image (Zipf terms, SPLADE-like),
/// queried single-threaded three ways with the same test images: dense only, sparse only, and the reference's hybrid
/// query (a dense and a sparse prefetch of 20 each, fused with RRF). Prints one JSON object: queries/s and p50/p99
/// of each, and how long loading and indexing took.
/// </summary>
internal static class HybridBench
{
    private const string Collection = "hybrid";
    private const int Batch = 256;
    private const int Vocabulary = 30_000;
    private const int DocNonZeros = 40;
    private const int QueryNonZeros = 10;
    private const int Ef = 64;
    private const int Branch = 20;

    public static async Task<string> RunAsync(string source, string storage, int rows, int queries)
    {
        var (data, baseRows, dim) = IdxReader.ReadImages(Path.Combine(source, "train-images-idx3-ubyte.gz"));
        var (queryData, queryRows, _) = IdxReader.ReadImages(Path.Combine(source, "t10k-images-idx3-ubyte.gz"));
        rows = Math.Min(rows, baseRows);
        queries = Math.Min(queries, queryRows);
        var random = new Random(1818);
        var zipf = SparseBench.ZipfTable(Vocabulary);

        if (Directory.Exists(storage))
        {
            Directory.Delete(storage, recursive: true);
        }

        using var engine = VectorEngine.Open(EngineOptions.Defaults(storage));
        var created = await engine.CreateAsync(AccessContext.Full, new CreateCollectionRequest(Collection,
            new VectorsConfig(null, new Dictionary<string, VectorParams> { ["image"] = new((ulong)dim, Distance.Euclid) }))
        {
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["text"] = new() },
        }, default);
        Check(created.IsOk, created.IsOk ? null : created.Error.Message);

        var total = Stopwatch.StartNew();
        for (var first = 0; first < rows; first += Batch)
        {
            var points = new PointStruct[Math.Min(Batch, rows - first)];
            for (var i = 0; i < points.Length; i++)
            {
                var vectors = new Dictionary<string, VectorData>
                {
                    ["image"] = data.AsSpan((first + i) * dim, dim).ToArray(),
                    ["text"] = SparseBench.Draw(random, zipf, DocNonZeros),
                };
                points[i] = new PointStruct((ulong)(first + i), vectors, null);
            }

            var upserted = await engine.UpdateAsync(AccessContext.Full, Collection, new UpsertPoints(points), new WriteOptions(Wait: true), default);
            Check(upserted.IsOk, upserted.IsOk ? null : upserted.Error.Message);
        }

        var upsertSeconds = total.Elapsed.TotalSeconds;
        await WaitIndexedAsync(engine, rows);
        var indexed = engine.GetInfo(AccessContext.Full, Collection).Value!.IndexedVectorsCount;
        var indexSeconds = total.Elapsed.TotalSeconds - upsertSeconds;

        var dense = Enumerable.Range(0, queries).Select(q => queryData.AsSpan(q * dim, dim).ToArray()).ToArray();
        var sparse = Enumerable.Range(0, queries).Select(_ => SparseBench.Draw(random, zipf, QueryNonZeros)).ToArray();
        var searchParams = new SearchParams((ulong)Ef);
        QueryRequest DenseOnly(int q) => Request(new NearestQuery(new DenseVectorInput(dense[q])), "image", searchParams, null);
        QueryRequest SparseOnly(int q) => Request(new NearestQuery(new SparseVectorInput(sparse[q])), "text", null, null);
        QueryRequest Hybrid(int q) => Request(new FusionQuery(FusionMethod.Rrf), null, null,
        [
            new Prefetch([], new NearestQuery(new DenseVectorInput(dense[q])), "image", null, searchParams, null, Branch, null),
            new Prefetch([], new NearestQuery(new SparseVectorInput(sparse[q])), "text", null, null, null, Branch, null),
        ]);

        var d = Measure(engine, queries, DenseOnly);
        var s = Measure(engine, queries, SparseOnly);
        var h = Measure(engine, queries, Hybrid);

        static string N(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
        return "{" + string.Join(",",
            $"\"points\":{rows}", $"\"dim\":{dim}", $"\"vocabulary\":{Vocabulary}", $"\"doc_nnz\":{DocNonZeros}", $"\"query_nnz\":{QueryNonZeros}",
            $"\"queries\":{queries}", $"\"ef\":{Ef}", $"\"branch_limit\":{Branch}",
            $"\"upsert_seconds\":{N(upsertSeconds)}", $"\"index_seconds\":{N(indexSeconds)}", $"\"indexed_vectors\":{indexed}",
            $"\"dense_qps\":{N(d.Qps)}", $"\"dense_p50_ms\":{N(d.P50)}", $"\"dense_p99_ms\":{N(d.P99)}",
            $"\"sparse_qps\":{N(s.Qps)}", $"\"sparse_p50_ms\":{N(s.P50)}", $"\"sparse_p99_ms\":{N(s.P99)}",
            $"\"hybrid_qps\":{N(h.Qps)}", $"\"hybrid_p50_ms\":{N(h.P50)}", $"\"hybrid_p99_ms\":{N(h.P99)}") + "}";
    }

    private static QueryRequest Request(QueryInput query, string? vector, SearchParams? searchParams, IReadOnlyList<Prefetch>? prefetch) =>
        new(query, vector, null, 10, 0, null, searchParams, WithPayload.None, WithVector.None, null, prefetch);

    // Single-threaded: a warm-up pass over the first tenth of the queries, then every query once, timed one by one.
    private static (double Qps, double P50, double P99) Measure(VectorEngine engine, int queries, Func<int, QueryRequest> request)
    {
        for (var q = 0; q < Math.Max(1, queries / 10); q++)
        {
            Run(engine, request(q));
        }

        var latencies = new double[queries];
        var clock = Stopwatch.StartNew();
        for (var q = 0; q < queries; q++)
        {
            var start = Stopwatch.GetTimestamp();
            Run(engine, request(q));
            latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (queries / seconds, latencies[queries / 2], latencies[Math.Min(queries - 1, (int)(queries * 0.99))]);
    }

    private static void Run(VectorEngine engine, QueryRequest request)
    {
        var result = engine.QueryAsync(AccessContext.Full, Collection, request, default, default).AsTask().Result;
        Check(result.IsOk && result.Value!.Count > 0, result.IsOk ? "a query found nothing" : result.Error.Message);
    }

    // Green: every sealed segment has its graph (the last few thousand images stay in the appendable segment, below
    // the indexing threshold, and are searched exactly, as in the server; the sparse vectors need no build).
    private static async Task WaitIndexedAsync(VectorEngine engine, int rows)
    {
        var last = Stopwatch.StartNew();
        while (true)
        {
            var info = engine.GetInfo(AccessContext.Full, Collection).Value!;
            if (info.Status == CollectionStatus.Green && info.PointsCount == (ulong)rows)
            {
                return;
            }

            if (last.Elapsed.TotalSeconds >= 30)
            {
                last.Restart();
                Console.Error.WriteLine($"hybrid: {info.Status}, {info.IndexedVectorsCount}/{info.PointsCount} indexed, {info.SegmentsCount} segments");
            }

            await Task.Delay(250);
        }
    }

    private static void Check(bool ok, string? message)
    {
        if (!ok)
        {
            throw new InvalidOperationException("hybrid bench: " + message);
        }
    }
}
