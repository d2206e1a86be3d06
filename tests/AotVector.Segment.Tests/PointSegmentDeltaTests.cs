using System.Buffers.Binary;
using AotVector.Common.Model;
using AotVector.Segment.Payloads;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// A flush appends what changed to segment.delta instead of rewriting segment.state, rewrites the state file once
/// the delta would outgrow it or after a change a delta cannot carry, and a reopen sees exactly what was flushed:
/// torn delta tails and deltas of an older state file are ignored.
/// </summary>
public sealed class PointSegmentDeltaTests
{
    private const int Dim = 4;
    private const int DeltaHeaderSize = 24;

    private static readonly Dictionary<string, VectorSpec> Specs = new()
    {
        [""] = new(Dim, Distance.Euclid),
        ["b"] = new(2, Distance.Dot),
    };

    private static string StatePath(TempDirectory dir) => dir.Combine("s", PointSegment.StateFileName);

    private static string DeltaPath(TempDirectory dir) => dir.Combine("s", PointSegment.DeltaFileName);

    private static Dictionary<string, VectorData> Vectors(Random random, bool withB = true)
    {
        var vectors = new Dictionary<string, VectorData> { [""] = (float[])[.. Enumerable.Range(0, Dim).Select(_ => random.NextSingle())] };
        if (withB)
        {
            vectors["b"] = (float[])[random.NextSingle(), random.NextSingle()];
        }

        return vectors;
    }

    private static Payload PayloadOf(int i, int padding = 40) =>
        Json.Obj($$"""{"n":{{i}},"tag":"t{{i % 7}}","pad":"{{new string('x', padding)}}"}""");

    // 3,000 points with payloads: a state file of a few hundred KB, well past the delta's 64 KB floor.
    private static PointSegment CreateFilled(TempDirectory dir, int points = 3000, int seed = 5)
    {
        var random = new Random(seed);
        var segment = PointSegment.Create(dir.Combine("s"), Specs);
        for (var i = 0; i < points; i++)
        {
            segment.Upsert((ulong)i + 1, PointId.FromNum((ulong)i), Vectors(random, withB: i % 3 != 0), PayloadOf(i));
        }

        return segment;
    }

    // Everything a reopen must reproduce for the ids 0..maxId: version and liveness (tombstones included), payload,
    // vectors, plus the counts.
    private static string Describe(PointSegment segment, int maxId)
    {
        var lines = new List<string>
        {
            $"points {segment.PointsCount} offsets {segment.OffsetCount} deleted {segment.DeletedCount} " +
            $"vectors {segment.VectorCount("")}/{segment.VectorCount("b")}",
        };
        for (var i = 0; i <= maxId; i++)
        {
            PointId id = (ulong)i;
            if (!segment.TryGetLatestVersion(id, out var version, out var live))
            {
                continue;
            }

            var line = $"{i} v{version} live={live}";
            if (live && segment.TryGetPoint(id, true, null, out var payload, out var vectors, out _))
            {
                line += " payload=" + Convert.ToBase64String(PayloadCodec.Encode(payload ?? new Payload()))
                    + " vectors=" + string.Join(';', vectors!.OrderBy(v => v.Key).Select(v => v.Key + ":" + string.Join(',', v.Value)));
            }

            lines.Add(line);
        }

        return string.Join('\n', lines);
    }

    // Opens the segment again and checks that it is persisted through `version` and holds `expected` (see Describe).
    private static void AssertReopensAs(TempDirectory dir, ulong version, string expected, int maxId)
    {
        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(version, reopened.PersistedVersion);
        Assert.Equal(expected, Describe(reopened, maxId));
    }

    [Fact]
    public void Flush_AfterEdits_AppendsThemToTheDelta_AndAReopenRestoresThem()
    {
        using var dir = new TempDirectory("delta");
        var random = new Random(11);
        string expected;
        using (var segment = CreateFilled(dir))
        {
            segment.Flush(3000);
            var state = File.ReadAllBytes(StatePath(dir));
            Assert.Equal(DeltaHeaderSize, new FileInfo(DeltaPath(dir)).Length);

            ulong v = 3000;
            segment.SetPayload(++v, 10ul, Json.Obj("""{"tag":"edited","extra":[1,2]}"""), null);
            segment.OverwritePayload(++v, 11ul, Json.Obj("""{"only":true}"""));
            segment.ClearPayload(++v, 12ul);
            segment.DeletePayloadKeys(++v, 13ul, ["pad"]);
            segment.Delete(++v, 20ul);
            segment.UpdateVectors(++v, 30ul, new Dictionary<string, VectorData> { ["b"] = (float[])[9, 9] });
            segment.DeleteVectors(++v, 31ul, ["b"]);
            segment.Upsert(++v, 40ul, Vectors(random, withB: false), null);
            segment.Delete(++v, 50ul);
            segment.Upsert(++v, 50ul, Vectors(random), PayloadOf(50_000));
            segment.Upsert(++v, 5000ul, Vectors(random), PayloadOf(5000));
            segment.Upsert(++v, 5001ul, Vectors(random, withB: false), null);
            segment.Flush(v);

            Assert.Equal(state, File.ReadAllBytes(StatePath(dir)));
            Assert.True(new FileInfo(DeltaPath(dir)).Length > DeltaHeaderSize);
            expected = Describe(segment, 5001);
        }

        using (var reopened = PointSegment.Open(dir.Combine("s")))
        {
            Assert.Equal(3012ul, reopened.PersistedVersion);
            Assert.Equal(expected, Describe(reopened, 5001));

            // The tombstone came through the delta: an older replayed upsert does not bring point 20 back.
            reopened.Upsert(3004, 20ul, Vectors(random), null);
            Assert.False(reopened.Contains(20ul));

            // A second record after the first, from the reopened segment.
            reopened.Delete(3013, 5000ul);
            reopened.SetPayload(3014, 10ul, Json.Obj("""{"second":1}"""), null);
            reopened.Flush(3014);
            expected = Describe(reopened, 5001);
        }

        AssertReopensAs(dir, 3014, expected, 5001);
    }

