using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Strict;

/// <summary>
/// Strict mode, limit by limit, through the engine every front end calls: each refusal carries the reference's
/// message, and the same request passes once the limit is raised or strict mode is off. The engine's clock is a manual
/// one, so the rate limiters refill only when a test advances it.
/// </summary>
public sealed class StrictModeTests : IDisposable
{
    private const string C = "s";
    private static readonly float[][] s_vectors = SeededRandom.Vectors(23, 20, 4);
    private readonly TempDirectory _dir = new("strict");
    private readonly ManualTimeProvider _time = new();
    private uint? _memoryPercent = 10;
    private readonly VectorEngine _engine;

    public StrictModeTests()
    {
        _engine = VectorEngine.Open(EngineOptions.Defaults(_dir.Path) with { ResidentMemoryPercent = () => _memoryPercent }, time: _time);
        Ok(_engine.CreateAsync(Full, new CreateCollectionRequest(C, new VectorsConfig(null, new Dictionary<string, VectorParams>
        {
            ["d"] = new(4, Distance.Cosine),
            ["m"] = new(2, Distance.Dot, MultivectorConfig: new MultiVectorConfig(MultiVectorComparator.MaxSim)),
        }))
        { SparseVectors = new Dictionary<string, SparseVectorParams> { ["sp"] = new(null, null) } }, default).Wait());
        Ok(Update(new UpsertPoints([.. Enumerable.Range(0, 20).Select(i => Point((ulong)i, i))])));
        Ok(Update(new CreateFieldIndex("num", PayloadSchemaType.Integer)));
    }

    private static AccessContext Full => AccessContext.Full;

