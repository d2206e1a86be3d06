using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

public sealed class VectorEngineTests
{
    private static readonly AccessContext s_full = AccessContext.Full;

    [Fact]
    public async Task Create_Duplicate_IsAlreadyExists()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 4, Distance.Dot);
        var again = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("c", new VectorsConfig(new VectorParams(4, Distance.Dot), null)), default);
        Assert.False(again.IsOk);
        Assert.Equal(ErrorKind.AlreadyExists, again.Error.Kind);
        Assert.Equal("Wrong input: Collection `c` already exists!", again.Error.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("x*y")]
    public async Task Create_BadName_IsValidationError(string name)
    {
        using var f = new EngineFixture();
        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(name, new VectorsConfig(new VectorParams(4, Distance.Dot), null)), default);
        Assert.Equal(ErrorKind.Validation, r.Error.Kind);
    }

    [Fact]
    public async Task Create_SizeOutOfRange_IsValidationError()
    {
        using var f = new EngineFixture();
        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("c", new VectorsConfig(new VectorParams(65537, Distance.Dot), null)), default);
        Assert.Equal("Validation error in JSON body: [vectors.size: value 65537 invalid, must be from 1 to 65536]", r.Error.Message);
    }

    // Out-of-range graph settings are refused on every path, before anything is stored (a build would otherwise raise
    // an ef_construct below 4 and the optimizer would see a mismatch with the config forever).
    [Theory]
    [InlineData(16UL, 3UL, null, "[hnsw_config.ef_construct: value 3 invalid, must be from 4 to 1000000]")]
    [InlineData(16UL, 2_000_000UL, null, "[hnsw_config.ef_construct: value 2000000 invalid, must be from 4 to 1000000]")]
    [InlineData(200_000UL, 100UL, null, "[hnsw_config.m: value 200000 invalid, must be at most 100000]")]
    [InlineData(16UL, 100UL, 5UL, "[hnsw_config.full_scan_threshold: value 5 invalid, must be 10 or larger]")]
    public async Task CreateAndPatch_BadHnswConfig_IsValidationError(ulong m, ulong efConstruct, ulong? fullScan, string expected)
    {
        using var f = new EngineFixture();
        var hnsw = new HnswConfigDiff(M: m, EfConstruct: efConstruct, FullScanThreshold: fullScan);
        var created = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("c", new VectorsConfig(new VectorParams(4, Distance.Dot), null), HnswConfig: hnsw), default);
        Assert.Equal("Validation error in JSON body: " + expected, created.Error.Message);

        var named = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("c", new VectorsConfig(null,
            new Dictionary<string, VectorParams> { ["img"] = new(4, Distance.Dot, hnsw) })), default);
        Assert.Equal("Validation error in JSON body: " + expected.Replace("[hnsw_config", "[vectors.img.hnsw_config", StringComparison.Ordinal), named.Error.Message);

        f.CreateCollection("c", 4, Distance.Dot);
        var before = f.Engine.GetInfo(s_full, "c").Value!.Config;
        var patched = await f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("c", HnswConfig: hnsw), default);
        Assert.Equal(ErrorKind.Validation, patched.Error.Kind);
        Assert.Equal("Validation error in JSON body: " + expected, patched.Error.Message);
        var perVector = await f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("c", Vectors: new Dictionary<string, VectorParamsDiff> { [""] = new(hnsw) }), default);
        Assert.Equal(ErrorKind.Validation, perVector.Error.Kind);
        Assert.Equal(before, f.Engine.GetInfo(s_full, "c").Value!.Config);
    }

    [Fact]
    public async Task Delete_Missing_IsFalseNotError()
    {
        using var f = new EngineFixture();
        var r = await f.Engine.DeleteAsync(s_full, "nope", default);
        Assert.True(r.IsOk);
        Assert.False(r.Value);
    }

    [Fact]
    public void GetInfo_Missing_IsNotFoundWithQdrantMessage()
    {
        using var f = new EngineFixture();
        var r = f.Engine.GetInfo(s_full, "test");
        Assert.Equal(ErrorKind.NotFound, r.Error.Kind);
        Assert.Equal("Not found: Collection `test` doesn't exist!", r.Error.Message);
    }

    [Fact]
    public async Task Upsert_WrongDimension_IsBadRequestAndStoresNothing()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 4, Distance.Dot);
        var r = await f.Engine.UpdateAsync(s_full, "c", new UpsertPoints([EngineFixture.Point(1, [1, 2, 3])]), new WriteOptions(true), default);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", r.Error.Message);
        Assert.Equal(0UL, f.Engine.GetInfo(s_full, "c").Value!.PointsCount);
    }

    [Fact]
    public async Task Query_Dot_MatchesQdrantQuickStart()
    {
        using var f = new EngineFixture();
        f.CreateCollection("q", 4, Distance.Dot);
        f.Upsert("q",
            EngineFixture.Point(1, [0.05f, 0.61f, 0.76f, 0.74f]),
            EngineFixture.Point(2, [0.19f, 0.81f, 0.75f, 0.11f]),
            EngineFixture.Point(3, [0.36f, 0.55f, 0.47f, 0.94f]),
            EngineFixture.Point(4, [0.18f, 0.01f, 0.85f, 0.80f]),
            EngineFixture.Point(5, [0.24f, 0.18f, 0.22f, 0.44f]),
            EngineFixture.Point(6, [0.35f, 0.08f, 0.11f, 0.44f]));
        var r = await f.Engine.QueryAsync(s_full, "q", Nearest([0.2f, 0.1f, 0.9f, 0.7f], 3), default, default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(new ulong[] { 4, 1, 3 }, r.Value!.Select(p => p.Id.Num));
        Assert.Equal(1.362f, r.Value![0].Score, 3);
    }

    [Fact]
    public async Task NonFiniteVectorValues_AreRefused_InStoredAndQueryVectors()
    {
        using var f = new EngineFixture();
        f.CreateCollection("nf", 4, Distance.Euclid);
        f.Upsert("nf", EngineFixture.Point(1, [1, 2, 3, 4]));
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var upsert = await f.Engine.UpdateAsync(s_full, "nf", new UpsertPoints([EngineFixture.Point(2, [1, bad, 3, 4])]), new WriteOptions(true), default);
            Assert.Equal("Wrong input: vector values must be finite numbers (got NaN or infinity)", upsert.Error.Message);
            var query = await f.Engine.QueryAsync(s_full, "nf", Nearest([1, 2, bad, 4], 3), default, default);
            Assert.Equal("Wrong input: vector values must be finite numbers (got NaN or infinity)", query.Error.Message);
        }

        Assert.Equal(1UL, f.Engine.GetInfo(s_full, "nf").Value!.PointsCount);
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public async Task Query_MatchesBruteForce(Distance distance)
    {
        using var f = new EngineFixture();
        f.CreateCollection("b", 16, distance);
        var vectors = SeededRandom.Vectors(7, 300, 16);
        f.Upsert("b", vectors.Select((v, i) => EngineFixture.Point((ulong)i, v)).ToArray());
        var query = SeededRandom.Vectors(8, 1, 16)[0];

        var r = await f.Engine.QueryAsync(s_full, "b", Nearest(query, 10), default, default);
        var expected = vectors.Select((v, i) => (Id: (ulong)i, Score: Oracle(distance, query, v)))
            .OrderBy(x => distance is Distance.Euclid or Distance.Manhattan ? x.Score : -x.Score)
            .Take(10).ToArray();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Score, r.Value![i].Score, 3);
        }
    }

    [Fact]
    public async Task Query_ByPointId_ExcludesThatPoint()
    {
        using var f = new EngineFixture();
        f.CreateCollection("p", 2, Distance.Euclid);
        f.Upsert("p", EngineFixture.Point(1, [0, 0]), EngineFixture.Point(2, [1, 0]), EngineFixture.Point(3, [5, 5]));
        var r = await f.Engine.QueryAsync(s_full, "p", new QueryRequest(new NearestQuery(new PointIdInput(1)), null, null, 10, 0, null, null, WithPayload.None, WithVector.None), default, default);
        Assert.Equal(new ulong[] { 2, 3 }, r.Value!.Select(p => p.Id.Num));
        Assert.Equal(1f, r.Value![0].Score, 5);
    }

    [Fact]
    public async Task Query_ScoreThresholdAndOffset()
    {
        using var f = new EngineFixture();
        f.CreateCollection("t", 1, Distance.Dot);
        f.Upsert("t", EngineFixture.Point(1, [1]), EngineFixture.Point(2, [2]), EngineFixture.Point(3, [3]), EngineFixture.Point(4, [4]));
        var r = await f.Engine.QueryAsync(s_full, "t", new QueryRequest(new NearestQuery(new DenseVectorInput([1])), null, null, 10, 1, 1.5f, null, WithPayload.None, WithVector.None), default, default);
        Assert.Equal(new ulong[] { 3, 2 }, r.Value!.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task Recommend_BestScore_UsesQdrantFormula()
    {
        using var f = new EngineFixture();
        f.CreateCollection("r", 1, Distance.Dot);
        f.Upsert("r", EngineFixture.Point(1, [1]), EngineFixture.Point(2, [-1]), EngineFixture.Point(3, [2]), EngineFixture.Point(4, [-3]));
        var reco = new RecommendQuery([new PointIdInput(1)], [new PointIdInput(2)], RecommendStrategy.BestScore);
        var r = await f.Engine.QueryAsync(s_full, "r", new QueryRequest(reco, null, null, 10, 0, null, null, WithPayload.None, WithVector.None), default, default);

        // Point 3: pos 2 > neg -2 → 2. Point 4: pos -3 < neg 3 → -(3*3) = -9.
        Assert.Equal(new ulong[] { 3, 4 }, r.Value!.Select(p => p.Id.Num));
        Assert.Equal(2f, r.Value![0].Score);
        Assert.Equal(-9f, r.Value![1].Score);
    }

    [Fact]
    public async Task DeleteByFilter_RemovesMatchingOnly()
    {
        using var f = new EngineFixture();
        f.CreateCollection("d", 2, Distance.Dot);
        f.Upsert("d",
            EngineFixture.Point(1, [1, 0], City("Berlin")),
            EngineFixture.Point(2, [0, 1], City("London")),
            EngineFixture.Point(3, [1, 1], City("Berlin")));
        var filter = new Filter(Must: [new FieldCondition("city", Match: new MatchValue(PayloadValue.FromString("Berlin")))]);
        var r = await f.Engine.UpdateAsync(s_full, "d", new DeletePoints(PointsSelector.ByFilter(filter)), new WriteOptions(true), default);
        Assert.True(r.IsOk);
        var count = await f.Engine.CountAsync(s_full, "d", new CountRequest(null, true), default);
        Assert.Equal(1UL, count.Value);
    }

    [Fact]
    public async Task SetPayload_MissingPoint_IsNotFound()
    {
        using var f = new EngineFixture();
        f.CreateCollection("s", 2, Distance.Dot);
        var r = await f.Engine.UpdateAsync(s_full, "s", new SetPayload(City("x"), PointsSelector.ByIds([PointId.FromNum(9)])), new WriteOptions(true), default);
        Assert.Equal("Not found: No point with id 9 found", r.Error.Message);
    }

    [Fact]
    public async Task Scroll_PagesThroughEveryPointInIdOrder()
    {
        using var f = new EngineFixture();
        f.CreateCollection("s", 1, Distance.Dot);
        f.Upsert("s", Enumerable.Range(0, 25).Select(i => EngineFixture.Point((ulong)(100 - i), [i])).ToArray());
        var seen = new List<ulong>();
        PointId? offset = null;
        do
        {
            var page = await f.Engine.ScrollAsync(s_full, "s", new ScrollRequest(null, 10, offset, WithPayload.None, WithVector.None), default);
            seen.AddRange(page.Value!.Points.Select(p => p.Id.Num));
            offset = page.Value!.NextPageOffset;
        }
        while (offset is not null);

        Assert.Equal(Enumerable.Range(76, 25).Select(i => (ulong)i), seen);
    }

    [Fact]
    public async Task Aliases_CreateRenameDelete_AreAtomic()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 1, Distance.Dot);
        Assert.True((await f.Engine.UpdateAliasesAsync(s_full, [new CreateAlias("c", "a")], default)).Value);
        Assert.True(f.Engine.GetInfo(s_full, "a").IsOk);

        // A failing step rolls back the whole batch.
        var failed = await f.Engine.UpdateAliasesAsync(s_full, [new RenameAlias("a", "b"), new DeleteAlias("missing")], default);
        Assert.False(failed.IsOk);
        Assert.Equal(["a"], f.Engine.ListAliases(s_full).Value!.Select(a => a.AliasName));

        await f.Engine.UpdateAliasesAsync(s_full, [new RenameAlias("a", "b")], default);
        Assert.Equal(["b"], f.Engine.ListCollectionAliases(s_full, "c").Value!.Select(a => a.AliasName));
    }

    [Fact]
    public async Task Access_ChecksTheNameInTheRequest_AliasOrCollection()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        f.Upsert("c", EngineFixture.Point(1, [1, 0]));
        await f.Engine.UpdateAliasesAsync(s_full, [new CreateAlias("c", "alias_c")], default);
        var forCollection = new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["c"] = AccessLevel.ReadWrite });
        var forAlias = new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["alias_c"] = AccessLevel.Read });
        var read = new RetrieveRequest([PointId.FromNum(1)], WithPayload.None, WithVector.None);

        // A right on the collection does not reach it through an alias the token does not list, on any call kind.
        Assert.True(f.Engine.GetInfo(forCollection, "c").IsOk);
        Assert.Equal(ErrorKind.Forbidden, f.Engine.GetInfo(forCollection, "alias_c").Error.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await f.Engine.RetrieveAsync(forCollection, "alias_c", read, default)).Error.Kind);
        Assert.Equal(ErrorKind.Forbidden, f.Engine.Exists(forCollection, "alias_c").Error.Kind);
        Assert.Equal(ErrorKind.Forbidden, f.Engine.ListCollectionAliases(forCollection, "alias_c").Error.Kind);
        var write = await f.Engine.UpdateAsync(forCollection, "alias_c", new DeletePoints(PointsSelector.ByIds([PointId.FromNum(1)])), new WriteOptions(true), default);
        Assert.Equal("Forbidden: Write access to collection alias_c is required", write.Error.Message);

        // A right on the alias reaches the collection through it, and only through it.
        Assert.True(f.Engine.GetInfo(forAlias, "alias_c").IsOk);
        Assert.Single((await f.Engine.RetrieveAsync(forAlias, "alias_c", read, default)).Value!);
        Assert.True(f.Engine.Exists(forAlias, "alias_c").Value);
        Assert.Equal(ErrorKind.Forbidden, f.Engine.GetInfo(forAlias, "c").Error.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await f.Engine.RetrieveAsync(forAlias, "c", read, default)).Error.Kind);
    }

    [Fact]
    public async Task Reopen_AfterFlush_RestoresEverything()
    {
        using var f = new EngineFixture();
        f.CreateCollection("p", 2, Distance.Cosine);
        f.Upsert("p", EngineFixture.Point(1, [3, 4], City("Berlin")));
        await f.Engine.UpdateAliasesAsync(s_full, [new CreateAlias("p", "alias")], default);
        await f.Engine.UpdateAsync(s_full, "p", new CreateFieldIndex("city", PayloadSchemaType.Keyword), new WriteOptions(true), default);

        var engine = f.Reopen(flushFirst: true);
        var got = await engine.RetrieveAsync(s_full, "alias", new RetrieveRequest([PointId.FromNum(1)], WithPayload.All, WithVector.All), default);
        var point = Assert.Single(got.Value!);
        Assert.Equal("Berlin", point.Payload!["city"]!.AsString);
        Assert.Equal(0.6f, ((DenseVector)point.Vectors![""]).Values[0], 5);
        Assert.True(engine.GetInfo(s_full, "p").Value!.PayloadSchema.ContainsKey("city"));
    }

    [Fact]
    public async Task Reopen_WithoutFlush_ReplaysWal()
    {
        using var f = new EngineFixture();
        f.CreateCollection("w", 2, Distance.Dot);
        f.Upsert("w", EngineFixture.Point(1, [1, 2], City("a")), EngineFixture.Point(2, [3, 4]));
        await f.Engine.UpdateAsync(s_full, "w", new DeletePoints(PointsSelector.ByIds([PointId.FromNum(2)])), new WriteOptions(true), default);

        var engine = f.Reopen(flushFirst: false);
        var count = await engine.CountAsync(s_full, "w", new CountRequest(null, true), default);
        Assert.Equal(1UL, count.Value);

        // Writes after recovery get newer versions and are not mistaken for stale replays.
        f.Upsert("w", EngineFixture.Point(1, [9, 9]));
        var engine2 = f.Reopen(flushFirst: false);
        var got = await engine2.RetrieveAsync(s_full, "w", new RetrieveRequest([PointId.FromNum(1)], WithPayload.None, WithVector.All), default);
        Assert.Equal(9f, ((DenseVector)got.Value![0].Vectors![""]).Values[0]);
    }

    [Fact]
    public async Task ReadOnlyAccess_CannotWrite()
    {
        using var f = new EngineFixture();
        f.CreateCollection("ro", 1, Distance.Dot);
        var r = await f.Engine.UpdateAsync(AccessContext.ReadOnly, "ro", new UpsertPoints([EngineFixture.Point(1, [1])]), new WriteOptions(true), default);
        Assert.Equal(ErrorKind.Forbidden, r.Error.Kind);
        var c = await f.Engine.CreateAsync(AccessContext.ReadOnly, new CreateCollectionRequest("x", new VectorsConfig(new VectorParams(1, Distance.Dot), null)), default);
        Assert.Equal(ErrorKind.Forbidden, c.Error.Kind);
        Assert.True(f.Engine.GetInfo(AccessContext.ReadOnly, "ro").IsOk);
    }

    private static Payload City(string city)
    {
        var p = new Payload();
        p["city"] = PayloadValue.FromString(city);
        return p;
    }

    private static QueryRequest Nearest(float[] v, uint limit) =>
        new(new NearestQuery(new DenseVectorInput(v)), null, null, limit, 0, null, null, WithPayload.None, WithVector.None);

    private static float Oracle(Distance d, float[] a, float[] b)
    {
        double dot = 0, l2 = 0, l1 = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
            l1 += Math.Abs(a[i] - b[i]);
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return d switch
        {
            Distance.Cosine => (float)(dot / Math.Sqrt(na) / Math.Sqrt(nb)),
            Distance.Dot => (float)dot,
            Distance.Euclid => (float)Math.Sqrt(l2),
            Distance.Manhattan => (float)l1,
        };
    }
}
