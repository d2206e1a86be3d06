using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Index.Payloads;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Payloads;

public sealed class PayloadIndexTests
{
    private static FieldIndex Build(FieldIndexType type, string field, params string[] payloads)
    {
        var index = FieldIndex.Create(field, JsonPath.Parse(field).Value!, type);
        for (var i = 0; i < payloads.Length; i++)
        {
            index.Update((uint)i, Json.Obj(payloads[i]));
        }

        return index;
    }

    private static uint[] Candidates(FieldIndex index, FieldCondition condition)
    {
        Assert.True(index.TryGetCandidates(condition, out var set));
        return [.. set.Order()];
    }

    [Fact]
    public void Keyword_MatchValueAndAny_PointsCount()
    {
        var index = Build(FieldIndexType.Keyword, "c", """{"c":"red"}""", """{"c":["blue","red"]}""", """{"c":1}""", "{}", """{"c":"green"}""");
        Assert.Equal(3, index.Points);
        Assert.Equal([0u, 1u], Candidates(index, new FieldCondition("c", Match: new MatchValue(PayloadValue.FromString("red")))));
        Assert.Equal([1u, 4u], Candidates(index, new FieldCondition("c", Match: new MatchAny(["blue", "green"], null))));
        Assert.Empty(Candidates(index, new FieldCondition("c", Match: new MatchAny([], null))));
        Assert.False(index.TryGetCandidates(new FieldCondition("c", Match: new MatchValue(PayloadValue.FromInteger(1))), out _));
        Assert.False(index.TryGetCandidates(new FieldCondition("c", Range: new RangeCondition(Gt: 0)), out _));
    }

    [Fact]
    public void Update_ReplacesAndRemove_Forgets()
    {
        var index = Build(FieldIndexType.Keyword, "c", """{"c":"red"}""");
        index.Update(0, Json.Obj("""{"c":"blue"}"""));
        Assert.Empty(Candidates(index, new FieldCondition("c", Match: new MatchValue(PayloadValue.FromString("red")))));
        Assert.Equal([0u], Candidates(index, new FieldCondition("c", Match: new MatchValue(PayloadValue.FromString("blue")))));
        index.Remove(0);
        Assert.Equal(0, index.Points);
        Assert.Empty(Candidates(index, new FieldCondition("c", Match: new MatchValue(PayloadValue.FromString("blue")))));
    }

