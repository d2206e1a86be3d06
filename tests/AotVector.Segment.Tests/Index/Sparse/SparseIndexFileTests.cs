using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Index.Sparse;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Sparse;

/// <summary>
/// The built sparse index file: search through it against a brute-force dot product after the build, after writes
/// on top of it, after a reopen (which must reuse the file), with filters on both sides of the full-scan threshold;
/// document frequencies stay exact; a damaged or other-version file is set aside and rebuilt, never a failure.
/// </summary>
public sealed class SparseIndexFileTests
{
    private const int Vocabulary = 400;
    private static readonly SparseIndexPolicy Policy = new(1, OnDisk: true);

    private sealed class Model
    {
        public Dictionary<ulong, (SparseVector? Vector, long Group)> Points { get; } = [];

        public ulong Version { get; set; }
    }

    private static PointSegment Create(TempDirectory dir)
    {
        var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec>());
        segment.CreateFieldIndex("g", FieldIndexType.Integer);
        return segment;
    }

    private static SparseVector RandomSparse(Random random, int maxNonZeros)
    {
        var count = random.Next(1, maxNonZeros + 1);
        var indices = new HashSet<uint>();
        while (indices.Count < count)
        {
            indices.Add((uint)(Math.Pow(random.NextDouble(), 2) * Vocabulary));
        }

        var shuffled = indices.OrderBy(_ => random.Next()).ToArray();
        return new SparseVector(shuffled, [.. shuffled.Select(_ => (float)((random.NextDouble() * 2) - 0.5))]);
    }

    // Seeded upserts (some without the sparse vector), vector updates and deletes, point deletes.
    private static void Write(PointSegment segment, Model model, int seed, int operations, int idSpace)
    {
        var random = new Random(seed);
        for (var i = 0; i < operations; i++)
        {
            var id = (ulong)random.Next(0, idSpace);
            var group = (long)(id % 10);
            switch (random.Next(10))
            {
                case < 7:
                {
                    var vector = RandomSparse(random, 16);
                    segment.Upsert(++model.Version, id, new Dictionary<string, VectorData> { ["text"] = vector }, new Payload { ["g"] = PayloadValue.FromInteger(group), ["h"] = PayloadValue.FromInteger((long)(id % 3)) });
                    model.Points[id] = (vector, group);
                    break;
                }

                case 7 when model.Points.ContainsKey(id):
                {
                    var vector = RandomSparse(random, 16);
                    segment.UpdateVectors(++model.Version, id, new Dictionary<string, VectorData> { ["text"] = vector });
                    model.Points[id] = (vector, model.Points[id].Group);
                    break;
                }

                case 8 when model.Points.ContainsKey(id):
                    segment.DeleteVectors(++model.Version, id, ["text"]);
                    model.Points[id] = (null, model.Points[id].Group);
                    break;
                default:
                    segment.Delete(++model.Version, id);
                    model.Points.Remove(id);
                    break;
            }
        }
    }

    private static float? Dot(SparseVector query, SparseVector stored)
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

    // Every query on both sides of the full-scan threshold, unfiltered, with an indexed filter and an unindexed one.
    private static void AssertMatchesBruteForce(PointSegment segment, Model model, int seed, float tolerance = 1e-4f)
    {
        var random = new Random(seed);
        var indexed = new Filter(Must: [new FieldCondition("g", Match: new MatchValue(PayloadValue.FromInteger(3)))]);
        var unindexed = new Filter(Must: [new FieldCondition("h", Match: new MatchValue(PayloadValue.FromInteger(0)))]);
        for (var q = 0; q < 30; q++)
        {
            var query = RandomSparse(random, 8);
            var limit = 1 + random.Next(12);
            foreach (var (filter, keep) in new (Filter?, Func<ulong, long, bool>)[] { (null, (_, _) => true), (indexed, (_, g) => g == 3), (unindexed, (id, _) => id % 3 == 0) })
            {
                var want = model.Points
                    .Where(p => p.Value.Vector is not null && keep(p.Key, p.Value.Group))
                    .Select(p => (Id: p.Key, Score: Dot(query, p.Value.Vector!)))
                    .Where(x => x.Score is not null)
                    .OrderByDescending(x => x.Score!.Value).ThenBy(x => x.Id)
                    .Take(limit).ToList();
                foreach (var threshold in new ulong[] { 0, ulong.MaxValue })
                {
                    var hits = segment.SearchSparse("text", query, filter, limit, default, threshold);
                    Assert.Equal(want.Count, hits.Count);
                    for (var i = 0; i < want.Count; i++)
                    {
                        Assert.True(Math.Abs(want[i].Score!.Value - hits[i].Score) <= tolerance * (1 + Math.Abs(want[i].Score!.Value)), $"query {q} hit {i}: {want[i].Score} vs {hits[i].Score}");
                    }
                }
            }
        }
    }

    private static void AssertFrequencies(PointSegment segment, Model model)
    {
        var live = model.Points.Values.Where(v => v.Vector is not null).Select(v => v.Vector!).ToList();
        Assert.Equal((ulong)live.Count, segment.SparseVectorCount("text"));
        Assert.Equal(live.Sum(v => (long)v.Indices.Length), segment.SparsePostingCount("text"));
        for (uint dimension = 0; dimension < Vocabulary; dimension += 3)
        {
            Assert.Equal((ulong)live.Count(v => v.Indices.Contains(dimension)), segment.SparseDocumentFrequency("text", dimension));
        }
    }

    private static void Build(PointSegment segment, SparseIndexPolicy? policy = null)
    {
        var job = segment.PrepareSparseIndexBuild("text", policy ?? Policy);
        Assert.NotNull(job);
        job.Run(CancellationToken.None);
        segment.InstallSparseIndex(job);
    }

    private static string IndexFile(TempDirectory dir) => Directory.GetFiles(dir.Combine("s"), "postings-*.bin").Single();

    [Fact]
    public void BuiltIndex_MatchesBruteForce_AfterBuild_AndAfterWritesOnTop()
    {
        using var dir = new TempDirectory("sparse-index");
        using var segment = Create(dir);
        var model = new Model();
        Write(segment, model, seed: 1, operations: 3000, idSpace: 2000);
        Assert.Equal(0ul, segment.IndexedVectorCount);

        Build(segment);
        Assert.Equal(segment.SparseVectorCount("text"), segment.IndexedVectorCount);
        Assert.True(segment.IndexedVectorCount > 0);
        Assert.NotNull(segment.SparseIndexInfo("text"));
        Assert.Equal(0, segment.SparseIndexInfo("text")!.Value.Stale);
        AssertMatchesBruteForce(segment, model, seed: 2);
        AssertFrequencies(segment, model);

        // Updates and deletes of built offsets, and new points past them.
        Write(segment, model, seed: 3, operations: 400, idSpace: 2500);
        Assert.True(segment.SparseIndexInfo("text")!.Value.Stale > 0);
        AssertMatchesBruteForce(segment, model, seed: 4);
        AssertFrequencies(segment, model);
    }

    [Fact]
    public void WritesDuringTheBuild_AreStaleOnceItIsInstalled()
    {
        using var dir = new TempDirectory("sparse-index");
        using var segment = Create(dir);
        var model = new Model();
        Write(segment, model, seed: 5, operations: 1500, idSpace: 1000);

        var job = segment.PrepareSparseIndexBuild("text", Policy)!;
        Write(segment, model, seed: 6, operations: 300, idSpace: 1200);
        job.Run(CancellationToken.None);
        segment.InstallSparseIndex(job);

        AssertMatchesBruteForce(segment, model, seed: 7);
        AssertFrequencies(segment, model);
    }

    [Fact]
    public void Reopen_ReusesTheFile_AndFindsWhatChangedSince()
    {
        using var dir = new TempDirectory("sparse-index");
        var model = new Model();
        DateTime written;
        using (var segment = Create(dir))
        {
            Write(segment, model, seed: 8, operations: 2500, idSpace: 1500);
            Build(segment);
            segment.Flush(model.Version);
            written = File.GetLastWriteTimeUtc(IndexFile(dir));

            // Flushed after the build: only the index's checksums can tell these apart at open.
            Write(segment, model, seed: 9, operations: 300, idSpace: 1800);
            segment.Flush(model.Version);
        }

        using (var reopened = PointSegment.Open(dir.Combine("s")))
        {
            Assert.Empty(reopened.SparseIndexProblems);
            var info = reopened.SparseIndexInfo("text");
            Assert.NotNull(info);
            Assert.True(info.Value.Stale > 0);
            Assert.Equal(written, File.GetLastWriteTimeUtc(IndexFile(dir)));
            AssertMatchesBruteForce(reopened, model, seed: 10);
            AssertFrequencies(reopened, model);

            // Rebuilt over the changes, then reopened with nothing stale.
            Build(reopened);
            Assert.Equal(0, reopened.SparseIndexInfo("text")!.Value.Stale);
            reopened.Flush(model.Version);
        }

        using var again = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(0, again.SparseIndexInfo("text")!.Value.Stale);
        AssertMatchesBruteForce(again, model, seed: 11);
        AssertFrequencies(again, model);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("version")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public void DamagedIndexFile_IsSetAside_AndRebuilt(string damage)
    {
        using var dir = new TempDirectory("sparse-index");
        var model = new Model();
        using (var segment = Create(dir))
        {
            Write(segment, model, seed: 12, operations: 1500, idSpace: 1000);
            Build(segment);
            segment.Flush(model.Version);
        }

        var file = IndexFile(dir);
        var bytes = File.ReadAllBytes(file);
        switch (damage)
        {
            case "body":
                bytes[^5] ^= 0x40;
                File.WriteAllBytes(file, bytes);
                break;
            case "version":
                bytes[8] = 99;
                File.WriteAllBytes(file, bytes);
                break;
            case "truncated":
                File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
                break;
            default:
                File.WriteAllBytes(file, []);
                break;
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Single(reopened.SparseIndexProblems);
        Assert.Null(reopened.SparseIndexInfo("text"));
        AssertMatchesBruteForce(reopened, model, seed: 13);
        AssertFrequencies(reopened, model);

        Assert.True(reopened.NeedsSparseIndexBuild("text", Policy));
        Build(reopened);
        AssertMatchesBruteForce(reopened, model, seed: 14);
    }

    [Fact]
    public void MissingIndexFile_IsNoProblem()
    {
        using var dir = new TempDirectory("sparse-index");
        var model = new Model();
        using (var segment = Create(dir))
        {
            Write(segment, model, seed: 15, operations: 800, idSpace: 600);
            Build(segment);
            segment.Flush(model.Version);
        }

        File.Delete(IndexFile(dir));
        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Empty(reopened.SparseIndexProblems);
        Assert.Null(reopened.SparseIndexInfo("text"));
        AssertMatchesBruteForce(reopened, model, seed: 16);
    }

    [Theory]
    [InlineData(SparseValueType.Float16, 2e-3f)]
    [InlineData(SparseValueType.UInt8, 3e-2f)]
    public void SmallerValueTypes_ScoreCloseToExact(SparseValueType type, float tolerance)
    {
        using var dir = new TempDirectory("sparse-index");
        using var segment = Create(dir);
        var model = new Model();
        Write(segment, model, seed: 17, operations: 1500, idSpace: 1000);
        Build(segment);
        var float32Bytes = segment.SparseIndexInfo("text")!.Value.FileBytes;

        // Another value type is a config mismatch: the index is rebuilt with it.
        var policy = Policy with { ValueType = type };
        Assert.True(segment.NeedsSparseIndexBuild("text", policy));
        Build(segment, policy);
        Assert.False(segment.NeedsSparseIndexBuild("text", policy));
        Assert.True(segment.SparseIndexInfo("text")!.Value.FileBytes < float32Bytes);

        // Scores are as stored (rounded), so compare them to the exact ones within the type's precision: values here
        // are below 1.5 in magnitude and queries have at most 8 weights.
        AssertMatchesBruteForceScoresOnly(segment, model, tolerance * 8);
    }

    private static void AssertMatchesBruteForceScoresOnly(PointSegment segment, Model model, float tolerance)
    {
        var random = new Random(18);
        for (var q = 0; q < 30; q++)
        {
            var query = RandomSparse(random, 8);
            foreach (var hit in segment.SearchSparse("text", query, null, 10, default, 0))
            {
                var exact = Dot(query, model.Points[hit.Id.Num].Vector!)!.Value;
                Assert.True(Math.Abs(exact - hit.Score) <= tolerance, $"{hit.Id}: {exact} vs {hit.Score}");
            }
        }
    }

    [Fact]
    public void SparseBytes_CountTowardsTheSegmentSize()
    {
        using var dir = new TempDirectory("sparse-index");
        using var segment = Create(dir);
        Assert.Equal(0ul, segment.VectorBytes);
        segment.Upsert(1, 1ul, new Dictionary<string, VectorData> { ["text"] = new SparseVector([1u, 2u, 3u], [1f, 2f, 3f]) }, null);
        Assert.Equal(24ul, segment.VectorBytes);
        Assert.False(segment.NeedsSparseIndexBuild("text", Policy)); // under 1 KiB
        Assert.False(segment.NeedsSparseIndexBuild("text", Policy with { IndexingThresholdKb = 0 }));
    }
}
