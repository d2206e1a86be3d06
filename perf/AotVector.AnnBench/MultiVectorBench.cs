using System.Diagnostics;
using System.Globalization;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment;

namespace AotVector.AnnBench;

/// <summary>
/// The multivector set: seeded ColBERT-like points (each row near one of the point's few topics) in one segment with
/// a Cosine MaxSim vector, queried single-threaded exactly (every point scored) and through the segment's HNSW graph
/// at a few ef, with recall@10 against the exact answers of the same run. Prints one JSON object.
/// </summary>
internal static class MultiVectorBench
{
    private const int K = 10;

    public static string Run(string storage, int points, int rows, int dimension, int queries, int threads)
    {
        var directory = Path.Combine(storage, "multi-bench");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var random = new Random(2025);
        var topics = Enumerable.Range(0, 256).Select(_ => Vector(random, dimension, null, 1f)).ToArray();
        using var segment = PointSegment.Create(directory, new Dictionary<string, VectorSpec> { ["colbert"] = new(dimension, Distance.Cosine, Multi: true) });
        for (var i = 0; i < points; i++)
        {
            segment.Upsert((ulong)i + 1, (ulong)i, new Dictionary<string, VectorData> { ["colbert"] = new MultiDenseVector(Point(random, topics, rows, dimension), dimension) }, null);
        }

        var build = Stopwatch.StartNew();
        var job = segment.PrepareIndexBuild("colbert", new IndexingPolicy(1, 16, 100))!;
        job.Run(threads, default);
        segment.InstallIndex(job);
        var buildSeconds = build.Elapsed.TotalSeconds;

        // Queries as short as ColBERT's (a few rows), drawn like the points and preprocessed as the engine does.
        var querySet = Enumerable.Range(0, queries).Select(_ =>
        {
            var q = Point(random, topics, 4, dimension);
            for (var r = 0; r < q.Length; r += dimension)
            {
                DistanceKernels.Preprocess(Distance.Cosine, q.AsSpan(r, dimension));
            }

            return q;
        }).ToArray();

        var truth = new List<SearchHit>[queries];
        var exactSeconds = Time(() =>
        {
            for (var i = 0; i < queries; i++)
            {
                truth[i] = segment.Search("colbert", querySet[i], null, K, new SegmentSearchOptions(Exact: true));
            }
        });

        var rowsJson = new List<string>();
        foreach (var ef in new[] { 32, 64, 128, 256 })
        {
            double recall = 0;
            var seconds = Time(() =>
            {
                for (var i = 0; i < queries; i++)
                {
                    var hits = segment.Search("colbert", querySet[i], null, K, new SegmentSearchOptions(Ef: ef));
                    recall += (double)hits.Select(h => h.Id).Intersect(truth[i].Select(h => h.Id)).Count() / K;
                }
            });
            rowsJson.Add(string.Create(CultureInfo.InvariantCulture, $"{{\"ef\": {ef}, \"qps\": {queries / seconds:F1}, \"recall_at_10\": {recall / queries:F4}}}"));
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"set\": \"multivector-colbert-like\", \"points\": {points}, \"rows_per_point\": {rows}, \"dimension\": {dimension}, \"query_rows\": 4, "
            + $"\"queries\": {queries}, \"build_threads\": {threads}, \"build_seconds\": {buildSeconds:F1}, \"exact_qps\": {queries / exactSeconds:F2}, "
            + $"\"hnsw\": [{string.Join(", ", rowsJson)}]}}");
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    // Rows near three home topics of the point (one in four near any topic), noise a third of a topic's spread.
    private static float[] Point(Random random, float[][] topics, int rows, int dimension)
    {
        int[] home = [random.Next(topics.Length), random.Next(topics.Length), random.Next(topics.Length)];
        var values = new float[rows * dimension];
        for (var r = 0; r < rows; r++)
        {
            var topic = topics[random.Next(4) == 0 ? random.Next(topics.Length) : home[random.Next(home.Length)]];
            Vector(random, dimension, topic, 0.35f).CopyTo(values, r * dimension);
        }

        return values;
    }

    private static float[] Vector(Random random, int dimension, float[]? centre, float spread)
    {
        var v = new float[dimension];
        for (var d = 0; d < dimension; d++)
        {
            v[d] = (centre?[d] ?? 0) + ((float)((random.NextDouble() * 2) - 1) * spread);
        }

        return v;
    }
}