    [Fact]
    public void Integer_MatchAndRange_IncludesFloatHolders()
    {
        var index = Build(FieldIndexType.Integer, "n", """{"n":1}""", """{"n":[5,10]}""", """{"n":7.5}""", """{"n":"7"}""", """{"n":-3}""");
        Assert.Equal(3, index.Points);
        Assert.Equal([1u], Candidates(index, new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(10)))));
        Assert.Equal([0u, 4u], Candidates(index, new FieldCondition("n", Match: new MatchAny(null, [1, -3]))));
        var range = Candidates(index, new FieldCondition("n", Range: new RangeCondition(Gt: 4.5, Lt: 9)));
        Assert.Contains(1u, range);
        Assert.Contains(2u, range); // a float value may match a range: always a candidate
        Assert.DoesNotContain(0u, range);
    }

    [Fact]
    public void Float_Range()
    {
        var index = Build(FieldIndexType.Float, "x", """{"x":0.5}""", """{"x":2}""", """{"x":[3.5,-1]}""", """{"x":"2"}""");
        Assert.Equal(3, index.Points);
        Assert.Equal([1u, 2u], Candidates(index, new FieldCondition("x", Range: new RangeCondition(Gte: 2, Lte: 3.5))));
        Assert.Equal([2u], Candidates(index, new FieldCondition("x", Range: new RangeCondition(Lt: 0))));
    }

    [Fact]
    public void Bool_MatchValue()
    {
        var index = Build(FieldIndexType.Bool, "b", """{"b":true}""", """{"b":false}""", """{"b":[false,true]}""", """{"b":"true"}""");
        Assert.Equal([0u, 2u], Candidates(index, new FieldCondition("b", Match: new MatchValue(PayloadValue.True))));
        Assert.Equal([1u, 2u], Candidates(index, new FieldCondition("b", Match: new MatchValue(PayloadValue.False))));
    }

    [Fact]
    public void Uuid_ParsedMatch_NonUuidStringsStayCandidates()
    {
        var index = Build(FieldIndexType.Uuid, "u", """{"u":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"}""", """{"u":"not-a-uuid"}""", """{"u":"11111111-69f3-4fbf-87e6-c4bf54c28c26"}""");
        Assert.Equal(2, index.Points);
        Assert.Equal([0u], Candidates(index, new FieldCondition("u", Match: new MatchValue(PayloadValue.FromString("5c56c793-69f3-4fbf-87e6-c4bf54c28c26")))));
        Assert.Equal([1u], Candidates(index, new FieldCondition("u", Match: new MatchValue(PayloadValue.FromString("not-a-uuid")))));
    }

    [Fact]
    public void Datetime_Range()
    {
        var index = Build(FieldIndexType.Datetime, "t", """{"t":"2024-01-01T00:00:00Z"}""", """{"t":"2024-06-01 12:00"}""", """{"t":"nope"}""", """{"t":"2025-01-01"}""");
        Assert.Equal(3, index.Points);
        var range = new DatetimeRange(Gt: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), Lte: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal([1u, 3u], Candidates(index, new FieldCondition("t", DatetimeRange: range)));
    }

    [Fact]
    public void NestedPathIndex_UsesWildcard()
    {
        var index = Build(FieldIndexType.Integer, "a[].n", """{"a":[{"n":1},{"n":2}]}""", """{"a":{"n":2}}""");
        Assert.Equal(1, index.Points);
        Assert.Equal([0u], Candidates(index, new FieldCondition("a[].n", Match: new MatchValue(PayloadValue.FromInteger(2)))));
    }

    /// <summary>Indexed and unindexed answers must be identical for every filter, including after updates.</summary>
    [Fact]
    public void Select_IndexedEqualsUnindexed_RandomPayloadsAndFilters()
    {
        using var dirA = new TempDirectory("idx-a");
        using var dirB = new TempDirectory("idx-b");
        var specs = new Dictionary<string, VectorSpec> { [""] = new(2, Distance.Dot) };
        using var plain = PointSegment.Create(dirA.Path, specs);
        using var indexed = PointSegment.Create(dirB.Path, specs);
        indexed.CreateFieldIndex("kw", FieldIndexType.Keyword);
        indexed.CreateFieldIndex("n", FieldIndexType.Integer);
        indexed.CreateFieldIndex("f", FieldIndexType.Float);
        indexed.CreateFieldIndex("b", FieldIndexType.Bool);
        indexed.CreateFieldIndex("u", FieldIndexType.Uuid);
        indexed.CreateFieldIndex("t", FieldIndexType.Datetime);
        indexed.CreateFieldIndex("o[].n", FieldIndexType.Integer);

        var rng = new Random(20240601);
        var version = 0ul;
        void Apply(Action<PointSegment> op)
        {
            op(plain);
            op(indexed);
        }

        for (var i = 0; i < 400; i++)
        {
            var id = (ulong)rng.Next(300);
            var payload = RandomPayload(rng);
            var v = ++version;
            Apply(s => s.Upsert(v, id, new Dictionary<string, VectorData> { [""] = (float[])[1, 0] }, payload));
        }

        var nonEmpty = 0;
        for (var round = 0; round < 6; round++)
        {
            for (var q = 0; q < 60; q++)
            {
                var filter = RandomFilter(rng);
                var expected = plain.Select(filter).ToList();
                Assert.Equal(expected, indexed.Select(filter));
                nonEmpty += expected.Count > 0 ? 1 : 0;
                Assert.Equal(plain.Count(filter), indexed.Count(filter));
                Assert.Equal(plain.Scroll(filter, 100ul, 7), indexed.Scroll(filter, 100ul, 7));
            }

            // Mutate between rounds so updates must keep the indexes in step.
            for (var k = 0; k < 60; k++)
            {
                var id = (ulong)rng.Next(300);
                var v = ++version;
                var payload = RandomPayload(rng);
                switch (rng.Next(5))
                {
                    case 0:
                        Apply(s => s.Delete(v, id));
                        break;
                    case 1:
                        Apply(s => s.SetPayload(v, id, payload, null));
                        break;
                    case 2:
                        Apply(s => s.DeletePayloadKeys(v, id, ["n", "kw"]));
                        break;
                    case 3:
                        Apply(s => s.ClearPayload(v, id));
                        break;
                    default:
                        Apply(s => s.Upsert(v, id, new Dictionary<string, VectorData> { [""] = (float[])[0, 1] }, payload));
                        break;
                }
            }
        }

        Assert.True(nonEmpty > 60, $"only {nonEmpty} of 360 random filters matched anything");
    }

    private static readonly string[] s_words = ["red", "green", "blue", "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "1"];
    private static readonly string[] s_uuids = ["5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "5C56C793-69F3-4FBF-87E6-C4BF54C28C26", "00000000-0000-0000-0000-000000000007", "not-a-uuid", "5c56c79369f34fbf87e6c4bf54c28c26"];
    private static readonly string[] s_times = ["2024-01-01T00:00:00Z", "2024-01-01 01:00", "2024-03-05", "2024-02-29T23:59:59.5+02:00", "2024-06-01T00:00:00", "garbage"];

    private static PayloadValue RandomScalar(Random rng) => rng.Next(8) switch
    {
        0 => PayloadValue.FromString(s_words[rng.Next(s_words.Length)]),
        1 => PayloadValue.FromInteger(rng.Next(-5, 6)),
        2 => PayloadValue.FromDouble(Math.Round((rng.NextDouble() * 10) - 5, 1)),
        3 => PayloadValue.FromBool(rng.Next(2) == 0),
        4 => PayloadValue.Null,
        5 => PayloadValue.FromString(s_uuids[rng.Next(s_uuids.Length)]),
        6 => PayloadValue.FromString(s_times[rng.Next(s_times.Length)]),
        _ => PayloadValue.FromInteger(rng.Next(3)),
    };

    private static PayloadValue RandomValue(Random rng) => rng.Next(4) == 0
        ? PayloadValue.FromArray([.. Enumerable.Range(0, rng.Next(4)).Select(_ => RandomScalar(rng))])
        : RandomScalar(rng);

    private static Payload RandomPayload(Random rng)
    {
        var payload = new Payload();
        foreach (var key in new[] { "kw", "n", "f", "b", "u", "t" })
        {
            if (rng.Next(5) != 0)
            {
                payload[key] = RandomValue(rng);
            }
        }

        if (rng.Next(2) == 0)
        {
            var items = new List<PayloadValue>();
            for (var i = rng.Next(3); i > 0; i--)
            {
                items.Add(PayloadValue.FromObject(new Payload { ["n"] = RandomScalar(rng) }));
            }

            payload["o"] = PayloadValue.FromArray(items);
        }

        return payload;
    }

    private static Condition RandomCondition(Random rng)
    {
        var key = new[] { "kw", "n", "f", "b", "u", "t", "o[].n" }[rng.Next(7)];
        double? Bound() => rng.Next(3) == 0 ? null : Math.Round((rng.NextDouble() * 12) - 6, 1);
        DateTimeOffset? TimeBound() => rng.Next(3) == 0 ? null : new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(rng.Next(-24, 24 * 160));
        return rng.Next(9) switch
        {
            0 => new FieldCondition(key, Match: new MatchValue(RandomScalar(rng) is { Kind: PayloadKind.String or PayloadKind.Integer or PayloadKind.Bool } s ? s : PayloadValue.FromInteger(1))),
            1 => new FieldCondition(key, Match: new MatchAny([.. s_words.Concat(s_uuids).Where(_ => rng.Next(3) == 0)], null)),
            2 => new FieldCondition(key, Match: new MatchAny(null, [.. Enumerable.Range(-5, 11).Where(_ => rng.Next(4) == 0).Select(x => (long)x)])),
            3 => new FieldCondition(key, Range: new RangeCondition(Bound(), Bound(), Bound(), Bound())),
            4 => new FieldCondition(key, DatetimeRange: new DatetimeRange(TimeBound(), TimeBound(), TimeBound(), TimeBound())),
            5 => new FieldCondition(key, Match: new MatchExcept(["red"], null)),
            6 => new IsEmptyCondition(key),
            7 => new FieldCondition(key, ValuesCount: new ValuesCount(Gte: (ulong)rng.Next(3))),
            _ => new HasIdCondition(new HashSet<PointId>(Enumerable.Range(0, rng.Next(40)).Select(_ => (PointId)(ulong)rng.Next(300)))),
        };
    }

    private static Filter RandomFilter(Random rng)
    {
        List<Condition> must = [.. Enumerable.Range(0, 1 + rng.Next(2)).Select(_ => RandomCondition(rng))];
        List<Condition>? should = rng.Next(3) == 0 ? [RandomCondition(rng), RandomCondition(rng)] : null;
        List<Condition>? mustNot = rng.Next(3) == 0 ? [RandomCondition(rng)] : null;
        return new Filter(must, should, mustNot);
    }
}
