using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Index parameters in a segment: written with the index and read back after a reopen (old files have none), the
/// codec round-trips every value; an ordered read that starts from a value (the index seeks it) pages as a brute-force
/// sort does, ties and fractional bounds included; an integer index created with <c>range: false</c> cannot order.
/// </summary>
public sealed class IndexParamsSegmentTests
{
    private const int Points = 500;

    private static PointSegment Create(string path)
    {
        var segment = PointSegment.Create(path, new Dictionary<string, VectorSpec> { [""] = new(2, Distance.Dot) });
        for (var i = 0; i < Points; i++)
        {
            // Ties on every value; some points hold two values, some none.
            var value = i % 10 == 3 ? PayloadValue.FromArray([PayloadValue.FromInteger(i % 37), PayloadValue.FromInteger((i * 7) % 41)])
                : i % 10 == 7 ? PayloadValue.FromString("none") : PayloadValue.FromInteger(i % 37);
            var payload = new Payload { ["p"] = value, ["f"] = PayloadValue.FromDouble((i % 23) / 4.0) };
            segment.Upsert(1, PointId.FromNum((ulong)((i * 7919) % 100_003)), new Dictionary<string, VectorData> { [""] = new DenseVector([1, 0]) }, payload);
        }

        return segment;
    }

    [Fact]
    public void Parameters_AreStoredWithTheIndex_AndReadBackAfterAReopen()
    {
        using var dir = new TempDirectory("index-params");
        var tenant = new FieldIndexParams(IsTenant: true, OnDisk: false, Memory: MemoryPlacement.Pinned, EnableHnsw: false);
        var integer = new FieldIndexParams(Lookup: false, Range: true, IsPrincipal: true);
        using (var segment = Create(dir.Path))
        {
            segment.CreateFieldIndex("t", FieldIndexType.Keyword, parameters: tenant);
            segment.CreateFieldIndex("p", FieldIndexType.Integer, parameters: integer);
            segment.CreateFieldIndex("f", FieldIndexType.Float);
            segment.CreateFieldIndex("x", FieldIndexType.Text, Common.FullText.TextIndexParams.Default, new FieldIndexParams());
            segment.Flush(1);
        }

        using var reopened = PointSegment.Open(dir.Path);
        Assert.Equal(tenant, reopened.IndexParams("t"));
        Assert.Equal(integer, reopened.IndexParams("p"));
        Assert.Null(reopened.IndexParams("f"));
        Assert.Equal(new FieldIndexParams(), reopened.IndexParams("x"));
        Assert.Equal(Common.FullText.TextIndexParams.Default, reopened.TextIndexParams("x"));
        Assert.Equal(["t", "p"], reopened.LayoutFields().Order().Reverse());
    }

    [Fact]
    public void Codec_RoundTripsEveryValue()
    {
        bool?[] flags = [null, false, true];
        foreach (var a in flags)
        {
            foreach (var b in flags)
            {
                foreach (var memory in new MemoryPlacement?[] { null, MemoryPlacement.Cold, MemoryPlacement.Cached, MemoryPlacement.Pinned })
                {
                    var p = new FieldIndexParams(a, b, b, memory, a, b, a, b);
                    Assert.Equal(p, FieldIndexParamsCodec.Decode(FieldIndexParamsCodec.Encode(p)));
                }
            }
        }

        Assert.Throws<InvalidDataException>(() => FieldIndexParamsCodec.Decode([2, 0, 0, 0, 0, 0, 0, 0, 0]));
    }

    public static TheoryData<string, bool, double?> Starts => new()
    {
        { "p", false, null }, { "p", false, 0 }, { "p", false, 12 }, { "p", false, 12.5 }, { "p", false, 40 }, { "p", false, 99 },
        { "p", true, null }, { "p", true, 12 }, { "p", true, 12.5 }, { "p", true, -1 },
        { "f", false, 2.25 }, { "f", true, 2.3 }, { "f", false, 3 },
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void OrderedFrom_PagesAsABruteForceSort(string key, bool descending, double? start)
    {
        using var dir = new TempDirectory("ordered-from");
        using var segment = Create(dir.Path);
        segment.CreateFieldIndex("p", FieldIndexType.Integer);
        segment.CreateFieldIndex("f", FieldIndexType.Float);
        OrderValue? from = start is { } s ? (s == Math.Floor(s) && key == "p" ? OrderValue.Of((long)s) : OrderValue.Of(s)) : null;
        var filter = new Filter(MustNot: [new HasIdCondition(new HashSet<PointId> { PointId.FromNum(0) })]);

        // Brute force: every (value, id) of a live point, once per distinct value, from the start on.
        var all = new List<(OrderValue Value, PointId Id)>();
        foreach (var id in segment.Scroll(null, null, int.MaxValue))
        {
            Assert.True(segment.TryGetPoint(id, true, null, out var payload, out _, out _));
            var values = new List<PayloadValue>();
            var v = payload![key]!;
            values.AddRange(v.Kind == PayloadKind.Array ? v.AsArray : [v]);
            var distinct = values.Where(x => x.Kind is PayloadKind.Integer or PayloadKind.Double)
                .Select(x => x.Kind == PayloadKind.Integer ? OrderValue.Of(x.AsInteger) : OrderValue.Of(x.AsDouble)).Distinct();
            foreach (var ov in distinct)
            {
                if (id != PointId.FromNum(0) && (from is not { } f || (descending ? ov.CompareTo(f) <= 0 : ov.CompareTo(f) >= 0)))
                {
                    all.Add((ov, id));
                }
            }
        }

        all.Sort((a, b) => PointSegment.CompareOrdered(a, b, descending));
        foreach (var limit in new[] { 1, 7, 40, 2000 })
        {
            Assert.True(segment.TryReadOrdered(key, descending, from, filter, limit, default, out var page));
            Assert.Equal(all.Take(limit), page);
        }
    }

    [Fact]
    public void IntegerWithoutRange_CannotOrder()
    {
        using var dir = new TempDirectory("no-range");
        using var segment = Create(dir.Path);
        segment.CreateFieldIndex("p", FieldIndexType.Integer, parameters: new FieldIndexParams(Range: false));
        Assert.False(segment.TryReadOrdered("p", false, null, null, 10, default, out _));
        segment.CreateFieldIndex("p", FieldIndexType.Integer, parameters: new FieldIndexParams(Lookup: false));
        Assert.True(segment.TryReadOrdered("p", false, null, null, 10, default, out var page));
        Assert.Equal(10, page.Count);
    }
}
