using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace AotVector.Compat.Tests;

/// <summary>The official Qdrant.Client 1.20.0 drives the AOT binary over gRPC, unchanged.</summary>
public sealed class QdrantClientScenarioTests : ServerAndClient
{
    [Fact]
    public async Task Scenario_CreateUpsertQueryScrollCountDelete()
    {
        const string name = "compat";
        await Client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Dot });
        Assert.True(await Client.CollectionExistsAsync(name));
        Assert.Contains(name, await Client.ListCollectionsAsync());

        var uuid = Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
        var points = new List<PointStruct>
        {
            new() { Id = 1, Vectors = new[] { 0.05f, 0.61f, 0.76f, 0.74f }, Payload = { ["city"] = "Berlin", ["n"] = 1 } },
            new() { Id = 2, Vectors = new[] { 0.19f, 0.81f, 0.75f, 0.11f }, Payload = { ["city"] = "London", ["n"] = 2 } },
            new() { Id = 3, Vectors = new[] { 0.36f, 0.55f, 0.47f, 0.94f }, Payload = { ["city"] = "Moscow", ["n"] = 3 } },
            new() { Id = 4, Vectors = new[] { 0.18f, 0.01f, 0.85f, 0.80f }, Payload = { ["city"] = "New York", ["n"] = 4 } },
            new() { Id = uuid, Vectors = new[] { 0.24f, 0.18f, 0.22f, 0.44f }, Payload = { ["city"] = "Beijing", ["n"] = 5 } },
        };
        var upsert = await Client.UpsertAsync(name, points);
        Assert.Equal(UpdateStatus.Completed, upsert.Status);

        // Query without filter: Dot scores in Qdrant's quick-start order.
        var hits = await Client.QueryAsync(name, new[] { 0.2f, 0.1f, 0.9f, 0.7f }, limit: 3);
        Assert.Equal(new ulong[] { 4, 1, 3 }, hits.Select(h => h.Id.Num));
        Assert.Equal(1.362f, hits[0].Score, 3);
        Assert.Equal("New York", hits[0].Payload["city"].StringValue);

        // Query with filter, and the deprecated Search the client still offers.
        var filtered = await Client.QueryAsync(name, new[] { 0.2f, 0.1f, 0.9f, 0.7f }, filter: MatchKeyword("city", "London"), limit: 3);
        Assert.Equal(2UL, Assert.Single(filtered).Id.Num);
        var searched = await Client.SearchAsync(name, new[] { 0.2f, 0.1f, 0.9f, 0.7f }, limit: 2);
        Assert.Equal(new ulong[] { 4, 1 }, searched.Select(h => h.Id.Num));

        // Retrieve with vectors, UUID id round trip.
        var got = await Client.RetrieveAsync(name, [new PointId { Uuid = uuid.ToString() }], withPayload: true, withVectors: true);
        var p = Assert.Single(got);
        Assert.Equal(uuid.ToString(), p.Id.Uuid);
        Assert.Equal(4, p.Vectors.Vector.Dense.Data.Count);

        // Scroll with a range filter, count, payload set and delete.
        var scroll = await Client.ScrollAsync(name, filter: Range("n", new Qdrant.Client.Grpc.Range { Gte = 2 }), limit: 10);
        Assert.Equal(4, scroll.Result.Count);
        Assert.Equal(5UL, await Client.CountAsync(name));
        await Client.SetPayloadAsync(name, new Dictionary<string, Value> { ["tag"] = "x" }, id: 1);
        await Client.DeletePayloadAsync(name, ["n"], id: 1);
        var one = (await Client.RetrieveAsync(name, 1, withPayload: true))[0];
        Assert.Equal("x", one.Payload["tag"].StringValue);
        Assert.False(one.Payload.ContainsKey("n"));

        // Field index shows up in collection info.
        await Client.CreatePayloadIndexAsync(name, "city", PayloadSchemaType.Keyword);
        var info = await Client.GetCollectionInfoAsync(name);
        Assert.Equal(5UL, info.PointsCount);
        Assert.True(info.PayloadSchema.ContainsKey("city"));
        Assert.Equal(CollectionStatus.Green, info.Status);

        // Delete by id and by filter.
        await Client.DeleteAsync(name, 2);
        await Client.DeleteAsync(name, MatchKeyword("city", "Moscow"));
        Assert.Equal(3UL, await Client.CountAsync(name));

        await Client.DeleteCollectionAsync(name);
        Assert.False(await Client.CollectionExistsAsync(name));
    }

    [Fact]
    public async Task Query_WithAndWithoutFilter_MatchesBruteForce()
    {
        const int dim = 16;
        await Client.CreateCollectionAsync("brute", new VectorParams { Size = dim, Distance = Distance.Euclid });
        var vectors = SeededRandom.Vectors(5, 400, dim);
        await Client.UpsertAsync("brute", vectors.Select((v, i) => new PointStruct
        {
            Id = (ulong)i,
            Vectors = v,
            Payload = { ["even"] = i % 2 == 0 },
        }).ToList());

        foreach (var (query, n) in SeededRandom.Vectors(6, 10, dim).Select((q, n) => (q, n)))
        {
            var filtered = n % 2 == 1;
            var expected = vectors
                .Select((v, i) => (Id: (ulong)i, Distance: Math.Sqrt(v.Zip(query, (a, b) => (double)(a - b) * (a - b)).Sum())))
                .Where(x => !filtered || x.Id % 2 == 0)
                .OrderBy(x => x.Distance)
                .Take(10)
                .ToArray();
            var hits = await Client.QueryAsync("brute", query, filter: filtered ? (Filter)Match("even", true) : null, limit: 10);
            Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id.Num));
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i].Distance, hits[i].Score, 3);
            }
        }
    }

    [Fact]
    public async Task Upsert_WrongDimension_IsInvalidArgument()
    {
        await Client.CreateCollectionAsync("dims", new VectorParams { Size = 4, Distance = Distance.Cosine });
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.UpsertAsync("dims", [new PointStruct { Id = 1, Vectors = new[] { 1f, 2f, 3f } }]));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("Vector dimension error: expected dim: 4, got 3", e.Status.Detail);
    }

    [Fact]
    public async Task MissingCollection_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.GetCollectionInfoAsync("missing"));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("Collection `missing` doesn't exist!", e.Status.Detail);
    }
}
