using System.Text.Json;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace AotVector.Compat.Tests;

/// <summary>
/// Grouped queries, facets and the distance matrix through the official .NET client and through REST, over 200 seeded
/// points (4-d, Cosine) with a group key that is an integer, a string or an array of both: the same answer on both
/// wires, and the one a brute-force computation here gives.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    private const int AggregateCount = 200;
    private static readonly float[][] s_aggregateVectors = SeededRandom.Vectors(61, AggregateCount, 4);
    private static readonly float[] s_aggregateQuery = SeededRandom.Vectors(62, 1, 4)[0];

    [Fact]
    public async Task QueryGroups_SameOnBothWires_AndTheBruteForceGroups()
    {
        await CreateAggregates("agg_groups");
        var grpc = await Client.QueryGroupsAsync("agg_groups", "doc", query: s_aggregateQuery, limit: 6, groupSize: 3, searchParams: new SearchParams { Exact = true }, payloadSelector: true);
        var rest = await Rest(HttpMethod.Post, "/collections/agg_groups/points/query/groups",
            $$"""{"query":[{{Floats(s_aggregateQuery)}}],"group_by":"doc","limit":6,"group_size":3,"params":{"exact":true},"with_payload":true}""");

        var expected = BruteAggregateGroups(6, 3);
        Assert.Equal(expected, grpc.Select(g => (GrpcKey(g.Id), g.Hits.Select(h => h.Id.Num).ToList())).ToList(), new GroupComparer());
        Assert.Equal(expected, RestGroups(rest), new GroupComparer());
        Assert.Equal(
            grpc.SelectMany(g => g.Hits).Select(h => h.Score),
            rest.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("hits").EnumerateArray()).Select(h => h.GetProperty("score").GetSingle()));
        Assert.All(grpc.SelectMany(g => g.Hits), h => Assert.True(h.Payload.ContainsKey("n")));

        // The defaults: 10 groups of 3.
        var defaults = await Rest(HttpMethod.Post, "/collections/agg_groups/points/query/groups", $$$"""{"query":[{{{Floats(s_aggregateQuery)}}}],"group_by":"doc","params":{"exact":true}}""");
        Assert.Equal(BruteAggregateGroups(10, 3), RestGroups(defaults), new GroupComparer());
    }

    [Fact]
    public async Task SearchAndRecommendGroups_WithLookup_SameOnBothWires()
    {
        await CreateAggregates("agg_legacy");
        await Rest(HttpMethod.Put, "/collections/agg_docs", """{"vectors":{"size":2,"distance":"Dot"}}""");
        await Rest(HttpMethod.Put, "/collections/agg_docs/points?wait=true", """{"points":[{"id":3,"vector":[1,0],"payload":{"title":"three"}},{"id":4,"vector":[0,1],"payload":{"title":"four"}}]}""");

#pragma warning disable CS0612, CS0618 // Deprecated by the reference, still served.
        var grpc = await Client.SearchGroupsAsync("agg_legacy", s_aggregateQuery, "doc", limit: 20, groupSize: 2, searchParams: new SearchParams { Exact = true }, withLookup: new WithLookup { Collection = "agg_docs" });
        var recommended = await Client.RecommendGroupsAsync("agg_legacy", "doc", positive: new ulong[] { 5 }, limit: 4, groupSize: 2, searchParams: new SearchParams { Exact = true });
#pragma warning restore CS0612, CS0618
        var rest = await Rest(HttpMethod.Post, "/collections/agg_legacy/points/search/groups",
            $$"""{"vector":[{{Floats(s_aggregateQuery)}}],"group_by":"doc","limit":20,"group_size":2,"params":{"exact":true},"with_lookup":"agg_docs"}""");
        var restRecommended = await Rest(HttpMethod.Post, "/collections/agg_legacy/points/recommend/groups",
            """{"positive":[5],"group_by":"doc","limit":4,"group_size":2,"params":{"exact":true}}""");

        Assert.Equal(BruteAggregateGroups(20, 2), RestGroups(rest), new GroupComparer());
        Assert.Equal(RestGroups(rest), grpc.Select(g => (GrpcKey(g.Id), g.Hits.Select(h => h.Id.Num).ToList())).ToList(), new GroupComparer());
        Assert.Equal(RestGroups(restRecommended), recommended.Select(g => (GrpcKey(g.Id), g.Hits.Select(h => h.Id.Num).ToList())).ToList(), new GroupComparer());
        Assert.DoesNotContain(5UL, recommended.SelectMany(g => g.Hits).Select(h => h.Id.Num));

        // Group 3's lookup is point 3 of agg_docs (payload, no vector); string groups find no point.
        Assert.Equal("three", grpc.Single(g => g.Id.UnsignedValue == 3 && g.Id.KindCase == GroupId.KindOneofCase.UnsignedValue).Lookup.Payload["title"].StringValue);
        var restThree = rest.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("id").ValueKind == JsonValueKind.Number && g.GetProperty("id").GetInt64() == 3);
        Assert.Equal("three", restThree.GetProperty("lookup").GetProperty("payload").GetProperty("title").GetString());
        Assert.False(restThree.GetProperty("lookup").TryGetProperty("vector", out _));
        Assert.All(rest.GetProperty("groups").EnumerateArray().Where(g => g.GetProperty("id").ValueKind == JsonValueKind.String), g => Assert.False(g.TryGetProperty("lookup", out _)));

        // search/groups requires group_size, as in the reference.
        var missing = await RestError(HttpMethod.Post, "/collections/agg_legacy/points/search/groups", """{"vector":[1,0,0,0],"group_by":"doc","limit":2}""");
        Assert.Equal(400, missing.Status);
        Assert.Contains("missing field `group_size`", missing.Message);
    }

    [Fact]
    public async Task Facet_SameOnBothWires_CountsAsComputed_AndNeedsAnIndex()
    {
        await CreateAggregates("agg_facet");
        var restUnindexed = await RestError(HttpMethod.Post, "/collections/agg_facet/facet", """{"key":"tag"}""");
        var grpcUnindexed = await Assert.ThrowsAsync<RpcException>(() => Client.FacetAsync("agg_facet", "tag"));
        Assert.Equal((400, StatusCode.InvalidArgument), (restUnindexed.Status, grpcUnindexed.StatusCode));
        Assert.Equal(restUnindexed.Message, grpcUnindexed.Status.Detail);
        Assert.StartsWith("Wrong input: No appropriate index for faceting: `tag`.", restUnindexed.Message);

        await Client.CreatePayloadIndexAsync("agg_facet", "tag", PayloadSchemaType.Keyword);
        await Client.CreatePayloadIndexAsync("agg_facet", "doc", PayloadSchemaType.Integer);
        var grpc = await Client.FacetAsync("agg_facet", "tag", filter: MatchKeyword("half", "a"), limit: 4);
        var rest = await Rest(HttpMethod.Post, "/collections/agg_facet/facet", """{"key":"tag","filter":{"must":[{"key":"half","match":{"value":"a"}}]},"limit":4}""");

        var expected = Enumerable.Range(0, AggregateCount).Where(i => i % 2 == 0).SelectMany(i => AggregateTags(i).Distinct())
            .GroupBy(t => t).Select(g => (Value: g.Key, Count: (ulong)g.Count())).OrderByDescending(e => e.Count).ThenBy(e => e.Value, StringComparer.Ordinal).Take(4).ToList();
        Assert.Equal(expected, grpc.Hits.Select((FacetHit h) => (h.Value.StringValue, h.Count)).ToList());
        Assert.Equal(expected, rest.GetProperty("hits").EnumerateArray().Select(h => (h.GetProperty("value").GetString()!, h.GetProperty("count").GetUInt64())).ToList());

        // Integer values of the group key (strings under it are not counted by an integer index).
        var ints = await Client.FacetAsync("agg_facet", "doc", limit: 100);
        var expectedInts = Enumerable.Range(0, AggregateCount).SelectMany(i => AggregateKeys(i).Where(k => k is long).Distinct())
            .GroupBy(k => (long)k).Select(g => (Value: g.Key, Count: (ulong)g.Count())).OrderByDescending(e => e.Count).ThenBy(e => e.Value).ToList();
        Assert.Equal(expectedInts, ints.Hits.Select((FacetHit h) => (h.Value.IntegerValue, h.Count)).ToList());
    }

    [Fact]
    public async Task SearchMatrix_PairsAndOffsets_SameOnBothWires_AndExact()
    {
        await CreateAggregates("agg_matrix");
        var grpcPairs = await Client.SearchMatrixPairsAsync("agg_matrix", sample: 1000, limit: 2);
        var grpcOffsets = await Client.SearchMatrixOffsetsAsync("agg_matrix", sample: 1000, limit: 2);
        var restPairs = await Rest(HttpMethod.Post, "/collections/agg_matrix/points/search/matrix/pairs", """{"sample":1000,"limit":2}""");
        var restOffsets = await Rest(HttpMethod.Post, "/collections/agg_matrix/points/search/matrix/offsets", """{"sample":1000,"limit":2}""");

        var expected = Enumerable.Range(0, AggregateCount).SelectMany(a => Enumerable.Range(0, AggregateCount).Where(b => b != a)
            .Select(b => (A: (ulong)a, B: (ulong)b, Score: (float)Cosine(s_aggregateVectors[a], s_aggregateVectors[b])))
            .OrderByDescending(e => e.Score).ThenBy(e => e.B).Take(2)).ToList();
        Assert.Equal(expected.Select(e => (e.A, e.B)), grpcPairs.Pairs.Select(p => (p.A.Num, p.B.Num)));
        Assert.Equal(expected.Select(e => e.Score), grpcPairs.Pairs.Select(p => p.Score), new CloseFloats(1e-5f));
        Assert.Equal(
            grpcPairs.Pairs.Select(p => (p.A.Num, p.B.Num, p.Score)),
            restPairs.GetProperty("pairs").EnumerateArray().Select(p => (p.GetProperty("a").GetUInt64(), p.GetProperty("b").GetUInt64(), p.GetProperty("score").GetSingle())));

        Assert.Equal(Enumerable.Range(0, AggregateCount).Select(i => (ulong)i), grpcOffsets.Ids.Select(id => id.Num));
        Assert.Equal(expected.Select(e => (e.A, e.B)), grpcOffsets.OffsetsRow.Zip(grpcOffsets.OffsetsCol, (r, c) => (r, c)));
        Assert.Equal(grpcOffsets.OffsetsRow, restOffsets.GetProperty("offsets_row").EnumerateArray().Select(e => e.GetUInt64()));
        Assert.Equal(grpcOffsets.OffsetsCol, restOffsets.GetProperty("offsets_col").EnumerateArray().Select(e => e.GetUInt64()));
        Assert.Equal(grpcOffsets.Scores, restOffsets.GetProperty("scores").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal(grpcOffsets.Ids.Select(id => id.Num), restOffsets.GetProperty("ids").EnumerateArray().Select(e => e.GetUInt64()));

        // A random sample of 10: 10 ids, each row's neighbours among them.
        var sampled = await Rest(HttpMethod.Post, "/collections/agg_matrix/points/search/matrix/offsets", "{}");
        Assert.Equal(10, sampled.GetProperty("ids").GetArrayLength());
        Assert.Equal(30, sampled.GetProperty("offsets_col").GetArrayLength());

        var tooSmall = await RestError(HttpMethod.Post, "/collections/agg_matrix/points/search/matrix/pairs", """{"sample":1}""");
        var grpcTooSmall = await Assert.ThrowsAsync<RpcException>(() => Client.SearchMatrixPairsAsync("agg_matrix", sample: 1));
        Assert.Equal((422, "Validation error in JSON body: [sample: value 1 invalid, must be 2 or larger]"), tooSmall);
        Assert.Equal((StatusCode.InvalidArgument, "Validation error in body: [sample: value 1 invalid, must be 2 or larger]"), (grpcTooSmall.StatusCode, grpcTooSmall.Status.Detail));
    }

    private async Task CreateAggregates(string name)
    {
        await Rest(HttpMethod.Put, $"/collections/{name}", """{"vectors":{"size":4,"distance":"Cosine"}}""");
        var points = string.Join(",", Enumerable.Range(0, AggregateCount).Select(i =>
            $$$"""{"id":{{{i}}},"vector":[{{{Floats(s_aggregateVectors[i])}}}],"payload":{"n":{{{i}}},"half":"{{{(i % 2 == 0 ? "a" : "b")}}}","tag":[{{{string.Join(",", AggregateTags(i).Select(t => "\"" + t + "\""))}}}]{{{AggregateDocJson(i)}}}}}"""));
        await Rest(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[" + points + "]}");
    }

    // The group key: none, an integer, a string, or an array of an integer and a string.
    private static List<object> AggregateKeys(int i) => (i % 5) switch
    {
        0 => [],
        1 => [$"s{i % 4}"],
        2 => [(long)(i % 7), $"s{i % 4}"],
        _ => [(long)(i % 7)],
    };

    private static string AggregateDocJson(int i) => (i % 5) switch
    {
        0 => "",
        1 => $",\"doc\":\"s{i % 4}\"",
        2 => $",\"doc\":[{i % 7},\"s{i % 4}\"]",
        _ => $",\"doc\":{i % 7}",
    };

    private static string[] AggregateTags(int i) => [$"t{i % 6}", $"t{i * 7 % 11}", $"t{i % 6}"];

    private static string GrpcKey(GroupId id) => id.KindCase switch
    {
        GroupId.KindOneofCase.StringValue => "s:" + id.StringValue,
        GroupId.KindOneofCase.UnsignedValue => id.UnsignedValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => id.IntegerValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static List<(string, List<ulong>)> RestGroups(JsonElement result) =>
        [.. result.GetProperty("groups").EnumerateArray().Select(g => (
            g.GetProperty("id").ValueKind == JsonValueKind.String ? "s:" + g.GetProperty("id").GetString() : g.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            g.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetUInt64()).ToList()))];

    private static List<(string, List<ulong>)> BruteAggregateGroups(int limit, int groupSize)
    {
        var order = Enumerable.Range(0, AggregateCount).OrderByDescending(i => Cosine(s_aggregateQuery, s_aggregateVectors[i])).ThenBy(i => i);
        var groups = new List<(string Key, List<ulong> Ids)>();
        foreach (var i in order)
        {
            foreach (var key in AggregateKeys(i).Select(k => k is string s ? "s:" + s : k.ToString()!).Distinct())
            {
                var at = groups.FindIndex(g => g.Key == key);
                if (at < 0)
                {
                    groups.Add((key, [(ulong)i]));
                }
                else
                {
                    groups[at].Ids.Add((ulong)i);
                }
            }
        }

        return [.. groups.Take(limit).Select(g => (g.Key, g.Ids.Take(groupSize).ToList()))];
    }

    private sealed class GroupComparer : IEqualityComparer<(string, List<ulong>)>
    {
        public bool Equals((string, List<ulong>) x, (string, List<ulong>) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);

        public int GetHashCode((string, List<ulong>) obj) => obj.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