    [Fact]
    public void DeltaOutgrowingTheStateFile_IsFoldedIntoANewStateFile()
    {
        using var dir = new TempDirectory("delta");
        string expected;
        using (var segment = CreateFilled(dir, points: 200))
        {
            segment.Flush(200);
            var stateBefore = File.ReadAllBytes(StatePath(dir));
            var deltaLengths = new List<long>();
            ulong v = 200;
            for (var round = 0; round < 12; round++)
            {
                // 20 payloads of about 1 KB each per flush: the delta passes 64 KB after a few rounds.
                for (var i = 0; i < 20; i++)
                {
                    segment.OverwritePayload(++v, (ulong)i, PayloadOf(round * 100 + i, padding: 1000));
                }

                segment.Flush(v);
                deltaLengths.Add(new FileInfo(DeltaPath(dir)).Length);
            }

            // Grew, was folded into a rewritten state file (back to an empty delta), and grew again.
            var reset = deltaLengths.IndexOf(DeltaHeaderSize);
            Assert.True(reset >= 1, string.Join(",", deltaLengths));
            Assert.True(deltaLengths[reset - 1] > 40_000, string.Join(",", deltaLengths));
            Assert.Contains(deltaLengths.Skip(reset), length => length > DeltaHeaderSize);
            Assert.NotEqual(stateBefore, File.ReadAllBytes(StatePath(dir)));
            expected = Describe(segment, 200);
        }

        AssertReopensAs(dir, 440, expected, 200);
    }

    [Fact]
    public void TornDeltaTail_IsIgnored_AndTheNextFlushRewritesTheStateFile()
    {
        using var dir = new TempDirectory("delta");
        string atFirst, atSecond;
        using (var segment = CreateFilled(dir, points: 300))
        {
            segment.Flush(300);
            segment.SetPayload(301, 1ul, Json.Obj("""{"first":1}"""), null);
            segment.Flush(301);
            atFirst = Describe(segment, 400);
            segment.SetPayload(302, 2ul, Json.Obj("""{"second":2}"""), null);
            segment.Delete(303, 3ul);
            segment.Flush(303);
            atSecond = Describe(segment, 400);
        }

        // The last record cut short or damaged, or zeros after it (a crash after the file grew, before the data).
        var delta = File.ReadAllBytes(DeltaPath(dir));
        var cases = new (byte[] Delta, ulong Version, string State)[]
        {
            (delta[..^5], 301, atFirst),
            ([.. delta[..^1], (byte)(delta[^1] ^ 1)], 301, atFirst),
            ([.. delta, .. new byte[100]], 303, atSecond),
        };
        foreach (var (torn, version, state) in cases)
        {
            File.WriteAllBytes(DeltaPath(dir), torn);
            AssertReopensAs(dir, version, state, 400);
        }

        File.WriteAllBytes(DeltaPath(dir), cases[0].Delta);

        string expected;
        using (var reopened = PointSegment.Open(dir.Combine("s")))
        {
            // The WAL replay of 302 and 303, then a flush: a new state file and an empty delta, not an append after junk.
            reopened.SetPayload(302, 2ul, Json.Obj("""{"second":2}"""), null);
            reopened.Delete(303, 3ul);
            reopened.Flush(303);
            Assert.Equal(DeltaHeaderSize, new FileInfo(DeltaPath(dir)).Length);
            expected = Describe(reopened, 400);
        }

        AssertReopensAs(dir, 303, expected, 400);
    }

