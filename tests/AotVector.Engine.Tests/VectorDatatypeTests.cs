using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// float16 and uint8 vectors through the engine: the datatype kept in the config and shown in info, indexed searches
/// agreeing with exact ones, the same answers after a restart with and without a flush, multivectors refused.
/// </summary>
public sealed class VectorDatatypeTests
{
    private const int Dim = 16;
    private const int Points = 2000;
    private static readonly AccessContext s_full = AccessContext.Full;

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Euclid)]
    public async Task TypedVectors_IndexedSearch_MatchesExact_AcrossRestarts(VectorDatatype datatype, Distance distance)
    {
        using var f = new EngineFixture();
        var created = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            "t",
            new VectorsConfig(new VectorParams(Dim, distance) { Datatype = datatype }, null),
            OptimizersConfig: new OptimizersConfigDiff(IndexingThreshold: 10, DefaultSegmentNumber: 2)), default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        Assert.Equal(datatype, Info(f).Config.Params.Vectors.Single!.Datatype);

        var vectors = SeededRandom.Vectors(31, Points + 20, Dim).Select(v => v.Select(x => datatype == VectorDatatype.Uint8 ? (x + 1f) * 128f : x).ToArray()).ToArray();
        for (var start = 0; start < Points; start += 500)
        {
            f.Upsert("t", [.. Enumerable.Range(start, 500).Select(i => EngineFixture.Point((ulong)i, vectors[i]))]);
        }

        await f.WaitForBackgroundAsync(() => Info(f).Status == CollectionStatus.Green && Info(f).IndexedVectorsCount > Points / 2, "indexing");
        var before = await RecallAsync(f, vectors[Points..]);

        f.Reopen(flushFirst: false);
        Assert.Equal(datatype, Info(f).Config.Params.Vectors.Single!.Datatype);
        var after = await RecallAsync(f, vectors[Points..]);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Uint8Multivectors_AreRefused()
    {
        using var f = new EngineFixture();
        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            "m",
            new VectorsConfig(new VectorParams(4, Distance.Dot, MultivectorConfig: new MultiVectorConfig(MultiVectorComparator.MaxSim)) { Datatype = VectorDatatype.Uint8 }, null)), default);

        Assert.Equal("Wrong input: vector datatype `uint8` for multivectors is not supported yet, use float32", r.Error.Message);
    }

    // Recall@10 of the indexed search against the exact one (both over the stored values), and the exact hits.
    private static async Task<(double Recall, string Exact)> RecallAsync(EngineFixture f, float[][] queries)
    {
        double found = 0;
        var exactHits = new List<string>();
        foreach (var q in queries)
        {
            var exact = await QueryAsync(f, q, new SearchParams(Exact: true));
            var indexed = await QueryAsync(f, q, new SearchParams(HnswEf: 64));
            found += indexed.Count(p => exact.Any(e => e.Id == p.Id));
            exactHits.Add(string.Join(",", exact.Select(p => $"{p.Id.Num}:{p.Score:R}")));
        }

        var recall = found / (queries.Length * 10);
        Assert.True(recall >= 0.9, $"recall@10 {recall:F3}");
        return (recall, string.Join(";", exactHits));
    }

    private static async Task<IReadOnlyList<ScoredPoint>> QueryAsync(EngineFixture f, float[] vector, SearchParams parameters)
    {
        var r = await f.Engine.QueryAsync(s_full, "t", new QueryRequest(new NearestQuery(new DenseVectorInput(vector)), null, null, 10, 0, null, parameters, WithPayload.None, WithVector.None), new ReadOptions(TimeSpan.FromSeconds(30)), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(10, r.Value!.Count);
        return r.Value;
    }

    private static CollectionInfo Info(EngineFixture f) => f.Engine.GetInfo(s_full, "t").Value!;
}
