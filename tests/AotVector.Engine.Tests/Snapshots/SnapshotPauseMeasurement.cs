using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using Xunit.Abstractions;
using static AotVector.Engine.Tests.Snapshots.SnapshotFixture;

namespace AotVector.Engine.Tests.Snapshots;

/// <summary>
/// Prints how long writes wait while a snapshot of a large collection is captured (a figure for the report, not an
/// assertion), and checks the snapshot holds every point. Set AOTVECTOR_SNAPSHOT_POINTS to run it (e.g. 100000).
/// </summary>
public sealed class SnapshotPauseMeasurement(ITestOutputHelper output)
{
    [Fact]
    public void PauseWhileCapturing_IsPrinted()
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
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var created = f.Create(new SnapshotScope.Collection("big"));
        output.WriteLine($"{points} points x {Dim} dims in {info.SegmentsCount} segments: snapshot of {created.Size / (1024 * 1024)} MB in {watch.Elapsed.TotalSeconds:F2} s; writes waited {f.Engine.LastSnapshotPause.TotalMilliseconds:F1} ms");

        // Again with the segments already flushed and 1000 fresh writes: the flush under the gate has little to write.
        Ok(f.Engine.UpdateAsync(Full, "big", new UpsertPoints(Enumerable.Range(0, 1000).Select(i => new PointStruct((ulong)i + 1, new Dictionary<string, VectorData> { [""] = Enumerable.Repeat(0.5f, Dim).ToArray() }, null)).ToArray()), new WriteOptions(true), default).Sync());
        watch.Restart();
        var again = f.Create(new SnapshotScope.Collection("big"));
        output.WriteLine($"second snapshot after 1000 writes: {again.Size / (1024 * 1024)} MB in {watch.Elapsed.TotalSeconds:F2} s; writes waited {f.Engine.LastSnapshotPause.TotalMilliseconds:F1} ms");
        Ok(f.RecoverFile("copy", f.PathOf(new SnapshotScope.Collection("big"), created.Name)));
        Assert.Equal((ulong)points, Ok(f.Engine.GetInfo(Full, "copy")).PointsCount);
    }
}
