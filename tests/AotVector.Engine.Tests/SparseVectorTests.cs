using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests;

/// <summary>Sparse vectors through the engine: config, validation, idf over the collection, restart and crash.</summary>
public sealed class SparseVectorTests
{
    private static readonly AccessContext s_full = EngineFixture.Full;

    private static void CreateHybrid(EngineFixture f, SparseModifier? modifier)
    {
        var request = new CreateCollectionRequest("h", new VectorsConfig(null, new Dictionary<string, VectorParams> { ["dense"] = new(2, Distance.Dot) }))
        {
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["text"] = new(null, modifier) },
        };
        var created = f.Engine.CreateAsync(s_full, request, default).AsTask().Result;
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
    }

    private static PointStruct Doc(ulong id, uint[] indices, float[] values) =>
        new(id, new Dictionary<string, VectorData> { ["dense"] = new float[] { 1, 0 }, ["text"] = new SparseVector(indices, values) }, null);

    private static IReadOnlyList<ScoredPoint> Query(EngineFixture f, uint[] indices, float[] values, int limit = 10)
    {
        var request = new QueryRequest(new NearestQuery(new SparseVectorInput(new SparseVector(indices, values))), "text", null, (uint)limit, 0, null, null, WithPayload.None, WithVector.None);
        var result = f.Engine.QueryAsync(s_full, "h", request, default, default).AsTask().Result;
        Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);
        return result.Value!;
    }

    private static Result<UpdateResult> Write(EngineFixture f, UpdateOperation op) =>
        f.Engine.UpdateAsync(s_full, "h", op, new WriteOptions(true), default).AsTask().Result;

    private static float Idf(int n, int df) => (float)Math.Log(((n - df + 0.5) / (df + 0.5)) + 1);

    [Fact]
    public void Idf_UsesTheCollectionsDocumentFrequencies_AfterAddsAndDeletes()
    {
        using var f = new EngineFixture();
        CreateHybrid(f, SparseModifier.Idf);
        f.Upsert("h", Doc(1, [1, 2], [1f, 1f]), Doc(2, [1], [2f]), Doc(3, [1, 3], [1f, 4f]), Doc(4, [5], [1f]));

        // N = 4; df(1) = 3, df(3) = 1.
        var hits = Query(f, [1, 3], [1f, 1f]);
        Assert.Equal([3ul, 2ul, 1ul], hits.Select(h => h.Id.Num));
        Assert.Equal((1 * Idf(4, 3)) + (4 * Idf(4, 1)), hits[0].Score, 5);
        Assert.Equal(2 * Idf(4, 3), hits[1].Score, 5);

        // Deleting point 3 and the sparse vector of point 2: N = 2, df(1) = 1.
        Assert.True(Write(f, new DeletePoints(new PointsSelector([3ul], null))).IsOk);
        Assert.True(Write(f, new DeleteVectors(new PointsSelector([2ul], null), ["text"])).IsOk);
        hits = Query(f, [1], [1f]);
        Assert.Equal([1ul], hits.Select(h => h.Id.Num));
        Assert.Equal(Idf(2, 1), hits[0].Score, 5);

        // An empty sparse vector is no document, as in the reference (it leaves them out of its index): N stays 2.
        f.Upsert("h", Doc(6, [], []));
        Assert.Equal(Idf(2, 1), Query(f, [1], [1f])[0].Score, 5);
    }

    [Theory]
    [InlineData(RecommendStrategy.SumScores)]
    [InlineData(RecommendStrategy.BestScore)]
    public async Task Idf_WeighsEveryRecommendExample_NotOnlyANearestTarget(RecommendStrategy strategy)
    {
        using var f = new EngineFixture();
        CreateHybrid(f, SparseModifier.Idf);
        f.Upsert("h", Doc(1, [1, 2], [1f, 1f]), Doc(2, [1], [2f]), Doc(3, [1, 3], [1f, 4f]), Doc(4, [5], [1f]));

        var positive = new SparseVectorInput(new SparseVector([1, 3], [1f, 1f]));
        var request = new QueryRequest(new RecommendQuery([positive], [], strategy), "text", null, 10, 0, null, null, WithPayload.None, WithVector.None);
        var hits = (await f.Engine.QueryAsync(s_full, "h", request, default, default)).Value!;

        // One positive and no negative: both strategies score a point by its similarity to the idf-weighted example.
        Assert.Equal([3ul, 2ul, 1ul], hits.Take(3).Select(h => h.Id.Num));
        Assert.Equal((1 * Idf(4, 3)) + (4 * Idf(4, 1)), hits[0].Score, 5);
        Assert.Equal(2 * Idf(4, 3), hits[1].Score, 5);
    }

    [Fact]
    public void WithoutModifier_ScoresAreRawDotProducts_AndSurviveRestartAndCrash()
    {
        using var f = new EngineFixture();
        CreateHybrid(f, null);
        f.Upsert("h", Doc(1, [10, 3], [0.5f, 2f]), Doc(2, [3], [1f]));
        f.Reopen();
        f.Upsert("h", Doc(3, [3, 7], [3f, 1f]));
        f.Reopen(flushFirst: false);

        var hits = Query(f, [3], [2f]);
        Assert.Equal([(3ul, 6f), (1ul, 4f), (2ul, 2f)], hits.Select(h => (h.Id.Num, h.Score)));
        var info = f.Engine.GetInfo(s_full, "h").Value!;
        Assert.Equal(new SparseVectorParams(), info.Config.Params.SparseVectors!["text"]);
    }

    [Theory]
    [InlineData(new uint[] { 1, 1 }, new float[] { 1, 2 }, "Wrong input: sparse vector text: indices must be unique (index 1 appears more than once)")]
    [InlineData(new uint[] { 1, 2 }, new float[] { 1 }, "Wrong input: sparse vector text: values must be the same length as indices (1 values, 2 indices)")]
    [InlineData(new uint[] { 1 }, new float[] { float.NaN }, "Wrong input: vector values must be finite numbers (got NaN or infinity)")]
    public void InvalidSparseVectors_AreRefused_AndNothingIsWritten(uint[] indices, float[] values, string message)
    {
        using var f = new EngineFixture();
        CreateHybrid(f, null);

        var result = Write(f, new UpsertPoints([Doc(1, indices, values)]));

        Assert.Equal(message, result.Error.Message);
        Assert.Equal(0ul, f.Engine.GetInfo(s_full, "h").Value!.PointsCount);
    }

    [Fact]
    public void SparseWhereDense_AndDenseWhereSparse_AreConversionErrors()
    {
        using var f = new EngineFixture();
        CreateHybrid(f, null);

        var sparseInDense = Write(f, new UpsertPoints([new PointStruct(1ul, new Dictionary<string, VectorData> { ["dense"] = new SparseVector([1], [1f]) }, null)]));
        var denseInSparse = Write(f, new UpsertPoints([new PointStruct(1ul, new Dictionary<string, VectorData> { ["text"] = new float[] { 1, 2 } }, null)]));

        Assert.Equal("Wrong input: Conversion between sparse and regular vectors failed", sparseInDense.Error.Message);
        Assert.Equal("Wrong input: Conversion between sparse and regular vectors failed", denseInSparse.Error.Message);
    }
}
