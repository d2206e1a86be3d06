using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;
using AotVector.Segment;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine.Tests;

/// <summary>
/// Ordered reads, samples and discovery over a shard of several segments (three sealed batches and the appendable
/// segment, with points moved between them), each against a brute-force answer over the model of what was written.
/// </summary>
public sealed class QueryKindsShardTests
{
    private const int Dim = 4;

    // 1 KB threshold: every batch of 100 points seals into a segment of its own.
    private static readonly OptimizerPolicy s_policy = new(1, 1_000_000, 5, 0.2, 10, _ => new IndexingPolicy(0, 8, 32));

    [Theory]
    [InlineData(false, 7)]
    [InlineData(true, 7)]
    [InlineData(false, 1000)]
    [InlineData(true, 13)]
    public void ScrollOrdered_OverSegments_IsTheBruteForceOrder(bool descending, int limit)
    {
        using var dir = new TempDirectory("order");
        using var shard = Open(dir);
        var model = Fill(shard);
        Assert.True(shard.DescribeSegments().Count >= 3);
        var direction = descending ? OrderDirection.Desc : OrderDirection.Asc;

        foreach (var start in new OrderValue?[] { null, OrderValue.Of(4L), OrderValue.Of(4.5) })
        {
            foreach (var filter in new Filter?[] { null, new(Must: [new FieldCondition("k", Match: new MatchValue(PayloadValue.FromInteger(1)))]) })
            {
                var expected = model
                    .Where(e => filter is null || e.Value.K == 1)
                    .SelectMany(e => e.Value.Values.Distinct().Select(v => (Value: OrderValue.Of(v), Id: PointId.FromNum(e.Key))))
                    .Where(e => start is not { } s || (descending ? e.Value <= s : e.Value >= s))
                    .Order(Comparer<(OrderValue Value, PointId Id)>.Create((a, b) => PointSegment.CompareOrdered(a, b, descending)))
                    .Take(limit)
                    .ToList();

                var got = shard.ScrollOrdered(filter, new OrderBy("p", direction, start), limit, default);

                Assert.NotNull(got);
                Assert.Equal(expected, got!.Select(o => (o.Value, o.Id)).ToList());
            }
        }

        Assert.Null(shard.ScrollOrdered(null, new OrderBy("k"), 5, default));
    }

    [Fact]
    public void Sample_OverSegments_IsUniformEnough_AndOnlyMatches()
    {
        using var dir = new TempDirectory("sample");
        using var shard = Open(dir);
        var model = Fill(shard);
        var filter = new Filter(Must: [new FieldCondition("k", Match: new MatchValue(PayloadValue.FromInteger(1)))]);
        var matching = model.Where(e => e.Value.K == 1).Select(e => e.Key).ToHashSet();

        var hits = new Dictionary<ulong, int>();
        const int Rounds = 300;
        for (var round = 0; round < Rounds; round++)
        {
            var sample = shard.Sample(filter, 10, default);
            Assert.Equal((ulong)matching.Count, sample.Matching);
            Assert.Equal(10, sample.Ids.Distinct().Count());
            foreach (var id in sample.Ids)
            {
                Assert.Contains(id.Num, matching);
                hits[id.Num] = hits.GetValueOrDefault(id.Num) + 1;
            }
        }

        // Each of the ~100 matches is expected 300 * 10 / n times; a point of any segment that is never drawn, or one
        // drawn five times too often, would mean the segments are not sampled in proportion.
        var expected = Rounds * 10.0 / matching.Count;
        Assert.Equal(matching.Count, hits.Count);
        Assert.All(hits.Values, n => Assert.InRange(n, 1, expected * 5));
    }

    private static LocalShard Open(TempDirectory dir) =>
        LocalShard.Create(dir.Path, 0, new VectorsConfig(new VectorParams(Dim, Distance.Dot), null), WalConfig.Default, NullLogger.Instance);

    // Three sealed batches of 100 and an appendable tail; some points rewritten (moved to the appendable segment) and
    // deleted; "p" an integer or an array of them with many ties, "k" a small integer.
    private static Dictionary<ulong, (long K, long[] Values)> Fill(LocalShard shard)
    {
        var model = new Dictionary<ulong, (long K, long[] Values)>();
        Assert.True(shard.Update(new CreateFieldIndex("p", PayloadSchemaType.Integer), wait: true).IsOk);
        for (var batch = 0; batch < 4; batch++)
        {
            var vectors = SeededRandom.Vectors(900 + batch, 100, Dim);
            var points = new List<PointStruct>();
            for (var i = 0; i < 100; i++)
            {
                var id = (ulong)((batch * 100) + i);
                long[] values = id % 5 == 0 ? [(long)(id % 9), (long)((id + 3) % 9), (long)(id % 9)] : [(long)(id % 9)];
                var payload = new Payload
                {
                    ["k"] = PayloadValue.FromInteger((long)(id % 3)),
                    ["p"] = values.Length == 1 ? PayloadValue.FromInteger(values[0]) : PayloadValue.FromArray([.. values.Select(PayloadValue.FromInteger)]),
                };
                points.Add(new PointStruct(PointId.FromNum(id), new Dictionary<string, VectorData> { [""] = vectors[i] }, payload));
                model[id] = ((long)(id % 3), values);
            }

            Assert.True(shard.Update(new UpsertPoints(points), wait: true).IsOk);
            if (batch < 3)
            {
                while (shard.DescribeSegments().Count(s => !s.Appendable) <= batch && shard.Optimize(s_policy, 1, default))
                {
                }
            }
        }

        // Moved to the appendable segment with a new value, and deleted.
        var moved = new Payload { ["k"] = PayloadValue.FromInteger(1), ["p"] = PayloadValue.FromInteger(4) };
        Assert.True(shard.Update(new OverwritePayload(moved, PointsSelector.ByIds([PointId.FromNum(12), PointId.FromNum(150)])), wait: true).IsOk);
        model[12] = (1, [4]);
        model[150] = (1, [4]);
        Assert.True(shard.Update(new DeletePoints(PointsSelector.ByIds([PointId.FromNum(13), PointId.FromNum(250)])), wait: true).IsOk);
        model.Remove(13);
        model.Remove(250);
        return model;
    }
}
