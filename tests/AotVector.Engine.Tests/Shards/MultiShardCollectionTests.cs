using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Shards;
using AotVector.Engine.Tests.Snapshots;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Shards;

/// <summary>
/// A collection of three shards against one of a single shard holding the same seeded points: every read answers the
/// same, before and after a restart. Where the reference runs a query tree per shard (a fusion or a rescoring inside a
/// prefetch), the answer is checked against single-shard collections each holding one shard's points.
/// </summary>
public sealed class MultiShardCollectionTests
{
    private const int Count = 240;
    private const uint Shards = 3;
    private static readonly float[][] s_a = SeededRandom.Vectors(51, Count, 4);
    private static readonly float[][] s_b = SeededRandom.Vectors(52, Count, 3);
    private static readonly float[] s_qa = SeededRandom.Vectors(53, 1, 4)[0];
    private static readonly float[] s_qb = SeededRandom.Vectors(54, 1, 3)[0];

    [Fact]
    public void Create_MakesOneDirectoryPerShard_AndSpreadsPointsByTheRing()
    {
        using var f = new EngineFixture();
        Create(f, "many", Shards, Enumerable.Range(0, Count));

        var collection = f.Engine.CollectionForTests("many");
        Assert.Equal([0u, 1, 2], collection.LocalShards.Select(s => s.ShardId));
        Assert.All(collection.LocalShards, s => Assert.True(Directory.Exists(Path.Combine(collection.Directory, s.ShardId.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        var ring = HashRing.ForShardCount(Shards);
        foreach (var shard in collection.LocalShards)
        {
            var ids = shard.ScrollIds(null, null, Count, default);
            Assert.InRange(ids.Count, Count / 5, Count / 2);
            Assert.All(ids, id => Assert.Equal(shard.ShardId, ring.ShardFor(id)));
        }

        var info = Ok(f.Engine.GetInfo(EngineFixture.Full, "many"));
        Assert.Equal((ulong)Count, info.PointsCount);
        Assert.Equal(Shards, info.Config.Params.ShardNumber);
        Assert.True(info.SegmentsCount >= Shards);
    }

    [Fact]
    public void EveryRead_AnswersAsOneShardDoes_AlsoAfterRestart()
    {
        using var f = new EngineFixture();
        Create(f, "one", 1, Enumerable.Range(0, Count));
        Create(f, "many", Shards, Enumerable.Range(0, Count));

        // Payload indexes reach every shard; info sums them.
        foreach (var name in new[] { "one", "many" })
        {
            Ok(f.Engine.UpdateAsync(EngineFixture.Full, name, new CreateFieldIndex("tag", PayloadSchemaType.Keyword), new WriteOptions(true), default).Sync());
            Ok(f.Engine.UpdateAsync(EngineFixture.Full, name, new CreateFieldIndex("n", PayloadSchemaType.Integer), new WriteOptions(true), default).Sync());
            Ok(f.Engine.UpdateAsync(EngineFixture.Full, name, new DeleteFieldIndex("n"), new WriteOptions(true), default).Sync());
        }

        AssertSameAnswers(f);
        f.Reopen();
        AssertSameAnswers(f);
        f.Reopen(flushFirst: false);
        AssertSameAnswers(f);
    }

    [Fact]
    public void NestedFusion_RunsPerShard_AndTheShardsListsMergeByScore()
    {
        using var f = new EngineFixture();
        Create(f, "many", Shards, Enumerable.Range(0, Count));
        var ring = HashRing.ForShardCount(Shards);
        for (var s = 0u; s < Shards; s++)
        {
            var shard = s;
            Create(f, "part" + s, 1, Enumerable.Range(0, Count).Where(i => ring.ShardFor(PointId.FromNum((ulong)i)) == shard));
        }

        // Rescoring by "a" over each shard's own fusion of its 6 best by "a" and by "b".
        var nested = new Prefetch([Leaf(s_qa, "a", 6), Leaf(s_qb, "b", 6)], new FusionQuery(FusionMethod.Rrf), null, null, null, null, 5, null);
        var rescored = new QueryRequest(new NearestQuery(new DenseVectorInput(s_qa)), "a", null, 8, 0, null, null, WithPayload.None, WithVector.None, Prefetch: [nested]);
        var expected = Enumerable.Range(0, (int)Shards)
            .SelectMany(s => Query(f, "part" + s, rescored))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Id)
            .Take(8)
            .ToList();
        var actual = Query(f, "many", rescored);
        Assert.Equal(expected.Select(p => p.Id), actual.Select(p => p.Id));
        Assert.Equal(expected.Select(p => p.Score), actual.Select(p => p.Score));

        // A fusion at the root fuses each branch's lists merged over the shards: here the nested fusion's per-shard
        // scores and the "b" leaf's distances.
        var root = new QueryRequest(new FusionQuery(FusionMethod.Rrf), null, null, 10, 0, null, null, WithPayload.None, WithVector.None, Prefetch: [nested, Leaf(s_qb, "b", 7)]);
        var branchNested = Enumerable.Range(0, (int)Shards)
            .SelectMany(s => Query(f, "part" + s, new QueryRequest(nested.Query, null, null, nested.Limit, 0, null, null, WithPayload.None, WithVector.None, Prefetch: nested.Prefetches)))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Id).Take((int)nested.Limit).ToList();
        var branchB = Enumerable.Range(0, (int)Shards)
            .SelectMany(s => Query(f, "part" + s, new QueryRequest(new NearestQuery(new DenseVectorInput(s_qb)), "b", null, 7, 0, null, null, WithPayload.None, WithVector.None)))
            .OrderBy(p => p.Score).ThenBy(p => p.Id).Take(7).ToList();
        var fused = new Dictionary<PointId, float>();
        foreach (var list in new[] { branchNested, branchB })
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                fused[list[rank].Id] = fused.GetValueOrDefault(list[rank].Id) + (1f / (rank + RequestDefaults.RrfK));
            }
        }

        var expectedRoot = fused.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(10).Select(kv => kv.Key).ToList();
        Assert.Equal(expectedRoot, Query(f, "many", root).Select(p => p.Id));
    }

