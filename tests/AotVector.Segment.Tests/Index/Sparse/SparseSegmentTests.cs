using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Sparse;

/// <summary>Sparse vectors in a segment: the inverted index against a brute-force dot product, and persistence.</summary>
public sealed class SparseSegmentTests
{
    private const int Vocabulary = 300;

    private static PointSegment CreateDense(TempDirectory dir) =>
        PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { ["d"] = new(2, Distance.Dot) });

    private static SparseVector RandomSparse(Random random, int maxNonZeros)
    {
        var count = random.Next(0, maxNonZeros + 1);
        var indices = new HashSet<uint>();
        while (indices.Count < count)
        {
            // Skewed towards small indices, so posting lists differ a lot in length.
            indices.Add((uint)(Math.Pow(random.NextDouble(), 2) * Vocabulary));
        }

        var shuffled = indices.OrderBy(_ => random.Next()).ToArray();
        return new SparseVector(shuffled, [.. shuffled.Select(_ => (float)((random.NextDouble() * 2) - 0.5))]);
    }

    private static float? BruteForce(SparseVector query, SparseVector stored)
    {
        float? sum = null;
        for (var i = 0; i < query.Indices.Length; i++)
        {
            var at = Array.IndexOf(stored.Indices, query.Indices[i]);
            if (at >= 0)
            {
                sum = (sum ?? 0) + (query.Values[i] * stored.Values[at]);
            }
        }

        return sum;
    }

    // Writes a seeded mix of upserts (some without the sparse vector), vector updates, vector deletes and point deletes.
    private static Dictionary<ulong, (SparseVector? Vector, long Group)> Fill(PointSegment segment, int seed, int points)
    {
        var random = new Random(seed);
        var expected = new Dictionary<ulong, (SparseVector?, long)>();
        ulong version = 0;
        for (var i = 0; i < points; i++)
        {
            var id = (ulong)random.Next(0, points * 2 / 3);
            var group = (long)(id % 4);
            var payload = new Payload { ["g"] = PayloadValue.FromInteger(group) };
            switch (random.Next(10))
            {
                case < 6:
                {
                    var vector = RandomSparse(random, 12);
                    segment.Upsert(++version, id, new Dictionary<string, VectorData> { ["d"] = new float[] { 1, 0 }, ["text"] = vector }, payload);
                    expected[id] = (vector, group);
                    break;
                }

                case 6:
                    segment.Upsert(++version, id, new Dictionary<string, VectorData> { ["d"] = new float[] { 0, 1 } }, payload);
                    expected[id] = (null, group);
                    break;
                case 7 when expected.ContainsKey(id):
                {
                    var vector = RandomSparse(random, 12);
                    segment.UpdateVectors(++version, id, new Dictionary<string, VectorData> { ["text"] = vector });
                    expected[id] = (vector, expected[id].Item2);
                    break;
                }

                case 8 when expected.ContainsKey(id):
                    segment.DeleteVectors(++version, id, ["text"]);
                    expected[id] = (null, expected[id].Item2);
                    break;
                default:
                    segment.Delete(++version, id);
                    expected.Remove(id);
                    break;
            }
        }

        return expected;
    }

    private static void AssertMatchesBruteForce(PointSegment segment, Dictionary<ulong, (SparseVector? Vector, long Group)> expected, int seed)
    {
        var random = new Random(seed);
        var groupOne = new Filter(Must: [new FieldCondition("g", Match: new MatchValue(PayloadValue.FromInteger(1)))]);
        for (var q = 0; q < 40; q++)
        {
            var query = RandomSparse(random, 8);
            var filter = q % 2 == 0 ? null : groupOne;
            var limit = 1 + random.Next(15);
            var hits = segment.SearchSparse("text", query, filter, limit);
            var want = expected
                .Where(p => p.Value.Vector is not null && (filter is null || p.Value.Group == 1))
                .Select(p => (Id: p.Key, Score: BruteForce(query, p.Value.Vector!)))
                .Where(x => x.Score is not null)
                .OrderByDescending(x => x.Score!.Value).ThenBy(x => x.Id)
                .Take(limit).ToList();
            Assert.Equal(want.Count, hits.Count);
            for (var i = 0; i < want.Count; i++)
            {
                Assert.Equal(want[i].Score!.Value, hits[i].Score, 4);
            }

            // Ids may swap only between equal scores.
            Assert.Equal(want.Select(w => Math.Round(w.Score!.Value, 4)), hits.Select(h => Math.Round(h.Score, 4)));
        }
    }

    [Fact]
    public void SearchSparse_MatchesBruteForce_WithFiltersUpdatesAndDeletes()
    {
        using var dir = new TempDirectory("sparse");
        using var segment = CreateDense(dir);
        var expected = Fill(segment, seed: 3, points: 1500);

        AssertMatchesBruteForce(segment, expected, seed: 4);
    }

    [Fact]
    public void DocumentFrequencies_FollowAddsAndDeletes()
    {
        using var dir = new TempDirectory("sparse");
        using var segment = CreateDense(dir);
        var expected = Fill(segment, seed: 11, points: 800);

        var live = expected.Values.Where(v => v.Vector is not null).Select(v => v.Vector!).ToList();
        Assert.Equal((ulong)live.Count, segment.SparseVectorCount("text"));
        for (uint dimension = 0; dimension < Vocabulary; dimension += 7)
        {
            Assert.Equal((ulong)live.Count(v => v.Indices.Contains(dimension)), segment.SparseDocumentFrequency("text", dimension));
        }
    }

    [Fact]
    public void SparseVectors_SurviveReopen_AndCopy()
    {
        using var dir = new TempDirectory("sparse");
        Dictionary<ulong, (SparseVector? Vector, long Group)> expected;
        using (var segment = CreateDense(dir))
        {
            expected = Fill(segment, seed: 21, points: 600);
            segment.Flush(10_000);

            // A second flush appends to the file instead of rewriting it.
            segment.Upsert(10_001, 5000ul, new Dictionary<string, VectorData> { ["d"] = new float[] { 1, 1 }, ["text"] = new SparseVector([9u, 2u], [1f, 3f]) }, new Payload { ["g"] = PayloadValue.FromInteger(1) });
            expected[5000] = (new SparseVector([9u, 2u], [1f, 3f]), 1);
            segment.Flush(10_001);
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        AssertMatchesBruteForce(reopened, expected, seed: 22);
        Assert.True(reopened.TryGetPoint(5000ul, false, null, out _, out var vectors, out _));
        Assert.Equal(new SparseVector([2u, 9u], [3f, 1f]), vectors!["text"]);
        Assert.True(reopened.Select(new Filter(Must: [new HasVectorCondition("text")])).Count() == expected.Count(e => e.Value.Vector is not null));

        using var copy = PointSegment.Create(dir.Combine("copy"), new Dictionary<string, VectorSpec> { ["d"] = new(2, Distance.Dot) });
        foreach (var id in reopened.Select(null))
        {
            copy.CopyPointFrom(reopened, id);
        }

        AssertMatchesBruteForce(copy, expected, seed: 23);
    }

    [Fact]
    public void TornLastRecord_IsIgnored()
    {
        using var dir = new TempDirectory("sparse");
        using (var segment = CreateDense(dir))
        {
            segment.Upsert(1, 1ul, new Dictionary<string, VectorData> { ["d"] = new float[] { 1, 0 }, ["text"] = new SparseVector([1u], [2f]) }, null);
            segment.Flush(1);
        }

        var file = Directory.GetFiles(dir.Combine("s"), "sparse-*.bin").Single();
        File.AppendAllBytes(file, [40, 0, 0, 0, 1, 2, 3, 4, 5]);

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal([1ul], reopened.SearchSparse("text", new SparseVector([1u], [1f]), null, 10).Select(h => h.Id.Num));
    }
}
