using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Aggregates;

/// <summary>The distance matrix over 60 seeded points (3-d, Cosine), each row checked against exact similarities.</summary>
public sealed class MatrixTests
{
    private const int Count = 60;
    private static readonly float[][] s_vectors = SeededRandom.Vectors(91, Count, 3);

    [Fact]
    public async Task ASampleOfEveryPoint_GivesEachPointsExactNearestOthers()
    {
        using var f = Fixture();
        var r = await f.Engine.SearchMatrixAsync(EngineFixture.Full, "m", new MatrixRequest(null, 100, 4, null), default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var m = r.Value!;
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (ulong)i), m.Ids.Select(id => id.Num));
        for (var row = 0; row < Count; row++)
        {
            var expected = Nearest(row, Enumerable.Range(0, Count)).Take(4).ToList();
            Assert.Equal(expected, m.Nearest[row].Select(h => (int)h.Id.Num));
            Assert.All(m.Nearest[row], h => Assert.Equal(Cosine(row, (int)h.Id.Num), h.Score, 1e-4f));
        }

        // Both wire shapes list the same entries.
        var pairs = m.Pairs().ToList();
        var offsets = m.Offsets().ToList();
        Assert.Equal(Count * 4, pairs.Count);
        Assert.Equal(pairs.Select(p => (p.A, p.B, p.Score)), offsets.Select(o => (m.Ids[(int)o.Row], m.Ids[(int)o.Column], o.Score)));
    }

    [Fact]
    public async Task ASmallerSample_IsFilteredAndItsNeighboursAreAmongIt()
    {
        using var f = Fixture();
        var even = new Filter(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(0)))]);
        var r = await f.Engine.SearchMatrixAsync(EngineFixture.Full, "m", new MatrixRequest(even, 10, 3, null), default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var ids = r.Value!.Ids.Select(id => (int)id.Num).ToList();
        Assert.Equal(10, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.All(ids, id => Assert.Equal(0, id % 2));
        for (var row = 0; row < ids.Count; row++)
        {
            Assert.Equal(Nearest(ids[row], ids).Take(3), r.Value!.Nearest[row].Select(h => (int)h.Id.Num));
        }
    }

    [Fact]
    public async Task TooSmallASample_OrAnUnknownVector_IsRefused_AndOneMatchingPointGivesNothing()
    {
        using var f = Fixture();
        var small = await f.Engine.SearchMatrixAsync(EngineFixture.Full, "m", new MatrixRequest(null, 1, 3, null), default, default);
        Assert.Equal("Validation error in JSON body: [sample: value 1 invalid, must be 2 or larger]", small.Error.Message);

        var unknown = await f.Engine.SearchMatrixAsync(EngineFixture.Full, "m", new MatrixRequest(null, 10, 3, "nope"), default, default);
        Assert.Equal(ErrorKind.BadRequest, unknown.Error.Kind);

        var one = new Filter(Must: [new HasIdCondition(new HashSet<PointId> { 5UL })]);
        var single = await f.Engine.SearchMatrixAsync(EngineFixture.Full, "m", new MatrixRequest(one, 10, 3, null), default, default);
        Assert.True(single.IsOk);
        Assert.Empty(single.Value!.Ids);
    }

    private static IEnumerable<int> Nearest(int of, IEnumerable<int> among) =>
        among.Where(i => i != of).OrderByDescending(i => Cosine(of, i)).ThenBy(i => i);

    private static float Cosine(int a, int b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < 3; i++)
        {
            dot += s_vectors[a][i] * s_vectors[b][i];
            na += s_vectors[a][i] * s_vectors[a][i];
            nb += s_vectors[b][i] * s_vectors[b][i];
        }

        return (float)(dot / Math.Sqrt(na * nb));
    }

    private static EngineFixture Fixture()
    {
        var f = new EngineFixture();
        f.CreateCollection("m", 3, Distance.Cosine);
        f.Upsert("m", [.. Enumerable.Range(0, Count).Select(i => EngineFixture.Point((ulong)i, s_vectors[i], new Payload { ["n"] = PayloadValue.FromInteger(i % 2) }))]);
        return f;
    }
}