    [Fact]
    public void Create_RefusesZeroAndTooManyShards()
    {
        using var f = new EngineFixture();
        var vectors = new VectorsConfig(new VectorParams(4, Distance.Cosine), null);
        var zero = f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("z", vectors, ShardNumber: 0), default).Sync();
        Assert.Contains("shard_number", zero.Error!.Message, StringComparison.Ordinal);
        var huge = f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("h", vectors, ShardNumber: 5000), default).Sync();
        Assert.EndsWith("[shard_number: value 5000 invalid, must be 1024 or smaller]", huge.Error!.Message, StringComparison.Ordinal);
        Assert.False(f.Engine.Exists(EngineFixture.Full, "h").Value);
    }

    private static void AssertSameAnswers(EngineFixture f)
    {
        var one = f.Engine.CollectionForTests("one");
        var many = f.Engine.CollectionForTests("many");
        Assert.Equal(Shards, (uint)many.LocalShards.Count);
        var t1 = new Filter(Must: [new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("t1")))]);
        var small = new Filter(Must: [new FieldCondition("n", Range: new RangeCondition(Lt: 100))]);

        // Info: points, indexed fields with their counts.
        var (infoOne, infoMany) = (Ok(f.Engine.GetInfo(EngineFixture.Full, "one")), Ok(f.Engine.GetInfo(EngineFixture.Full, "many")));
        Assert.Equal(infoOne.PointsCount, infoMany.PointsCount);
        Assert.Equal(infoOne.PayloadSchema.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value.DataType, kv.Value.Points)), infoMany.PayloadSchema.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value.DataType, kv.Value.Points)));
        Assert.Equal(["tag"], infoMany.PayloadSchema.Keys);

        // Count, retrieve, scroll page by page.
        foreach (var filter in new[] { null, t1, small })
        {
            Assert.Equal(Ok(f.Engine.CountAsync(EngineFixture.Full, "one", new CountRequest(filter, true), default).Sync()), Ok(f.Engine.CountAsync(EngineFixture.Full, "many", new CountRequest(filter, true), default).Sync()));
            AssertSameScroll(f, filter);
        }

        PointId[] asked = [PointId.FromNum(17), PointId.FromNum(3), PointId.FromNum(100_000), PointId.FromNum(200), PointId.FromNum(3)];
        var retrieve = new RetrieveRequest(asked, WithPayload.All, new WithVector(true));
        AssertSameRecords(Ok(f.Engine.RetrieveAsync(EngineFixture.Full, "one", retrieve, default).Sync()), Ok(f.Engine.RetrieveAsync(EngineFixture.Full, "many", retrieve, default).Sync()));

        // Queries: nearest with offset, filters, both distances, recommend by ids, sparse with idf, no query at all.
        QueryRequest Q(QueryInput? query, string? usingName, uint limit, uint offset = 0, Filter? filter = null) =>
            new(query, usingName, filter, limit, offset, null, new SearchParams(Exact: true), WithPayload.All, new WithVector(true));
        var sparseQuery = new SparseVector([1, 4, 7, 20], [0.5f, 1f, 0.25f, 0.1f]);
        var requests = new[]
        {
            Q(new NearestQuery(new DenseVectorInput(s_qa)), "a", 10, 5),
            Q(new NearestQuery(new DenseVectorInput(s_qb)), "b", 7, 0, t1),
            Q(new NearestQuery(new PointIdInput(PointId.FromNum(42))), "a", 12, 3, small),
            Q(new RecommendQuery([new PointIdInput(3), new PointIdInput(17)], [new PointIdInput(40)], RecommendStrategy.BestScore), "a", 10),
            Q(new RecommendQuery([new PointIdInput(3), new PointIdInput(17)], [new PointIdInput(40)], RecommendStrategy.SumScores), "b", 10, 2),
            Q(new RecommendQuery([new PointIdInput(5), new PointIdInput(8)], [], RecommendStrategy.AverageVector), "b", 9, 1, t1),
            Q(new NearestQuery(new SparseVectorInput(sparseQuery)), "s", 10, 4),
            Q(new RecommendQuery([new PointIdInput(9)], [new PointIdInput(11)], RecommendStrategy.BestScore), "s", 6),
            Q(null, null, 10, 20, t1),
            Q(new FusionQuery(FusionMethod.Rrf), null, 10, 2) with { Prefetch = [Leaf(s_qa, "a", 20), Leaf(s_qb, "b", 25)] },
            Q(new FusionQuery(FusionMethod.Dbsf), null, 10) with { Prefetch = [Leaf(s_qa, "a", 15), Leaf(s_qb, "b", 15) with { Filter = t1 }] },
            Q(new NearestQuery(new DenseVectorInput(s_qb)), "b", 10) with { Prefetch = [Leaf(s_qa, "a", Count) with { Filter = small }] },

            // A fusion inside a prefetch ranks each shard's points; with every point in its lists the candidates
            // and so the rescored answer are the same however the points are sharded.
            Q(new NearestQuery(new DenseVectorInput(s_qa)), "a", 10) with
            {
                Prefetch = [new Prefetch([Leaf(s_qa, "a", Count), Leaf(s_qb, "b", Count)], new FusionQuery(FusionMethod.Rrf), null, null, null, null, Count, null)],
            },
        };
        foreach (var request in requests)
        {
            var expected = Ok(f.Engine.QueryAsync(EngineFixture.Full, "one", request, default, default).Sync());
            var actual = Ok(f.Engine.QueryAsync(EngineFixture.Full, "many", request, default, default).Sync());
            Assert.True(expected.Count > 0, $"{request.Query} found nothing");
            Assert.Equal(expected.Select(p => p.Id), actual.Select(p => p.Id));
            Assert.Equal(expected.Select(p => p.Score), actual.Select(p => p.Score));
            AssertSameRecords(expected.Select(p => new PointRecord(p.Id, p.Payload, p.Vectors)).ToList(), actual.Select(p => new PointRecord(p.Id, p.Payload, p.Vectors)).ToList());
        }

        Assert.Equal(one.PointsCount, many.PointsCount);
    }

    private static void AssertSameScroll(EngineFixture f, Filter? filter)
    {
        PointId? offsetOne = null, offsetMany = null;
        var pages = 0;
        do
        {
            var request = new ScrollRequest(filter, 17, offsetOne, WithPayload.All, new WithVector(false));
            var one = Ok(f.Engine.ScrollAsync(EngineFixture.Full, "one", request, default).Sync());
            var many = Ok(f.Engine.ScrollAsync(EngineFixture.Full, "many", request with { Offset = offsetMany }, default).Sync());
            AssertSameRecords(one.Points, many.Points);
            Assert.Equal(one.NextPageOffset, many.NextPageOffset);
            (offsetOne, offsetMany) = (one.NextPageOffset, many.NextPageOffset);
            pages++;
        }
        while (offsetOne is not null);
        Assert.True(pages > 1);
    }

    private static void AssertSameRecords(IReadOnlyList<PointRecord> expected, IReadOnlyList<PointRecord> actual)
    {
        Assert.Equal(expected.Select(p => p.Id), actual.Select(p => p.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Equals(expected[i].Payload, actual[i].Payload), $"payload of point {expected[i].Id} differs");
            Assert.Equal(expected[i].Vectors?.Count, actual[i].Vectors?.Count);
            foreach (var (name, v) in expected[i].Vectors ?? new Dictionary<string, VectorData>())
            {
                Assert.True(v.Equals(actual[i].Vectors![name]), $"vector \"{name}\" of point {expected[i].Id} differs");
            }
        }
    }

    private static void Create(EngineFixture f, string name, uint shards, IEnumerable<int> ids)
    {
        var vectors = new VectorsConfig(null, new Dictionary<string, VectorParams>(StringComparer.Ordinal)
        {
            ["a"] = new(4, Distance.Cosine),
            ["b"] = new(3, Distance.Euclid),
        });
        var request = new CreateCollectionRequest(name, vectors, ShardNumber: shards)
        {
            SparseVectors = new Dictionary<string, SparseVectorParams>(StringComparer.Ordinal) { ["s"] = new(null, SparseModifier.Idf) },
        };
        Ok(f.Engine.CreateAsync(EngineFixture.Full, request, default).Sync());
        var points = ids.Select(i => new PointStruct(
            PointId.FromNum((ulong)i),
            new Dictionary<string, VectorData>
            {
                ["a"] = s_a[i],
                ["b"] = s_b[i],
                ["s"] = new SparseVector([(uint)(i % 5), (uint)(5 + (i % 7)), 20], [1f + (i % 3), 0.5f, i % 4 == 0 ? 2f : 0.1f]),
            },
            new Payload { ["n"] = PayloadValue.FromInteger(i), ["tag"] = PayloadValue.FromString("t" + (i % 3)) })).ToArray();
        if (points.Length > 0)
        {
            // In two batches, the second overwriting part of the first, so shards see updates as well as inserts.
            Ok(f.Engine.UpdateAsync(EngineFixture.Full, name, new UpsertPoints(points), new WriteOptions(true), default).Sync());
            Ok(f.Engine.UpdateAsync(EngineFixture.Full, name, new UpsertPoints(points.Where((_, k) => k % 4 == 0).ToArray()), new WriteOptions(true), default).Sync());
        }
    }

    private static List<ScoredPoint> Query(EngineFixture f, string name, QueryRequest request) =>
        [.. Ok(f.Engine.QueryAsync(EngineFixture.Full, name, request, default, default).Sync())];

    private static Prefetch Leaf(float[] query, string usingName, int limit) =>
        new([], new NearestQuery(new DenseVectorInput(query)), usingName, null, new SearchParams(Exact: true), null, (uint)limit, null);

    private static T Ok<T>(Common.Errors.Result<T> result)
    {
        Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);
        return result.Value!;
    }
}
