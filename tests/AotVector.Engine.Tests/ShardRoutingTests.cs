using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine.Tests;

/// <summary>
/// The collection reaches its shards only through the placement: with points spread over two shards by id, every
/// write lands on the shard that owns its points, and every read answers as one shard holding them all would.
/// </summary>
public sealed class ShardRoutingTests
{
    private const int Dim = 4;

    [Fact]
    public void TwoShards_WritesLandByPointId_ReadsAnswerAsOneShard()
    {
        using var dir = new TempDirectory("routing");
        var vectors = new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null);
        var even = LocalShard.Create(dir.Combine("0"), 0, vectors, WalConfig.Default, NullLogger.Instance);
        var odd = LocalShard.Create(dir.Combine("1"), 1, vectors, WalConfig.Default, NullLogger.Instance);
        var config = new CollectionConfig(new CollectionParams(vectors, 2, 1, 1, true), HnswConfig.Default, OptimizersConfig.Default, WalConfig.Default);
        using var collection = Collection.ForTests("r", dir.Path, config, [even, odd], new ByParity(even, odd), NullLogger.Instance);

        var data = SeededRandom.Vectors(3, 40, Dim);
        var points = data.Select((v, i) => new PointStruct(PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = v }, new Payload { ["n"] = PayloadValue.FromInteger(i) })).ToArray();
        Assert.True(collection.Update(new UpsertPoints(points), wait: true).IsOk);
        Assert.Equal(20UL, even.PointsCount);
        Assert.Equal(20UL, odd.PointsCount);
        Assert.All(even.ScrollIds(null, null, 100, default), id => Assert.Equal(0UL, id.Num % 2));

        // Retrieve keeps the request's order across shards; scroll pages over the union, ascending.
        PointId[] asked = [PointId.FromNum(7), PointId.FromNum(2), PointId.FromNum(99), PointId.FromNum(5)];
        Assert.Equal([7UL, 2UL, 5UL], collection.Retrieve(new RetrieveRequest(asked, WithPayload.None, WithVector.None)).Select(r => r.Id.Num));
        var page = collection.Scroll(new ScrollRequest(null, 5, PointId.FromNum(10), WithPayload.None, WithVector.None), default).Value!;
        Assert.Equal([10UL, 11UL, 12UL, 13UL, 14UL], page.Points.Select(p => p.Id.Num));
        Assert.Equal(15UL, page.NextPageOffset!.Value.Num);

        // A search finds the nearest points whichever shard holds them.
        var query = new QueryRequest(new NearestQuery(new DenseVectorInput(data[13])), null, null, 3, 0, null, new SearchParams(Exact: true), WithPayload.None, WithVector.None);
        var hits = collection.Query(query, _ => collection, default).Value!;
        Assert.Equal(13UL, hits[0].Id.Num);
        var expected = data.Select((v, i) => (i, d: v.Zip(data[13], (a, b) => (a - b) * (a - b)).Sum())).OrderBy(x => x.d).Take(3).Select(x => (ulong)x.i);
        Assert.Equal(expected, hits.Select(h => h.Id.Num));

        // Writes by ids go to the owners; writes by filter reach both.
        Assert.True(collection.Update(new DeletePoints(PointsSelector.ByIds([PointId.FromNum(1), PointId.FromNum(2)])), wait: true).IsOk);
        Assert.Equal((19UL, 19UL), (even.PointsCount, odd.PointsCount));
        var small = new Filter(Must: [new FieldCondition("n", Range: new RangeCondition(Lt: 10))]);
        Assert.True(collection.Update(new SetPayload(new Payload { ["small"] = PayloadValue.FromBool(true) }, PointsSelector.ByFilter(small)), wait: true).IsOk);
        var marked = new Filter(Must: [new FieldCondition("small", Match: new MatchValue(PayloadValue.FromBool(true)))]);
        Assert.Equal(8UL, collection.Count(new CountRequest(marked, true), default).Value);
        Assert.Equal((4UL, 4UL), (even.Count(marked, default), odd.Count(marked, default)));
        Assert.Equal(38UL, collection.PointsCount);
    }

    /// <summary>Even ids on one shard, odd ids on the other.</summary>
    private sealed class ByParity(IShard even, IShard odd) : IShardPlacement
    {
        public IReadOnlyList<IShard> AllShards { get; } = [even, odd];

        public IShard ShardFor(PointId id) => id.Num % 2 == 0 ? even : odd;
    }
}