    [Fact]
    public void DeltaOfAnOlderStateFile_IsIgnored_ACorruptDeltaHeaderIsAnError()
    {
        using var dir = new TempDirectory("delta");
        string expected;
        using (var segment = CreateFilled(dir, points: 300))
        {
            segment.Flush(300);
            segment.SetPayload(301, 1ul, Json.Obj("""{"old":1}"""), null);
            segment.Flush(301);
            var oldDelta = File.ReadAllBytes(DeltaPath(dir));

            // A new field index cannot go in a delta: the state file is rewritten with everything.
            segment.CreateFieldIndex("tag", FieldIndexType.Keyword);
            segment.SetPayload(302, 1ul, Json.Obj("""{"old":null,"new":2}"""), null);
            segment.Flush(302);
            Assert.Equal(DeltaHeaderSize, new FileInfo(DeltaPath(dir)).Length);
            expected = Describe(segment, 400);

            // As if the crash came between the state file's replacement and the delta's reset.
            File.WriteAllBytes(DeltaPath(dir), oldDelta);
        }

        using (var reopened = PointSegment.Open(dir.Combine("s")))
        {
            Assert.Equal(302ul, reopened.PersistedVersion);
            Assert.Equal(expected, Describe(reopened, 400));
            Assert.Equal(FieldIndexType.Keyword, reopened.FieldIndexes["tag"].Type);
        }

        var delta = File.ReadAllBytes(DeltaPath(dir));
        delta[0] ^= 0x20;
        File.WriteAllBytes(DeltaPath(dir), delta);
        Assert.Throws<InvalidDataException>(() => PointSegment.Open(dir.Combine("s")).Dispose());
    }

    [Fact]
    public void StateFileStreamedInPieces_PastHalfAMillionOffsets_ReopensExactly()
    {
        // The presence bitmaps are written 524,288 offsets at a time: three pieces here, the last one partial.
        using var dir = new TempDirectory("delta");
        const int Points = 1_100_003;
        var empty = new Dictionary<string, VectorData>();
        using (var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(1, Distance.Dot) }))
        {
            for (var i = 0; i < Points; i++)
            {
                segment.Upsert((ulong)i + 1, (ulong)i, i % 3 == 0 || i % 7 == 0 ? empty : new Dictionary<string, VectorData> { [""] = (float[])[i] }, null);
            }

            segment.Flush(Points);
            Assert.Equal(DeltaHeaderSize, new FileInfo(DeltaPath(dir)).Length);
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal((ulong)Points, reopened.PointsCount);
        Assert.Equal((ulong)Enumerable.Range(0, Points).Count(i => i % 3 != 0 && i % 7 != 0), reopened.VectorCount(""));
        foreach (var i in new[] { 0, 1, 2, 524_287, 524_288, 524_289, 1_048_575, 1_048_576, 1_048_577, Points - 2, Points - 1 })
        {
            Assert.True(reopened.TryGetPoint((ulong)i, false, null, out _, out var vectors, out _));
            Assert.Equal(i % 3 != 0 && i % 7 != 0, vectors!.ContainsKey(""));
        }
    }

    [Fact]
    public void StaleOffsets_GoThroughTheDelta()
    {
        using var dir = new TempDirectory("delta");
        var random = new Random(3);
        using (var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(8, Distance.Euclid) }))
        {
            var vectors = SeededRandom.Vectors(17, 400, 8);
            for (var i = 0; i < vectors.Length; i++)
            {
                segment.Upsert((ulong)i + 1, (ulong)i, new Dictionary<string, VectorData> { [""] = vectors[i] }, null);
            }

            var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 16, 100))!;
            job.Run(1, default);
            segment.InstallIndex(job);
            segment.Flush(400);
            var state = File.ReadAllBytes(StatePath(dir));

            segment.UpdateVectors(401, 7ul, new Dictionary<string, VectorData> { [""] = (float[])[.. Enumerable.Range(0, 8).Select(_ => random.NextSingle())] });
            segment.Upsert(402, 9ul, new Dictionary<string, VectorData> { [""] = (float[])[.. Enumerable.Range(0, 8).Select(_ => random.NextSingle())] }, null);
            Assert.Equal(2, segment.StaleCount(""));
            segment.Flush(402);
            Assert.Equal(state, File.ReadAllBytes(StatePath(dir)));
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(2, reopened.StaleCount(""));
    }

    [Fact]
    public void StateFileOfFormat2_WithoutADelta_Opens_AndTheNextFlushWritesFormat3WithADelta()
    {
        using var dir = new TempDirectory("delta");
        string expected;
        using (var segment = CreateFilled(dir, points: 50))
        {
            // A field index makes this flush rewrite the state file, so everything is in it.
            segment.CreateFieldIndex("tag", FieldIndexType.Keyword);
            segment.Flush(50);
            Assert.Equal(DeltaHeaderSize, new FileInfo(DeltaPath(dir)).Length);
            expected = Describe(segment, 60);
        }

        // Format 3's body is format 2's: only the header's version and the missing delta tell an older build's files.
        var state = File.ReadAllBytes(StatePath(dir));
        BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(8), 2);
        File.WriteAllBytes(StatePath(dir), state);
        File.Delete(DeltaPath(dir));

        using (var reopened = PointSegment.Open(dir.Combine("s")))
        {
            Assert.Equal(expected, Describe(reopened, 60));
            reopened.SetPayload(51, 1ul, Json.Obj("""{"later":1}"""), null);
            reopened.Flush(51);
            expected = Describe(reopened, 60);
        }

        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(StatePath(dir)).AsSpan(8)));
        Assert.True(File.Exists(DeltaPath(dir)));
        using var third = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(expected, Describe(third, 60));
    }
}
