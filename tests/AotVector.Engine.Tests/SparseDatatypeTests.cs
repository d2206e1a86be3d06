using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Segment;

namespace AotVector.Engine.Tests;

/// <summary>
/// A sparse vector's index <c>datatype</c> and <c>memory</c> through the engine, as the reference: kept in the config,
/// the stored vectors stay float32 (read back exactly) while the built index holds its weights as uint8 scaled per
/// posting list, so indexed scores move by at most half a step per query weight; <c>memory</c> wins over
/// <c>on_disk</c>.
/// </summary>
public sealed class SparseDatatypeTests
{
    private static readonly AccessContext s_full = EngineFixture.Full;

    [Fact]
    public async Task Uint8Index_ScoresWithinHalfAStep_AndStoredVectorsStayFloat32()
    {
        using var f = new EngineFixture();
        var created = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("c", new VectorsConfig(null, new Dictionary<string, VectorParams>()),
            OptimizersConfig: new OptimizersConfigDiff(IndexingThreshold: 1, DefaultSegmentNumber: 1))
        {
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["t"] = new(new SparseIndexParams(Datatype: "uint8") { Memory = "cold" }) },
        }, default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        var shown = f.Engine.GetInfo(s_full, "c").Value!.Config.Params.SparseVectors!["t"].Index!;
        Assert.Equal(("uint8", "cold"), (shown.Datatype, shown.Memory));

        var random = new Random(5);
        var vectors = new SparseVector[600];
        for (var i = 0; i < vectors.Length; i++)
        {
            var indices = Enumerable.Range(0, 40).Where(_ => random.NextDouble() < 0.2).Select(d => (uint)d).ToArray();
            vectors[i] = new SparseVector(indices, [.. indices.Select(_ => (float)((random.NextDouble() * 9) + 0.5))]);
            f.Upsert("c", new PointStruct((ulong)i, new Dictionary<string, VectorData> { ["t"] = vectors[i] }, null));
        }

        await f.WaitForBackgroundAsync(() => f.Engine.GetInfo(s_full, "c").Value! is { Status: CollectionStatus.Green, IndexedVectorsCount: > 500 }, "sparse indexing");

        // A step is at most the widest posting list's range over 255.
        var step = 9.5f / 255f;
        var query = new SparseVector([1, 7, 20], [1f, 2f, 0.5f]);
        var hits = (await f.Engine.QueryAsync(s_full, "c", new QueryRequest(new NearestQuery(new SparseVectorInput(query)), "t", null, 50, 0, null, null, WithPayload.None, WithVector.All), default, default)).Value!;
        Assert.Equal(50, hits.Count);
        var moved = 0;
        foreach (var hit in hits)
        {
            var exact = PointSegment.SparseDot(query, vectors[hit.Id.Num])!.Value;
            Assert.InRange(hit.Score, exact - (3.5f * step / 2) - 1e-4f, exact + (3.5f * step / 2) + 1e-4f);
            moved += hit.Score == exact ? 0 : 1;
            Assert.Equal(vectors[hit.Id.Num], hit.Vectors!["t"]);
        }

        Assert.True(moved > 0, "every indexed score equals the float32 one: the index holds float32 weights");
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, true, true)]
    [InlineData("cold", false, true)]
    [InlineData("cached", true, false)]
    [InlineData("pinned", true, false)]
    public void Memory_WinsOverOnDisk(string? memory, bool? onDisk, bool indexOnDisk) =>
        Assert.Equal(indexOnDisk, new SparseIndexParams(OnDisk: onDisk) { Memory = memory }.IndexOnDisk);
}
