using System.Diagnostics;
using System.Globalization;
using AotVector.Common.Model;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.AnnBench;

/// <summary>
/// Makes a large collection snapshot to restore elsewhere: seeded random vectors (with a small payload per point when
/// asked),
/// upserted through the engine in this process (no JSON on the way), then one collection snapshot. Prints the
/// snapshot file's path. The restore side (a server under a memory limit) is perf/snapshot-restore.sh.
/// </summary>
internal static class SnapshotSource
{
    public const string Collection = "restore";
    private const int Batch = 1_000;

    public static async Task<string> RunAsync(string storageDir, int rows, int dim, bool withPayload)
    {
        if (Directory.Exists(storageDir))
        {
            Directory.Delete(storageDir, recursive: true);
        }

        var access = AccessContext.Full;
        var watch = Stopwatch.StartNew();
        using var engine = VectorEngine.Open(EngineOptions.Defaults(storageDir) with { SnapshotsPath = Path.Combine(storageDir, "snapshots") });
        var created = await engine.CreateAsync(access, new CreateCollectionRequest(Collection, new VectorsConfig(new VectorParams((ulong)dim, Distance.Cosine), null)), default);
        Check(created.IsOk, created.IsOk ? null : created.Error.Message);

        var random = new Random(20261207);
        for (int first = 0; first < rows; first += Batch)
        {
            int count = Math.Min(Batch, rows - first);
            var points = new PointStruct[count];
            for (int i = 0; i < count; i++)
            {
                var vector = new float[dim];
                for (int d = 0; d < dim; d++)
                {
                    vector[d] = (float)(random.NextDouble() * 2 - 1);
                }

                var payload = withPayload
                    ? new Payload
                    {
                        ["n"] = PayloadValue.FromInteger(first + i),
                        ["tag"] = PayloadValue.FromString("t" + ((first + i) % 100).ToString(CultureInfo.InvariantCulture)),
                    }
                    : null;
                points[i] = new PointStruct((ulong)(first + i), new Dictionary<string, VectorData> { [VectorsConfig.DefaultName] = vector }, payload);
            }

            var result = await engine.UpdateAsync(access, Collection, new UpsertPoints(points), new WriteOptions(Wait: true), default);
            Check(result.IsOk, result.IsOk ? null : result.Error.Message);
        }

        Console.Error.WriteLine($"snapshot-source: {rows} points upserted in {watch.Elapsed.TotalSeconds:F1} s");
        var snapshot = await engine.CreateSnapshotAsync(access, new SnapshotScope.Collection(Collection), default);
        Check(snapshot.IsOk, snapshot.IsOk ? null : snapshot.Error.Message);
        Console.Error.WriteLine($"snapshot-source: snapshot of {snapshot.Value!.Size / (1024.0 * 1024):F0} MB written at {watch.Elapsed.TotalSeconds:F1} s");
        return Path.Combine(storageDir, "snapshots", Collection, snapshot.Value.Name);
    }

    private static void Check(bool ok, string? message)
    {
        if (!ok)
        {
            throw new InvalidOperationException(message);
        }
    }
}
