using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Aggregates;

/// <summary>Facet counts over 2500 seeded points (more than one page of the count), checked against counts made here.</summary>
public sealed class FacetTests
{
    private const int Count = 2500;
    private static readonly string[] s_colors = ["red", "green", "blue", "Amber", "teal", "ochre", "white", "black", "grey", "pink", "cyan", "lime"];

    [Fact]
    public async Task KeywordCounts_CountEachPointOncePerValue_MostFrequentFirst()
    {
        using var f = Fixture();
        var r = await f.Engine.FacetAsync(EngineFixture.Full, "f", new FacetRequest("color", null, 100, false), default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(Brute(null, v => v.Kind == PayloadKind.String), Hits(r.Value!));
    }

    [Fact]
    public async Task Limit_AndFilter_AndTiesByValue()
    {
        using var f = Fixture();
        var odd = new Filter(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(1)))]);
        var r = await f.Engine.FacetAsync(EngineFixture.Full, "f", new FacetRequest("color", odd, 5, true), default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(Brute(i => i % 2 == 1, v => v.Kind == PayloadKind.String).Take(5), Hits(r.Value!));
    }

    [Fact]
    public async Task IntegerAndBoolKeys_CountTheirOwnKind()
    {
        using var f = Fixture();
        var ints = await f.Engine.FacetAsync(EngineFixture.Full, "f", new FacetRequest("size", null, 10, false), default, default);
        Assert.True(ints.IsOk, ints.IsOk ? null : ints.Error.Message);
        Assert.Equal(Brute(null, v => v.Kind == PayloadKind.Integer, "size").Take(10), Hits(ints.Value!));

        var bools = await f.Engine.FacetAsync(EngineFixture.Full, "f", new FacetRequest("flag", null, 10, false), default, default);
        Assert.True(bools.IsOk, bools.IsOk ? null : bools.Error.Message);
        Assert.Equal(Brute(null, v => v.Kind == PayloadKind.Bool, "flag"), Hits(bools.Value!));
    }

    [Fact]
    public async Task AKeyWithoutAMatchIndex_IsRefusedWithTheReferenceMessage()
    {
        using var f = Fixture();
        foreach (var key in new[] { "unindexed", "ratio" })
        {
            var r = await f.Engine.FacetAsync(EngineFixture.Full, "f", new FacetRequest(key, null, 10, false), default, default);
            Assert.Equal(ErrorKind.BadRequest, r.Error.Kind);
            Assert.Equal(
                $"Wrong input: No appropriate index for faceting: `{key}`. Please create one to facet on this field. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Match conditions",
                r.Error.Message);
        }
    }

    [Fact]
    public async Task ReadAccess_IsEnough_AndAnotherCollectionsTokenIsRefused()
    {
        using var f = Fixture();
        var ok = await f.Engine.FacetAsync(AccessContext.ReadOnly, "f", new FacetRequest("color", null, 3, false), default, default);
        Assert.True(ok.IsOk);
        var other = new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["x"] = AccessLevel.Manage });
        var denied = await f.Engine.FacetAsync(other, "f", new FacetRequest("color", null, 3, false), default, default);
        Assert.Equal(ErrorKind.Forbidden, denied.Error.Kind);
    }

    private static List<(string, ulong)> Hits(IReadOnlyList<FacetHit> hits) => [.. hits.Select(h => (h.Value.ToString()!, h.Count))];

    private static Payload P(int i)
    {
        var rng = new Random(1000 + i);
        var payload = new Payload
        {
            ["n"] = PayloadValue.FromInteger(i % 2),
            ["size"] = rng.Next(4) == 0 ? PayloadValue.FromArray([PayloadValue.FromInteger(rng.Next(30)), PayloadValue.FromInteger(rng.Next(30))]) : PayloadValue.FromInteger(rng.Next(30)),
            ["flag"] = PayloadValue.FromBool(rng.Next(3) == 0),
            ["ratio"] = PayloadValue.FromDouble(rng.NextDouble()),
        };

        // Skewed so counts differ, with a repeated value in some arrays and a number among the strings now and then.
        switch (rng.Next(6))
        {
            case 0:
                break;
            case 1:
                var c = s_colors[rng.Next(s_colors.Length)];
                payload["color"] = PayloadValue.FromArray([PayloadValue.FromString(c), PayloadValue.FromString(c), PayloadValue.FromString(s_colors[rng.Next(3)])]);
                break;
            case 2:
                payload["color"] = PayloadValue.FromInteger(7);
                break;
            default:
                payload["color"] = PayloadValue.FromString(s_colors[Math.Min(rng.Next(s_colors.Length), rng.Next(s_colors.Length))]);
                break;
        }

        return payload;
    }

    private static List<(string, ulong)> Brute(Func<int, bool>? where, Func<PayloadValue, bool> counts, string key = "color")
    {
        var tally = new Dictionary<PayloadValue, ulong>();
        for (var i = 0; i < Count; i++)
        {
            if (where is not null && !where(i))
            {
                continue;
            }

            var value = P(i)[key];
            var values = value is null ? [] : value.Kind == PayloadKind.Array ? value.AsArray : [value];
            foreach (var v in values.Where(counts).Distinct())
            {
                tally[v] = tally.GetValueOrDefault(v) + 1;
            }
        }

        return [.. tally.OrderByDescending(t => t.Value).ThenBy(t => t.Key.Kind == PayloadKind.String ? t.Key.AsString : null, StringComparer.Ordinal)
            .ThenBy(t => t.Key.Kind == PayloadKind.Integer ? t.Key.AsInteger : 0).ThenBy(t => t.Key.Kind == PayloadKind.Bool && t.Key.AsBool)
            .Select(t => (t.Key.ToString()!, t.Value))];
    }

    private static EngineFixture Fixture()
    {
        var f = new EngineFixture();
        f.CreateCollection("f", 2, Distance.Dot);
        var vectors = SeededRandom.Vectors(5, Count, 2);
        f.Upsert("f", [.. Enumerable.Range(0, Count).Select(i => EngineFixture.Point((ulong)i, vectors[i], P(i)))]);
        foreach (var (field, schema) in new[] { ("color", PayloadSchemaType.Keyword), ("size", PayloadSchemaType.Integer), ("flag", PayloadSchemaType.Bool), ("n", PayloadSchemaType.Integer), ("ratio", PayloadSchemaType.Float) })
        {
            var r = f.Engine.UpdateAsync(EngineFixture.Full, "f", new CreateFieldIndex(field, schema), new WriteOptions(true), default).AsTask().Result;
            Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        }

        return f;
    }
}
