using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Filters;

/// <summary>
/// Nested filters checked on columns of the array's elements give the evaluator's answers (all inner conditions on one
/// and the same element), also after payload writes that follow the column's build.
/// </summary>
public sealed class NestedColumnTests
{
    private static readonly string[] s_colors = ["red", "green", "blue"];

    private static Payload? ItemsPayload(Random random)
    {
        if (random.Next(12) == 0)
        {
            return null;
        }

        var items = new List<PayloadValue>();
        for (var n = random.Next(4); n > 0; n--)
        {
            items.Add(random.Next(10) switch
            {
                0 => PayloadValue.FromInteger(1), // not an object: never an element
                1 => PayloadValue.FromObject(new Payload { ["c"] = PayloadValue.FromArray([PayloadValue.FromString("red"), PayloadValue.FromString("blue")]) }),
                _ => PayloadValue.FromObject(new Payload
                {
                    ["c"] = PayloadValue.FromString(s_colors[random.Next(s_colors.Length)]),
                    ["s"] = PayloadValue.FromInteger(random.Next(10)),
                }),
            });
        }

        return new Payload { ["items"] = random.Next(15) == 0 ? PayloadValue.FromString("x") : PayloadValue.FromArray(items) };
    }

    private static IEnumerable<Filter> NestedFilters()
    {
        static FieldCondition Color(string c) => new("c", Match: new MatchValue(PayloadValue.FromString(c)));
        static FieldCondition SizeBelow(int s) => new("s", Range: new RangeCondition(Lt: s));
        yield return new Filter(Must: [new NestedCondition("items", new Filter(Must: [Color("red"), SizeBelow(3)]))]);
        yield return new Filter(Must: [new NestedCondition("items", new Filter(Must: [Color("red")], MustNot: [SizeBelow(5)]))]);
        yield return new Filter(Must: [new NestedCondition("items", new Filter(Should: [Color("green"), SizeBelow(1)]))]);
        yield return new Filter(Must: [new NestedCondition("items", new Filter(MinShould: new MinShould([Color("blue"), SizeBelow(4), Color("red")], 2)))]);
        yield return new Filter(Must: [new NestedCondition("items", new Filter(Must: [new FilterCondition(new Filter(Should: [Color("blue")]))]))]);
        yield return new Filter(Must: [new NestedCondition("items", new Filter())]);
        yield return new Filter(MustNot: [new NestedCondition("items", new Filter(Must: [Color("red")]))]);
        // Not on columns (is_empty): the payload walk, same answers.
        yield return new Filter(Must: [new NestedCondition("items", new Filter(Must: [new FieldCondition("s", IsEmpty: true)]))]);
    }

    [Fact]
    public void NestedOnColumns_AgreesWithEvaluator_BeforeAndAfterWrites()
    {
        using var dir = new TempDirectory("nested");
        using var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(4, Distance.Euclid) });
        var random = new Random(77);
        var payloads = new Payload?[400];
        for (var i = 0; i < payloads.Length; i++)
        {
            payloads[i] = ItemsPayload(random);
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = new float[] { i, 0, 0, 0 } }, payloads[i]);
        }

        void Check()
        {
            var evaluator = new FilterEvaluator();
            foreach (var filter in NestedFilters())
            {
                var expected = Enumerable.Range(0, payloads.Length).Where(i => evaluator.Matches(filter, (ulong)i, payloads[i], _ => true)).Select(i => (ulong)i).ToList();
                var found = segment.Search("", new float[4], filter, 1000).Select(h => h.Id.Num).Order().ToList();
                Assert.True(expected.SequenceEqual(found), $"{filter}: expected {expected.Count}, found {found.Count}");
            }
        }

        Check(); // builds the nested columns
        for (var i = 0; i < 100; i++)
        {
            var id = (ulong)random.Next(payloads.Length);
            payloads[id] = ItemsPayload(random);
            if (payloads[id] is { } payload)
            {
                segment.OverwritePayload((ulong)(2 + i), PointId.FromNum(id), payload);
            }
            else
            {
                segment.ClearPayload((ulong)(2 + i), PointId.FromNum(id));
            }
        }

        Check();
    }
}
