using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Aggregates;

/// <summary>
/// Grouped queries over 300 seeded points (4-d, Euclid, so smaller scores are better) whose group key is an integer,
/// a string, an array of both, a float (no group) or missing, each answer checked against a brute-force grouping of
/// the exact ranking computed here.
/// </summary>
public sealed class GroupsTests
{
    private const int Count = 300;
    private static readonly float[][] s_vectors = SeededRandom.Vectors(71, Count, 4);
    private static readonly float[] s_query = SeededRandom.Vectors(72, 1, 4)[0];

    [Theory]
    [InlineData(5u, 3u)]
    [InlineData(10u, 1u)]
    [InlineData(3u, 7u)]
    [InlineData(40u, 2u)]
    public async Task Groups_AreTheBruteForceGroupsOfTheExactRanking(uint limit, uint groupSize)
    {
        using var f = Fixture();
        var r = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", Request(limit, groupSize), default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = BruteGroups(null, (int)limit, (int)groupSize);
        Assert.Equal(expected.Select(g => g.Key), r.Value!.Select(g => Key(g.Id)));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Ids, r.Value![i].Hits.Select(h => h.Id.Num));
            Assert.All(r.Value![i].Hits, h => Assert.Equal(Distance(h.Id.Num), h.Score, 1e-4f));
        }
    }

    [Fact]
    public async Task ArrayKeys_PutAPointInEachOfItsGroups_AndFiltersApply()
    {
        using var f = Fixture();
        var even = new Filter(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(0)))]);
        var request = Request(50, 4) with { Source = Request(50, 4).Source with { Filter = even } };
        var r = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = BruteGroups(i => i % 2 == 0, 50, 4);
        Assert.Equal(expected.Select(g => g.Key), r.Value!.Select(g => Key(g.Id)));
        Assert.Equal(expected.Select(g => g.Ids), r.Value!.Select(g => g.Hits.Select(h => h.Id.Num).ToList()));

        // Points with an array key appear in more than one group; points with a float key or none in no group.
        var all = r.Value!.SelectMany(g => g.Hits.Select(h => h.Id.Num)).ToList();
        Assert.True(all.Count > all.Distinct().Count());
        Assert.DoesNotContain(all, id => Keys((int)id).Count == 0);
    }

    [Fact]
    public async Task Hits_CarryThePayloadAndVectorsAskedFor_AndLookupReadsTheGroupIdPoint()
    {
        using var f = Fixture();
        f.CreateCollection("docs", 2, Common.Model.Distance.Dot);
        f.Upsert("docs", EngineFixture.Point(3, [1, 0], new Payload { ["title"] = PayloadValue.FromString("three") }));
        // Enough groups for all 16 keys, so the integer group 3 is among them.
        var source = Request(20, 2).Source with { WithPayload = WithPayload.All, WithVector = WithVector.All };
        var request = new GroupsRequest(source, "doc", 2, GroupLookup.Named("docs"));

        var r = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.All(r.Value!.SelectMany(g => g.Hits), h =>
        {
            Assert.Equal(P((int)h.Id.Num)["n"], h.Payload!["n"]);
            Assert.Equal(s_vectors[(int)h.Id.Num], ((DenseVector)h.Vectors![""]).Values);
        });
        Assert.Equal(16, r.Value!.Count);
        var three = r.Value!.Single(g => Key(g.Id) == "3");
        Assert.Equal("three", three.Lookup!.Payload!["title"]!.AsString);
        Assert.Null(three.Lookup.Vectors);

        Assert.All(r.Value!.Where(g => Key(g.Id) != "3"), g => Assert.Null(g.Lookup));
    }

    [Fact]
    public async Task Lookup_NeedsReadAccessToTheOtherCollection()
    {
        using var f = Fixture();
        f.CreateCollection("secret", 2, Common.Model.Distance.Dot);
        var onlyG = new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["g"] = AccessLevel.Read });

        var plain = await f.Engine.QueryGroupsAsync(onlyG, "g", Request(3, 2), default, default);
        Assert.True(plain.IsOk, plain.IsOk ? null : plain.Error.Message);

        var looked = await f.Engine.QueryGroupsAsync(onlyG, "g", Request(3, 2) with { WithLookup = GroupLookup.Named("secret") }, default, default);
        Assert.Equal(ErrorKind.Forbidden, looked.Error.Kind);

        var other = new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["secret"] = AccessLevel.Read });
        var denied = await f.Engine.QueryGroupsAsync(other, "g", Request(3, 2), default, default);
        Assert.Equal(ErrorKind.Forbidden, denied.Error.Kind);

        var missing = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", Request(3, 2) with { WithLookup = GroupLookup.Named("nope") }, default, default);
        Assert.Equal(ErrorKind.NotFound, missing.Error.Kind);
    }

    [Fact]
    public async Task ZeroLimitOrGroupSize_IsAValidationError()
    {
        using var f = Fixture();
        var zeroLimit = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", Request(0, 3), default, default);
        Assert.Equal("Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]", zeroLimit.Error.Message);
        var zeroSize = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", Request(3, 0), default, default);
        Assert.Equal("Validation error in JSON body: [group_size: value 0 invalid, must be 1 or larger]", zeroSize.Error.Message);
    }

    [Fact]
    public async Task APrefetchQuery_GroupsItsRescoredRanking()
    {
        using var f = Fixture();
        var leaf = new Prefetch([], new NearestQuery(new DenseVectorInput(s_query)), null, null, new SearchParams(Exact: true), null, 100, null);
        var source = Request(4, 2).Source with { Prefetch = [leaf] };

        var r = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", new GroupsRequest(source, "doc", 2), default, default);

        // The branch passes up its nearest 100 (times the group size, 200): the groups of the exact ranking.
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = BruteGroups(null, 4, 2);
        Assert.Equal(expected.Select(g => g.Key), r.Value!.Select(g => Key(g.Id)));
        Assert.Equal(expected.Select(g => g.Ids), r.Value!.Select(g => g.Hits.Select(h => h.Id.Num).ToList()));
    }

    [Fact]
    public async Task AFusedQuery_IsGrouped_WithFusedScores()
    {
        using var f = Fixture();
        var leaf = new Prefetch([], new NearestQuery(new DenseVectorInput(s_query)), null, null, new SearchParams(Exact: true), null, 50, null);
        var source = new QueryRequest(new FusionQuery(FusionMethod.Rrf), null, null, 3, 0, null, null, WithPayload.None, WithVector.None, null, [leaf]);

        var r = await f.Engine.QueryGroupsAsync(EngineFixture.Full, "g", new GroupsRequest(source, "doc", 2), default, default);

        // Each round fuses its own candidates, so only the first group is sure: the best point's groups, ranked 1/(0+2).
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(3, r.Value!.Count);
        Assert.Equal(BruteGroups(null, 1, 2)[0].Ids[0], r.Value![0].Hits[0].Id.Num);
        Assert.Equal(0.5f, r.Value![0].Hits[0].Score);
        Assert.All(r.Value!, g => Assert.InRange(g.Hits.Count, 1, 2));
    }

    private static GroupsRequest Request(uint limit, uint groupSize) => new(
        new QueryRequest(new NearestQuery(new DenseVectorInput(s_query)), null, null, limit, 0, null, new SearchParams(Exact: true), WithPayload.None, WithVector.None),
        "doc",
        groupSize);

    // The key(s) of point i: integers for most, a string for some, an array of a string and an integer (possibly
    // repeated) for others, a float (no group) or nothing for the rest.
    private static Payload P(int i)
    {
        var payload = new Payload { ["n"] = PayloadValue.FromInteger(i % 2) };
        switch (i % 7)
        {
            case 0:
                payload["doc"] = PayloadValue.FromArray([PayloadValue.FromString("s" + (i % 5)), PayloadValue.FromInteger(i % 11), PayloadValue.FromInteger(i % 11)]);
                break;
            case 1:
                payload["doc"] = PayloadValue.FromString("s" + (i % 5));
                break;
            case 2:
                payload["doc"] = PayloadValue.FromDouble(0.5);
                break;
            case 3:
                break;
            default:
                payload["doc"] = PayloadValue.FromInteger(i % 11);
                break;
        }

        return payload;
    }

    private static List<string> Keys(int i) => P(i)["doc"] switch
    {
        null => [],
        { Kind: PayloadKind.Array } a => [.. a.AsArray.Select(Key).Distinct()],
        { Kind: PayloadKind.String or PayloadKind.Integer } v => [Key(v)],
        _ => [],
    };

    private static string Key(PayloadValue v) => v.Kind == PayloadKind.String ? "s:" + v.AsString : v.AsInteger.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static float Distance(ulong id) =>
        MathF.Sqrt(s_vectors[id].Zip(s_query, (a, b) => (a - b) * (a - b)).Sum());

    // The exact ranking (nearest first), each point into each of its groups; groups by their best (first) point.
    private static List<(string Key, List<ulong> Ids)> BruteGroups(Func<int, bool>? where, int limit, int groupSize)
    {
        var order = Enumerable.Range(0, Count).Where(i => where is null || where(i)).OrderBy(i => Distance((ulong)i)).ToList();
        var groups = new List<(string Key, List<ulong> Ids)>();
        foreach (var i in order)
        {
            foreach (var key in Keys(i))
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

    private static EngineFixture Fixture()
    {
        var f = new EngineFixture();
        f.CreateCollection("g", 4, Common.Model.Distance.Euclid);
        f.Upsert("g", [.. Enumerable.Range(0, Count).Select(i => EngineFixture.Point((ulong)i, s_vectors[i], P(i)))]);
        return f;
    }
}
