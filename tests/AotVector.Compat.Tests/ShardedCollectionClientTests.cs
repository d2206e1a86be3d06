using AotVector.Testing;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace AotVector.Compat.Tests;

/// <summary>The official client creates a collection with shard_number 3 over gRPC; it answers as one of a single shard.</summary>
public sealed class ShardedCollectionClientTests : ServerAndClient
{
    private const int Count = 120;

    [Fact]
    public async Task GrpcCreated_ShardNumberThree_AnswersAsOneShard()
    {
        var vectors = new VectorParams { Size = 4, Distance = Distance.Euclid };
        await Client.CreateCollectionAsync("g_one", vectors);
        await Client.CreateCollectionAsync("g_many", vectors, shardNumber: 3);
        var data = SeededRandom.Vectors(61, Count, 4);
        var points = data.Select((v, i) => new PointStruct
        {
            Id = (ulong)i,
            Vectors = v,
            Payload = { ["tag"] = "t" + (i % 3) },
        }).ToList();
        await Client.UpsertAsync("g_one", points);
        await Client.UpsertAsync("g_many", points);

        var info = await Client.GetCollectionInfoAsync("g_many");
        Assert.Equal(3u, info.Config.Params.ShardNumber);
        Assert.Equal((ulong)Count, info.PointsCount);

        for (var q = 0; q < 5; q++)
        {
            var query = data[q * 13];
            Filter? filter = q % 2 == 0 ? null : new Filter { Must = { MatchKeyword("tag", "t2") } };
            var one = await Client.QueryAsync("g_one", query, filter: filter, limit: 9, offset: (ulong)q);
            var many = await Client.QueryAsync("g_many", query, filter: filter, limit: 9, offset: (ulong)q);
            Assert.Equal(one.Select(p => p.Id.Num), many.Select(p => p.Id.Num));
            Assert.Equal(one.Select(p => p.Score), many.Select(p => p.Score));
        }

        Assert.Equal(await Client.CountAsync("g_one", exact: true), await Client.CountAsync("g_many", exact: true));
        var scrollOne = await Client.ScrollAsync("g_one", limit: 25, offset: 40);
        var scrollMany = await Client.ScrollAsync("g_many", limit: 25, offset: 40);
        Assert.Equal(scrollOne.Result.Select(p => p.Id.Num), scrollMany.Result.Select(p => p.Id.Num));
        Assert.Equal(scrollOne.NextPageOffset.Num, scrollMany.NextPageOffset.Num);
        var retrieved = await Client.RetrieveAsync("g_many", [5ul, 77ul, 100ul], withPayload: true);
        Assert.Equal([5ul, 77ul, 100ul], retrieved.Select(p => p.Id.Num));
    }
}
