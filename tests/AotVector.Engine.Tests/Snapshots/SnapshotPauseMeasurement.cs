using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using Xunit.Abstractions;
using static AotVector.Engine.Tests.Snapshots.SnapshotFixture;

namespace AotVector.Engine.Tests.Snapshots;

/// <summary>
/// Prints how long writes wait while a snapshot of a large collection is captured, and how searches run while it is
/// written (figures for the report, not assertions), and checks the snapshot holds every point. Set AOTVECTOR_SNAPSHOT_POINTS to run it (e.g. 100000).
/// </summary>
public sealed class SnapshotPauseMeasurement(ITestOutputHelper output)
{
    [Fact]
    public async Task PauseWhileCapturing_IsPrinted()
    {
        var points = int.TryParse(Environment.GetEnvironmentVariable("AOTVECTOR_SNAPSHOT_POINTS"), out var n) ? n : 2000;
        const int Dim = 128;
        using var f = new SnapshotFixture();
        Ok(f.Engine.CreateAsync(Full, new CreateCollectionRequest("big", new VectorsConfig(new VectorParams(Dim, Distance.Cosine), null)), default).Sync());
        var random = new Random(7);
        for (var start = 0; start < points; start += 1000)
        {
            var batch = Enumerable.Range(start, Math.Min(1000, points - start)).Select(i =>
            {
                var v = new float[Dim];
                for (var d = 0; d < Dim; d++)
                {
                    v[d] = (float)random.NextDouble();
                }

                return new PointStruct((ulong)i + 1, new Dictionary<string, VectorData> { [""] = v }, new Payload { ["i"] = PayloadValue.FromInteger(i) });
            }).ToArray();
            Ok(f.Engine.UpdateAsync(Full, "big", new UpsertPoints(batch), new WriteOptions(false), default).Sync());
        }

        var info = Ok(f.Engine.GetInfo(Full, "big"));
        var before = Searches(f, random, Dim, () => false, 200);
        var done = 0;
        // A thread of its own: the snapshot call blocks pool threads, and a pool task would wait for a new one.
        var during = Task.Factory.StartNew(() => Searches(f, new Random(8), Dim, () => Volatile.Read(ref done) == 1, int.MaxValue), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var created = f.Create(new SnapshotScope.Collection("big"));
        Volatile.Write(ref done, 1);
        var searched = await during;
        output.WriteLine($"{points} points x {Dim} dims in {info.SegmentsCount} segments: snapshot of {created.Size / (1024 * 1024)} MB in {watch.Elapsed.TotalSeconds:F2} s; writes waited {f.Engine.LastSnapshotPause.TotalMilliseconds:F1} ms");
        output.WriteLine($"searches before: {Describe(before)}; during the snapshot: {Describe(searched)}");

        // Again with the segments already flushed and 1000 fresh writes: the flush under the gate has little to write.
        Ok(f.Engine.UpdateAsync(Full, "big", new UpsertPoints(Enumerable.Range(0, 1000).Select(i => new PointStruct((ulong)i + 1, new Dictionary<string, VectorData> { [""] = Enumerable.Repeat(0.5f, Dim).ToArray() }, null)).ToArray()), new WriteOptions(true), default).Sync());
        watch.Restart();
        var again = f.Create(new SnapshotScope.Collection("big"));
        output.WriteLine($"second snapshot after 1000 writes: {again.Size / (1024 * 1024)} MB in {watch.Elapsed.TotalSeconds:F2} s; writes waited {f.Engine.LastSnapshotPause.TotalMilliseconds:F1} ms");
        Ok(f.RecoverFile("copy", f.PathOf(new SnapshotScope.Collection("big"), created.Name)));
        Assert.Equal((ulong)points, Ok(f.Engine.GetInfo(Full, "copy")).PointsCount);
    }

    // Exact searches one after another until stop() or count, each timed in milliseconds.
    private static List<double> Searches(SnapshotFixture f, Random random, int dim, Func<bool> stop, int count)
    {
        var times = new List<double>();
        while (times.Count < count && !stop())
        {
            var v = new float[dim];
            for (var d = 0; d < dim; d++)
            {
                v[d] = (float)random.NextDouble();
            }

            var request = new QueryRequest(new NearestQuery(new DenseVectorInput(v)), null, null, 10, 0, null, null, WithPayload.None, WithVector.None);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Ok(f.Engine.QueryAsync(Full, "big", request, default, default).Sync());
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static string Describe(List<double> times)
    {
        if (times.Count == 0)
        {
            return "none";
        }

        var sorted = times.Order().ToList();
        return $"{sorted.Count} searches, p50 {sorted[sorted.Count / 2]:F1} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:F1} ms, max {sorted[^1]:F1} ms";
    }
}
