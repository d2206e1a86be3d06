using System.Text.Json;
using AotVector.Testing;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Discovery, context, order_by and sample through the official .NET client (QueryAsync, DiscoverAsync, ScrollAsync
/// with orderBy) and through REST (points/query, the legacy points/discover, scroll): the same points, scores and
/// order values on both wires, and discovery scores as a brute-force computation of the reference's formula gives.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    private const int KindsCount = 200;
    private static readonly float[][] s_kinds = SeededRandom.Vectors(61, KindsCount, 8);

    [Fact]
    public async Task Discover_SameOnEveryWireAndForm_AndAsComputed()
    {
        await CreateKinds("kinds_discover");
        var target = SeededRandom.Vectors(62, 1, 8)[0];
        var expected = KindsBrute(Enumerable.Range(0, KindsCount).Where(i => i is not (3 or 4 or 10 or 11)), i =>
        {
            var rank = Side(KindsCosine(i, s_kinds[3]), KindsCosine(i, s_kinds[4])) + Side(KindsCosine(i, s_kinds[10]), KindsCosine(i, s_kinds[11]));
            var t = KindsCosine(i, target);
            return rank + (0.5f * ((t / (1 + Math.Abs(t))) + 1));
        }).Take(10).ToList();

        DiscoverInput Discover() => new()
        {
            Target = target,
            Context = new ContextInput { Pairs = { new ContextInputPair { Positive = 3UL, Negative = 4UL }, new ContextInputPair { Positive = 10UL, Negative = 11UL } } },
        };
        var grpc = await Client.QueryAsync("kinds_discover", query: Discover(), usingVector: "a", limit: 10, searchParams: new SearchParams { Exact = true });
        Assert.Equal(expected.Select(e => e.Id), grpc.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), grpc.Select(p => p.Score), new CloseFloats(1e-5f));

        var context = """[{"positive":3,"negative":4},{"positive":10,"negative":11}]""";
        var rest = await RestHits("kinds_discover", "{\"query\":{\"discover\":{\"target\":[" + Floats(target) + "],\"context\":" + context + "}},\"using\":\"a\",\"limit\":10}");
        Assert.Equal(grpc.Select(p => (p.Id.Num, p.Score)).ToList(), rest);

        // The legacy forms: REST points/discover (a bare list) and the deprecated Discover RPC.
        var legacy = await Rest(HttpMethod.Post, "/collections/kinds_discover/points/discover", $$"""{"target":[{{Floats(target)}}],"context":{{context}},"using":"a","limit":10}""");
        Assert.Equal(rest, legacy.EnumerateArray().Select(p => (p.GetProperty("id").GetUInt64(), p.GetProperty("score").GetSingle())).ToList());
        var legacyGrpc = await Client.DiscoverAsync(
            "kinds_discover",
            new TargetVector { Single = new VectorExample { Vector = new Vector { Dense = new DenseVector { Data = { target } } } } },
            [new ContextExamplePair { Positive = new VectorExample { Id = 3UL }, Negative = new VectorExample { Id = 4UL } }, new ContextExamplePair { Positive = new VectorExample { Id = 10UL }, Negative = new VectorExample { Id = 11UL } }],
            limit: 10,
            usingVector: "a");
        Assert.Equal(rest, legacyGrpc.Select(p => (p.Id.Num, p.Score)).ToList());

        // Neither target nor context is the reference's "Bad request" on both.
        var restEmpty = await RestError(HttpMethod.Post, "/collections/kinds_discover/points/discover", """{"using":"a","limit":3}""");
        Assert.Equal((400, "Bad request: target and/or context_pairs must be specified"), restEmpty);
    }

    [Fact]
    public async Task Context_AndDiscoverAsANode_SameOnBothWires()
    {
        await CreateKinds("kinds_context");
        var pairs = new ContextInput { Pairs = { new ContextInputPair { Positive = 5UL, Negative = 6UL } } };
        var grpc = await Client.QueryAsync("kinds_context", query: pairs, usingVector: "a", limit: 15);
        var rest = await RestHits("kinds_context", """{"query":{"context":{"positive":5,"negative":6}},"using":"a","limit":15}""");
        Assert.Equal(grpc.Select(p => (p.Id.Num, p.Score)).ToList(), rest);
        Assert.All(rest, p => Assert.True(p.Score <= 0f));
        Assert.DoesNotContain(rest, p => p.Id is 5 or 6);

        // Discovery over what a prefetch found, on both wires.
        var target = SeededRandom.Vectors(63, 1, 8)[0];
        var nested = await Client.QueryAsync(
            "kinds_context",
            prefetch: [new PrefetchQuery { Query = target, Using = "a", Limit = 40 }],
            query: new DiscoverInput { Target = 7UL, Context = new ContextInput { Pairs = { new ContextInputPair { Positive = 5UL, Negative = 6UL } } } },
            usingVector: "a",
            limit: 5);
        var restNested = await RestHits("kinds_context", "{\"prefetch\":{\"query\":[" + Floats(target) + "],\"using\":\"a\",\"limit\":40}," + "\"query\":{\"discover\":{\"target\":7,\"context\":{\"positive\":5,\"negative\":6}}},\"using\":\"a\",\"limit\":5}");
        Assert.Equal(nested.Select(p => (p.Id.Num, p.Score)).ToList(), restNested);
        Assert.Equal(5, restNested.Count);
    }

    [Fact]
    public async Task OrderBy_ScrollAndQuery_SameOnBothWires_WithOrderValues()
    {
        await CreateKinds("kinds_order");
        var noIndex = await RestError(HttpMethod.Post, "/collections/kinds_order/points/scroll", """{"order_by":"p"}""");
        Assert.StartsWith("Wrong input: No range index for `order_by` key: `p`.", noIndex.Message);
        await Rest(HttpMethod.Put, "/collections/kinds_order/index?wait=true", """{"field_name":"p","field_schema":"integer"}""");
        await Rest(HttpMethod.Put, "/collections/kinds_order/index?wait=true", """{"field_name":"t","field_schema":"datetime"}""");

        // p = i % 13, descending from 5: ties by id, descending too.
        var expected = Enumerable.Range(0, KindsCount).Where(i => i % 13 <= 5).Select(i => (Value: (long)(i % 13), Id: (ulong)i))
            .OrderByDescending(e => e.Value).ThenByDescending(e => e.Id).Take(20).ToList();
        var grpc = await Client.ScrollAsync("kinds_order", limit: 20, orderBy: new OrderBy { Key = "p", Direction = Direction.Desc, StartFrom = 5 });
        Assert.Equal(expected, grpc.Result.Select(p => (p.OrderValue.Int, p.Id.Num)).ToList());
        Assert.Null(grpc.NextPageOffset);
        var rest = await Rest(HttpMethod.Post, "/collections/kinds_order/points/scroll", """{"order_by":{"key":"p","direction":"desc","start_from":5},"limit":20}""");
        Assert.Equal(expected, rest.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("order_value").GetInt64(), p.GetProperty("id").GetUInt64())).ToList());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_page_offset").ValueKind);

        // The query form: the same order, score 1, order_value on every hit.
        var query = await Client.QueryAsync("kinds_order", query: new OrderBy { Key = "p" }, limit: 10, offset: 3);
        var restQuery = await Rest(HttpMethod.Post, "/collections/kinds_order/points/query", """{"query":{"order_by":"p"},"limit":10,"offset":3}""");
        var ascending = Enumerable.Range(0, KindsCount).Select(i => (Value: (long)(i % 13), Id: (ulong)i)).OrderBy(e => e.Value).ThenBy(e => e.Id).Skip(3).Take(10).ToList();
        Assert.Equal(ascending, query.Select(p => (p.OrderValue.Int, p.Id.Num)).ToList());
        Assert.Equal(ascending, restQuery.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("order_value").GetInt64(), p.GetProperty("id").GetUInt64())).ToList());

        // Datetimes order as microseconds since the epoch; start_from takes a datetime string.
        var byTime = await Rest(HttpMethod.Post, "/collections/kinds_order/points/scroll", """{"order_by":{"key":"t","start_from":"2024-01-03T00:00:00Z"},"limit":3}""");
        var firstMicros = new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        Assert.Equal(
            [(firstMicros, 2UL), (firstMicros + 3_600_000_000, 3UL), (firstMicros + 7_200_000_000, 4UL)],
            byTime.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("order_value").GetInt64(), p.GetProperty("id").GetUInt64())).ToList());
        var grpcTime = await Client.ScrollAsync("kinds_order", limit: 3, orderBy: new OrderBy { Key = "t", StartFrom = new StartFrom { Datetime = "2024-01-03T00:00:00Z" } });
        Assert.Equal([2UL, 3UL, 4UL], grpcTime.Result.Select(p => p.Id.Num));

        // An offset with order_by is refused on both wires with the same words.
        var withOffset = await RestError(HttpMethod.Post, "/collections/kinds_order/points/scroll", """{"order_by":"p","offset":3}""");
        var grpcOffset = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => Client.ScrollAsync("kinds_order", offset: 3UL, orderBy: "p"));
        Assert.Equal(withOffset.Message, grpcOffset.Status.Detail);
    }

    [Fact]
    public async Task Sample_OnlyMatchingPoints_OnBothWires()
    {
        await CreateKinds("kinds_sample");
        var filter = new Filter { Must = { new Condition { Field = new FieldCondition { Key = "p", Match = new Match { Integer = 2 } } } } };
        var matching = Enumerable.Range(0, KindsCount).Where(i => i % 13 == 2).Select(i => (ulong)i).ToList();
        var orders = new HashSet<string>();
        for (var round = 0; round < 5; round++)
        {
            var grpc = await Client.QueryAsync("kinds_sample", query: Sample.Random, filter: filter, limit: 100);
            var rest = await RestHits("kinds_sample", """{"query":{"sample":"random"},"filter":{"must":[{"key":"p","match":{"value":2}}]},"limit":100}""");
            Assert.Equal(matching, grpc.Select(p => p.Id.Num).Order());
            Assert.Equal(matching, rest.Select(p => p.Id).Order());
            orders.Add(string.Join(',', rest.Select(p => p.Id)));
            orders.Add(string.Join(',', grpc.Select(p => p.Id.Num)));
        }

        Assert.True(orders.Count > 1, "ten samples came back in one order");
    }

    private async Task CreateKinds(string name)
    {
        await Rest(HttpMethod.Put, $"/collections/{name}", """{"vectors":{"a":{"size":8,"distance":"Cosine"}}}""");
        var points = string.Join(",", Enumerable.Range(0, KindsCount).Select(i =>
            $$$"""{"id":{{{i}}},"vector":{"a":[{{{Floats(s_kinds[i])}}}]},"payload":{"p":{{{i % 13}}},"t":"{{{KindsTime(i)}}}"}}"""));
        await Rest(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[" + points + "]}");
    }

    // Points 2, 3, 4 an hour apart from 2024-01-03; 0 and 1 before; the rest on 2023-12-31.
    private static string KindsTime(int i) => i switch
    {
        0 => "2024-01-01T00:00:00Z",
        1 => "2024-01-02T00:00:00Z",
        2 => "2024-01-03T00:00:00Z",
        3 => "2024-01-03T01:00:00Z",
        4 => "2024-01-03T02:00:00Z",
        _ => "2023-12-31T00:00:00Z",
    };

    private static float KindsCosine(int i, float[] other)
    {
        var a = KindsNormalized(s_kinds[i]);
        var b = KindsNormalized(other);
        var dot = 0f;
        for (var k = 0; k < a.Length; k++)
        {
            dot += a[k] * b[k];
        }

        return dot;
    }

    private static float[] KindsNormalized(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static int Side(float positive, float negative) => positive > negative ? 1 : positive < negative ? -1 : 0;

    private static List<(ulong Id, float Score)> KindsBrute(IEnumerable<int> points, Func<int, float> score) =>
        [.. points.Select(i => ((ulong)i, score(i))).OrderByDescending(e => e.Item2).ThenBy(e => e.Item1)];
}
