using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// float16 and uint8 vectors through the engine: the datatype kept in the config and shown in info, indexed searches
/// agreeing with exact ones, the same answers after a restart with and without a flush; multivectors of both
/// datatypes stored and scored as such.
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

    [Theory]
    [InlineData(VectorDatatype.Uint8, Distance.Dot)]
    [InlineData(VectorDatatype.Float16, Distance.Cosine)]
    public async Task TypedMultivectors_StoreRowsAsTheDatatype_AndScoreThem_AcrossRestarts(VectorDatatype datatype, Distance distance)
    {
        using var f = new EngineFixture();
        var created = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            "t",
            new VectorsConfig(null, new Dictionary<string, VectorParams> { ["m"] = new(4, distance, MultivectorConfig: new MultiVectorConfig(MultiVectorComparator.MaxSim)) { Datatype = datatype } })), default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        Assert.Equal(datatype, Info(f).Config.Params.Vectors.Named!["m"].Datatype);

        float[][] rows = [[1.5f, 300f, 2.9f, 0f], [7f, 8.25f, 0.1f, 3f], [2f, 2f, 2f, 2f], [0.5f, 250.7f, 9f, 1f]];
        f.Upsert("t", new PointStruct(1ul, new Dictionary<string, VectorData> { ["m"] = new MultiDenseVector([.. rows[0], .. rows[1]], 4) }, null));
        f.Upsert("t", new PointStruct(2ul, new Dictionary<string, VectorData> { ["m"] = new MultiDenseVector([.. rows[2], .. rows[3]], 4) }, null));
        float[] query = [1f, 0.5f, 2f, 0f];

        var expected = new[] { MaxSim(datatype, distance, query, [rows[0], rows[1]]), MaxSim(datatype, distance, query, [rows[2], rows[3]]) };
        await AssertAnswersAsync(f, datatype, distance, query, rows, expected);
        f.Reopen(flushFirst: false);
        Assert.Equal(datatype, Info(f).Config.Params.Vectors.Named!["m"].Datatype);
        await AssertAnswersAsync(f, datatype, distance, query, rows, expected);
    }

    private static async Task AssertAnswersAsync(EngineFixture f, VectorDatatype datatype, Distance distance, float[] query, float[][] rows, float[] expected)
    {
        var r = await f.Engine.QueryAsync(s_full, "t", new QueryRequest(new NearestQuery(new DenseVectorInput(query)), "m", null, 10, 0, null, null, WithPayload.None, WithVector.All), new ReadOptions(TimeSpan.FromSeconds(30)), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(2, r.Value!.Count);
        foreach (var hit in r.Value)
        {
            var i = (int)hit.Id.Num - 1;
            Assert.Equal(expected[i], hit.Score, 1e-3f);
            var stored = ((MultiDenseVector)hit.Vectors!["m"]).Values;
            Assert.Equal([.. Stored(datatype, distance, rows[2 * i]), .. Stored(datatype, distance, rows[(2 * i) + 1])], stored);
        }
    }

    // A row as the reference stores it: truncated and saturated to 0..255 for uint8, normalized (Cosine) then rounded for float16.
    private static float[] Stored(VectorDatatype datatype, Distance distance, float[] raw)
    {
        if (datatype == VectorDatatype.Uint8)
        {
            return [.. raw.Select(v => v <= 0 ? 0f : v >= 255 ? 255f : MathF.Truncate(v))];
        }

        var norm = distance == Distance.Cosine ? Math.Sqrt(raw.Sum(v => (double)v * v)) : 1;
        return [.. raw.Select(v => (float)(Half)(float)(v / norm))];
    }

    // MaxSim of the query (converted as the store's values are) against the stored rows, by dot product.
    private static float MaxSim(VectorDatatype datatype, Distance distance, float[] query, float[][] rows)
    {
        var q = Stored(datatype, distance, query);
        return rows.Max(row => Stored(datatype, distance, row).Zip(q, (a, b) => (double)a * b).Sum() is var dot ? (float)dot : 0f);
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