    public void Dispose()
    {
        _engine.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Config_IsShownMergedOnPatch_AndSurvivesARestart()
    {
        Strict(new StrictModeConfig { Enabled = true, MaxQueryLimit = 5, MultivectorConfig = new Dictionary<string, StrictModeMultivector> { ["m"] = new(3) } });
        Strict(new StrictModeConfig { ReadRateLimit = 100 });
        var shown = _engine.GetInfo(Full, C).Value!.Config.StrictModeConfig!;
        Assert.Equal(true, shown.Enabled);
        Assert.Equal(5UL, shown.MaxQueryLimit);
        Assert.Equal(100UL, shown.ReadRateLimit);
        Assert.Equal(3UL, shown.MultivectorConfig!["m"].MaxVectors);
        Assert.Null(shown.WriteRateLimit);

        _engine.Dispose();
        using var reopened = VectorEngine.Open(EngineOptions.Defaults(_dir.Path), time: _time);
        var stored = reopened.GetInfo(Full, C).Value!.Config.StrictModeConfig!;
        Assert.Equal(shown with { MultivectorConfig = null }, stored with { MultivectorConfig = null });
        Assert.Equal(3UL, stored.MultivectorConfig!["m"].MaxVectors);
    }

    [Fact]
    public void Create_TakesTheServerDefault_AndMergesTheRequestOverIt()
    {
        using var dir = new TempDirectory("strict-default");
        var options = EngineOptions.Defaults(dir.Path) with { DefaultStrictMode = new StrictModeConfig { Enabled = true, MaxQueryLimit = 7 } };
        using var engine = VectorEngine.Open(options, time: _time);
        var vectors = new VectorsConfig(new VectorParams(4, Distance.Dot), null);
        Ok(engine.CreateAsync(Full, new CreateCollectionRequest("a", vectors), default).Wait());
        Ok(engine.CreateAsync(Full, new CreateCollectionRequest("b", vectors) { StrictModeConfig = new StrictModeConfig { MaxTimeout = 3 } }, default).Wait());

        Assert.Equal(new StrictModeConfig { Enabled = true, MaxQueryLimit = 7 }, engine.GetInfo(Full, "a").Value!.Config.StrictModeConfig);
        Assert.Equal(new StrictModeConfig { Enabled = true, MaxQueryLimit = 7, MaxTimeout = 3 }, engine.GetInfo(Full, "b").Value!.Config.StrictModeConfig);
    }

    [Fact]
    public void OutOfBoundsValues_AreValidationErrors()
    {
        var r = _engine.UpdateAsync(Full, new UpdateCollectionRequest(C) { StrictModeConfig = new StrictModeConfig { MaxQueryLimit = 0 } }, default).Wait();
        Assert.Equal(ErrorKind.Validation, r.Error.Kind);
        Assert.Equal("Validation error in JSON body: [strict_mode_config.max_query_limit: value 0 invalid, must be 1 or larger]", r.Error.Message);
    }

    [Fact]
    public void Disabled_ChecksNothing()
    {
        Strict(new StrictModeConfig { Enabled = false, MaxQueryLimit = 1 });
        Ok(Query(Search(10)));
    }

    [Fact]
    public void MaxQueryLimit_RefusesALargerLimit_OnQueryScrollGroupsAndMatrix()
    {
        Strict(new StrictModeConfig { Enabled = true, MaxQueryLimit = 5 });
        Refused(Query(Search(6)), "Bad request: Limit exceeded 6 > 5 for \"limit\". Help: Reduce the \"limit\" parameter to or below 5.");
        Ok(Query(Search(5)));
        Refused(_engine.ScrollAsync(Full, C, new ScrollRequest(null, 6, null, new WithPayload(false), new WithVector(false)), default).Wait(), "Limit exceeded 6 > 5 for \"limit\"");
        var groups = new GroupsRequest(Search(3), "num", 2);
        Refused(_engine.QueryGroupsAsync(Full, C, groups, default, default).Wait(), "Limit exceeded 6 > 5 for \"limit\"");
        Refused(_engine.SearchMatrixAsync(Full, C, new MatrixRequest(null, 3, 2, "d"), default, default).Wait(), "Limit exceeded 6 > 5 for \"limit\"");

        // A prefetch branch is held to the same limit.
        var withPrefetch = Search(2) with { Prefetch = [new Prefetch([], new NearestQuery(new DenseVectorInput(s_vectors[0])), "d", null, null, null, 9, null)] };
        Refused(Query(withPrefetch), "Limit exceeded 9 > 5 for \"limit\"");
    }

    [Fact]
    public void MaxTimeout_RefusesALongerTimeout()
    {
        Strict(new StrictModeConfig { Enabled = true, MaxTimeout = 3 });
        Refused(_engine.QueryAsync(Full, C, Search(3), new ReadOptions(TimeSpan.FromSeconds(4)), default).Wait(),
            "Bad request: Limit exceeded 4 > 3 for \"timeout\". Help: Reduce the \"timeout\" parameter to or below 3.");
        Ok(_engine.QueryAsync(Full, C, Search(3), new ReadOptions(TimeSpan.FromSeconds(3)), default).Wait());
        Refused(_engine.UpdateAsync(Full, C, new UpsertPoints([Point(1, 1)]), new WriteOptions(true, TimeSpan.FromSeconds(10)), default).Wait(),
            "Limit exceeded 10 > 3 for \"timeout\"");
    }

    [Fact]
    public void UnindexedFilteringRetrieve_RefusesAFilterOnAFieldWithoutASuitableIndex()
    {
        Strict(new StrictModeConfig { Enabled = true, UnindexedFilteringRetrieve = false });
        var onCity = new Filter(Must: [new FieldCondition("city", Match: new MatchValue(PayloadValue.FromString("Berlin")))]);
        Refused(Query(Search(3) with { Filter = onCity }),
            "Bad request: Index required but not found for \"city\" of one of the following types: [keyword]. Help: Create an index for this key or use a different filter.");
        var range = new Filter(Must: [new FieldCondition("price", Range: new RangeCondition(Gt: 1))]);
        Refused(_engine.CountAsync(Full, C, new CountRequest(range, false), default).Wait(),
            "Index required but not found for \"price\" of one of the following types: [float, integer]");
        var onNum = new Filter(Must: [new FieldCondition("num", Match: new MatchValue(PayloadValue.FromInteger(3)))]);
        Ok(Query(Search(3) with { Filter = onNum }));

        // Writes are governed by the other flag.
        Ok(Update(new DeletePoints(new PointsSelector(null, onCity))));
    }

    [Fact]
    public void UnindexedFilteringUpdate_RefusesAFilteredWrite_OnAFieldWithoutAnIndex()
    {
        Strict(new StrictModeConfig { Enabled = true, UnindexedFilteringUpdate = false });
        var onCity = new Filter(Must: [new FieldCondition("city", Match: new MatchValue(PayloadValue.FromString("Berlin")))]);
        Refused(Update(new DeletePoints(new PointsSelector(null, onCity))),
            "Bad request: Index required but not found for \"city\" of one of the following types: [keyword]. Help: Create an index for this key or use a different filter.");
        Refused(Update(new SetPayload(new Payload(), new PointsSelector(null, onCity))), "Index required but not found for \"city\"");
        Ok(Query(Search(3) with { Filter = onCity }));
        Ok(Update(new DeletePoints(new PointsSelector([1], null))));
    }

    [Fact]
    public void GroupBy_NeedsAnIndexThatCanMatch_WhenUnindexedRetrieveIsOff()
    {
        Strict(new StrictModeConfig { Enabled = true, UnindexedFilteringRetrieve = false });
        Refused(_engine.QueryGroupsAsync(Full, C, new GroupsRequest(Search(3), "docId", 2), default, default).Wait(),
            "Bad request: Index required but not found for \"docId\". Help: Create an index supporting `match` for this key.");
        Ok(Update(new CreateFieldIndex("price", PayloadSchemaType.Float)));
        Refused(_engine.QueryGroupsAsync(Full, C, new GroupsRequest(Search(3), "price", 2), default, default).Wait(),
            "Bad request: Index of type \"Float\" found for \"price\". Help: Create an index supporting `match` for this key.");
        Ok(_engine.QueryGroupsAsync(Full, C, new GroupsRequest(Search(3), "num", 2), default, default).Wait());
    }

    [Fact]
    public void SearchParams_HnswEfOversamplingAndExact()
    {
        Strict(new StrictModeConfig { Enabled = true, SearchMaxHnswEf = 10, SearchMaxOversampling = 2, SearchAllowExact = false });
        Refused(Query(Search(3) with { Params = new SearchParams(HnswEf: 11) }), "Bad request: Limit exceeded 11 > 10 for \"hnsw_ef\". Help: Reduce the \"hnsw_ef\" parameter to or below 10.");
        Refused(Query(Search(3) with { Params = new SearchParams(Quantization: new QuantizationSearchParams(Oversampling: 2.5)) }), "Limit exceeded 2.5 > 2 for \"oversampling\"");
        Refused(Query(Search(3) with { Params = new SearchParams(Exact: true) }), "Bad request: Exact search disabled!. Help: Set exact=false.");
        Ok(Query(Search(3) with { Params = new SearchParams(HnswEf: 10) }));

        // Count is exact unless told otherwise, as the reference's.
        Refused(_engine.CountAsync(Full, C, new CountRequest(null, true), default).Wait(), "Exact search disabled!");
        Ok(_engine.CountAsync(Full, C, new CountRequest(null, false), default).Wait());
    }

    [Fact]
    public void SearchAllowExact_RefusesAQueryOverAVectorWithoutAGraph()
    {
        Ok(_engine.UpdateAsync(Full, new UpdateCollectionRequest(C, new Dictionary<string, VectorParamsDiff> { ["d"] = new(new HnswConfigDiff(M: 0)) }), default).Wait());
        Strict(new StrictModeConfig { Enabled = true, SearchAllowExact = false });
        Refused(Query(Search(3)),
            "Bad request: Request is forbidden on 'd' because global vector indexing is disabled (hnsw_config.m = 0). Help: Use tenant-specific filter, enable global vector indexing or enable strict mode `search_allow_exact` option");
        Ok(Query(new QueryRequest(new SampleQuery(), null, null, 3, 0, null, null, new WithPayload(false), new WithVector(false))));
    }

    [Fact]
    public void BatchSizes_UpsertUpdateAndSearch()
    {
        Strict(new StrictModeConfig { Enabled = true, UpsertMaxBatchsize = 2, SearchMaxBatchsize = 2 });
        Refused(Update(new UpsertPoints([Point(1, 1), Point(2, 2), Point(3, 3)])), "Bad request: Limit exceeded 3 > 2 for \"upsert limit\". Help: Reduce the \"upsert limit\" parameter to or below 2.");
        Ok(Update(new UpsertPoints([Point(1, 1), Point(2, 2)])));
        var vectors = new Dictionary<string, VectorData> { ["d"] = s_vectors[0] };
        Refused(Update(new UpdateVectors([new(1, vectors), new(2, vectors), new(3, vectors)])), "Limit exceeded 3 > 2 for \"update limit\"");
        Refused(_engine.QueryBatchAsync(Full, C, [Search(1), Search(1), Search(1)], default, default).Wait(),
            "Bad request: Limit exceeded 3 > 2 for \"search batch size\". Help: Reduce the \"search batch size\" parameter to or below 2.");
        Ok(_engine.QueryBatchAsync(Full, C, [Search(1), Search(1)], default, default).Wait());
    }

    [Fact]
    public void CollectionSizeLimits_PointsVectorsAndPayloads()
    {
        Strict(new StrictModeConfig { Enabled = true, MaxPointsCount = 20 });
        Refused(Update(new UpsertPoints([Point(30, 1)])), "Bad request: Max points count limit of 20 reached!");
        Strict(new StrictModeConfig { MaxPointsCount = 21 });
        Ok(Update(new UpsertPoints([Point(30, 1)])));

        Strict(new StrictModeConfig { MaxPointsCount = 1000, MaxCollectionVectorSizeBytes = 100 });
        Refused(Update(new UpsertPoints([Point(31, 1)])), "Bad request: Max vector storage size limit of 0.00009536743MB reached!");

        Strict(new StrictModeConfig { MaxCollectionVectorSizeBytes = 10 * 1024 * 1024, MaxCollectionPayloadSizeBytes = 16 });
        Refused(Update(new UpsertPoints([Point(31, 1)])), "Bad request: Max payload storage size limit of 0.000015258789MB reached!");
        Refused(Update(new SetPayload(new Payload(), new PointsSelector([1], null))), "Max payload storage size limit of 0.000015258789MB reached!");
        Ok(Update(new DeletePoints(new PointsSelector([1], null))));
    }

    [Fact]
    public void FilterConditionCountAndSize()
    {
        Strict(new StrictModeConfig { Enabled = true, FilterMaxConditions = 2, ConditionMaxSize = 3 });
        Condition Num(long n) => new FieldCondition("num", Match: new MatchValue(PayloadValue.FromInteger(n)));
        var three = new Filter(Must: [Num(1)], Should: [new FilterCondition(new Filter(Must: [Num(2), Num(3)]))]);
        Refused(Query(Search(3) with { Filter = three }), "Bad request: Filter condition limit reached (3 > 2). Help: Reduce the amount of conditions of your filter.");
        var big = new Filter(Must: [new FieldCondition("num", Match: new MatchAny(null, [1, 2, 3, 4]))]);
        Refused(Query(Search(3) with { Filter = big }), "Bad request: Condition size limit reached (4 > 3). Help: Reduce the size of your condition.");
        Ok(Query(Search(3) with { Filter = new Filter(Must: [new FieldCondition("num", Match: new MatchAny(null, [1, 2, 3]))]) }));
    }

    [Fact]
    public void MultivectorAndSparseLimits()
    {
        Strict(new StrictModeConfig
        {
            Enabled = true,
            MultivectorConfig = new Dictionary<string, StrictModeMultivector> { ["m"] = new(2) },
            SparseConfig = new Dictionary<string, StrictModeSparse> { ["sp"] = new(3) },
        });
        var multi = new Dictionary<string, VectorData> { ["d"] = s_vectors[0], ["m"] = new MultiDenseVector([1, 2, 3, 4, 5, 6], 2) };
        Refused(Update(new UpsertPoints([new PointStruct(40, multi, null)])), "Bad request: Multivector 'm' has a limit of 2 vectors, but 3 were provided!");
        var sparse = new Dictionary<string, VectorData> { ["d"] = s_vectors[0], ["sp"] = new SparseVector([1, 2, 3, 4], [1, 1, 1, 1]) };
        Refused(Update(new UpdateVectors([new PointVectors(1, sparse)])), "Bad request: Sparse vector 'sp' has a limit of 3 indices, but 4 were provided!");
        Ok(Update(new UpsertPoints([new PointStruct(41, new Dictionary<string, VectorData> { ["d"] = s_vectors[0], ["m"] = new MultiDenseVector([1, 2, 3, 4], 2) }, null)])));
    }

    [Fact]
    public void MaxPayloadIndexCount_RefusesOneIndexTooMany()
    {
        Strict(new StrictModeConfig { Enabled = true, MaxPayloadIndexCount = 1 });
        Refused(Update(new CreateFieldIndex("city", PayloadSchemaType.Keyword)),
            "Bad request: Collection already has the maximum number of payload indices (1). Help: Please delete an existing index before creating a new one.");
        Ok(Update(new DeleteFieldIndex("num")));
        Ok(Update(new CreateFieldIndex("city", PayloadSchemaType.Keyword)));
    }

    [Fact]
    public void MaxResidentMemoryPercent_RefusesWritesThatGrowMemory_NotDeletes()
    {
        Strict(new StrictModeConfig { Enabled = true, MaxResidentMemoryPercent = 50 });
        Ok(Update(new UpsertPoints([Point(1, 1)])));
        _memoryPercent = 50;
        Refused(Update(new UpsertPoints([Point(1, 1)])),
            "Bad request: Resident memory usage is at 50% of total memory, exceeding the configured limit of 50%. Help: Reduce memory usage (e.g. delete points or drop collections), or raise `max_resident_memory_percent` in the strict mode config of this collection.");
        Ok(Update(new DeletePoints(new PointsSelector([1], null))));
    }

    [Fact]
    public void ReadRateLimit_IsATokenBucketPerMinute()
    {
        Strict(new StrictModeConfig { Enabled = true, ReadRateLimit = 2 });
        Ok(Query(Search(1)));
        Ok(Query(Search(1)));
        var refused = Query(Search(1));
        Assert.Equal(ErrorKind.RateLimited, refused.Error.Kind);
        Assert.Equal("Rate limiting exceeded: Read rate limit exceeded: Operation requires 1 tokens but only 0.0 were available. Retry after 30s", refused.Error.Message);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Error.RetryAfter);

        // Two tokens a minute: one is back after 30 seconds.
        _time.Advance(TimeSpan.FromSeconds(30));
        Ok(Query(Search(1)));
        Assert.Equal(ErrorKind.RateLimited, _engine.RetrieveAsync(Full, C, new RetrieveRequest([1], new WithPayload(false), new WithVector(false)), default).Wait().Error.Kind);

        // A batch costs the sum of its searches; more than the bucket holds can never pass.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(
            "Rate limiting exceeded: Read rate limit exceeded, request larger than rate limiter capacity, please try to split your request",
            _engine.QueryBatchAsync(Full, C, [Search(1), Search(1), Search(1)], default, default).Wait().Error.Message);
    }

    [Fact]
    public void WriteRateLimit_CostsThePointsAWriteTouches()
    {
        Strict(new StrictModeConfig { Enabled = true, WriteRateLimit = 5 });
        Ok(Update(new UpsertPoints([Point(1, 1), Point(2, 2), Point(3, 3)])));
        var refused = Update(new UpsertPoints([Point(4, 4), Point(5, 5), Point(6, 6)]));
        Assert.Equal(ErrorKind.RateLimited, refused.Error.Kind);
        Assert.Equal("Rate limiting exceeded: Write rate limit exceeded: Operation requires 3 tokens but only 2.0 were available. Retry after 12s", refused.Error.Message);
        Refused(Update(new UpsertPoints([.. Enumerable.Range(0, 6).Select(i => Point((ulong)i, i))])),
            "Rate limiting exceeded: Write rate limit exceeded, request larger than rate limiter capacity, please try to split your request");

        // A new config makes new limiters (full buckets).
        Strict(new StrictModeConfig { WriteRateLimit = 6 });
        Ok(Update(new UpsertPoints([.. Enumerable.Range(0, 6).Select(i => Point((ulong)i, i))])));

        // Reads are not writes.
        Ok(Query(Search(1)));
    }

    private static QueryRequest Search(uint limit) =>
        new(new NearestQuery(new DenseVectorInput(s_vectors[1])), "d", null, limit, 0, null, null, new WithPayload(false), new WithVector(false));

    private static PointStruct Point(ulong id, int i) => new(
        id,
        new Dictionary<string, VectorData> { ["d"] = s_vectors[i % s_vectors.Length] },
        new Payload { ["num"] = PayloadValue.FromInteger(i), ["city"] = PayloadValue.FromString("Berlin") });

    private void Strict(StrictModeConfig diff) =>
        Ok(_engine.UpdateAsync(Full, new UpdateCollectionRequest(C) { StrictModeConfig = diff }, default).Wait());

    private Result<UpdateResult> Update(UpdateOperation op) => _engine.UpdateAsync(Full, C, op, new WriteOptions(true), default).Wait();

    private Result<IReadOnlyList<ScoredPoint>> Query(QueryRequest request) => _engine.QueryAsync(Full, C, request, default, default).Wait();

    private static void Ok<T>(Result<T> r) => Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);

    private static void Refused<T>(Result<T> r, string message)
    {
        Assert.False(r.IsOk, "expected a refusal containing: " + message);
        Assert.Contains(message, r.Error.Message, StringComparison.Ordinal);
        Assert.NotEqual(ErrorKind.Internal, r.Error.Kind);
    }
}

/// <summary>The engine's calls complete synchronously here; waits outside the test methods, where the analyzer allows them.</summary>
internal static class ValueTaskWait
{
    public static T Wait<T>(this ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();
}
