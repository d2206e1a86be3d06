using System.Buffers.Binary;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Payloads;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// A segment created with on-disk payloads keeps them in payloads.bin (a mapped, append-only file) and only their
/// offset table in its state: it answers exactly as a segment with payloads on the heap, through flushes, deltas,
/// reopens, a crash after unflushed writes, filters on unindexed fields and copies in either direction.
/// </summary>
public sealed class PointSegmentOnDiskPayloadTests
{
    private const int Dim = 4;

    private static readonly Dictionary<string, VectorSpec> Specs = new() { [""] = new(Dim, Distance.Euclid) };

    private static Dictionary<string, VectorData> Vector(Random random) =>
        new() { [""] = (float[])[.. Enumerable.Range(0, Dim).Select(_ => random.NextSingle())] };

    private static Payload PayloadOf(int i) =>
        Json.Obj($$$"""{"n":{{{i}}},"tag":"t{{{i % 7}}}","nested":{"city":"c{{{i % 5}}}","list":[{{{i}}},"x"]}}""");

    // The same writes on any segment: upserts with and without payloads, every payload edit, deletes.
    private static ulong Fill(PointSegment segment, int points, ulong version = 0, int seed = 3)
    {
        var random = new Random(seed);
        for (var i = 0; i < points; i++)
        {
            segment.Upsert(++version, PointId.FromNum((ulong)i), Vector(random), i % 10 == 9 ? null : PayloadOf(i));
        }

        for (var i = 0; i < points; i += 13)
        {
            segment.SetPayload(++version, (ulong)i, Json.Obj("""{"tag":"edited","extra":[1,2]}"""), null);
            segment.OverwritePayload(++version, (ulong)(i + 1), Json.Obj("""{"only":true}"""));
            segment.ClearPayload(++version, (ulong)(i + 2));
            segment.DeletePayloadKeys(++version, (ulong)(i + 3), ["nested.city"]);
            segment.SetPayload(++version, (ulong)(i + 4), Json.Obj("""{"city":"moved"}"""), "nested");
            segment.Delete(++version, (ulong)(i + 5));
        }

        return version;
    }

    private static string Describe(PointSegment segment, int maxId, bool withOffsets = true)
    {
        var lines = new List<string> { withOffsets ? $"points {segment.PointsCount} offsets {segment.OffsetCount}" : $"points {segment.PointsCount}" };
        for (var i = 0; i <= maxId; i++)
        {
            if (segment.TryGetPoint((ulong)i, true, null, out var payload, out _, out var version))
            {
                lines.Add($"{i} v{version} {Convert.ToBase64String(PayloadCodec.Encode(payload!))}");
            }
        }

        return string.Join('\n', lines);
    }

    private static uint StateFormat(string segmentDir) =>
        BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(Path.Combine(segmentDir, PointSegment.StateFileName)).AsSpan(8));

    [Fact]
    public void OnDiskSegment_AnswersAsTheHeapOne_AcrossFlushDeltaAndReopen()
    {
        using var dir = new TempDirectory("ondisk");
        using var heap = PointSegment.Create(dir.Combine("heap"), Specs);
        var disk = PointSegment.Create(dir.Combine("disk"), Specs, onDiskPayload: true);
        Assert.True(disk.OnDiskPayload);
        Assert.False(heap.OnDiskPayload);

        var v = Fill(heap, 500);
        Assert.Equal(v, Fill(disk, 500));
        Assert.Equal(Describe(heap, 500), Describe(disk, 500));
        disk.Flush(v);
        Assert.Equal(4u, StateFormat(dir.Combine("disk")));
        Assert.True(File.Exists(dir.Combine("disk", MappedPayloadStore.FileName)));
        Assert.False(File.Exists(dir.Combine("heap", MappedPayloadStore.FileName)));

        // Edits after the first flush go through the delta (positions, not bytes).
        heap.SetPayload(v + 1, 7ul, Json.Obj("""{"late":1}"""), null);
        disk.SetPayload(v + 1, 7ul, Json.Obj("""{"late":1}"""), null);
        heap.Upsert(v + 2, 9999ul, Vector(new Random(1)), PayloadOf(9999));
        disk.Upsert(v + 2, 9999ul, Vector(new Random(1)), PayloadOf(9999));
        disk.Flush(v + 2);
        var expected = Describe(heap, 10_000);
        Assert.Equal(expected, Describe(disk, 10_000));
        Assert.True(disk.PayloadGarbageBytes > 0);
        disk.Dispose();

        using (var reopened = PointSegment.Open(dir.Combine("disk")))
        {
            Assert.True(reopened.OnDiskPayload);
            Assert.Equal(expected, Describe(reopened, 10_000));

            // A change a delta cannot carry rewrites the state file (the table), and that reopens too.
            reopened.CreateFieldIndex("tag", FieldIndexType.Keyword);
            reopened.Flush(v + 3);
        }

        using var again = PointSegment.Open(dir.Combine("disk"));
        Assert.Equal(expected, Describe(again, 10_000));
        Assert.Equal(4u, StateFormat(dir.Combine("disk")));
        heap.Flush(v + 2);
        Assert.Equal(3u, StateFormat(dir.Combine("heap")));
    }

    [Fact]
    public void FiltersOnUnindexedAndIndexedFields_ReadTheStore_AsOnTheHeap()
    {
        using var dir = new TempDirectory("ondisk");
        using var heap = PointSegment.Create(dir.Combine("heap"), Specs);
        using var disk = PointSegment.Create(dir.Combine("disk"), Specs, onDiskPayload: true);
        Fill(heap, 400);
        Fill(disk, 400);
        disk.Flush(10_000);

        Filter[] filters =
        [
            new(Must: [new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("t3")))]),
            new(Must: [new FieldCondition("nested.city", Match: new MatchAny(["c1", "moved"], null))]),
            new(Must: [new FieldCondition("n", Range: new RangeCondition(Gte: 100, Lt: 250))], MustNot: [new IsEmptyCondition("extra")]),
            new(Should: [new IsEmptyCondition("tag"), new FieldCondition("only", Match: new MatchValue(PayloadValue.FromBool(true)))]),
        ];
        foreach (var filter in filters)
        {
            var expected = heap.Select(filter).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, disk.Select(filter));
        }

        disk.CreateFieldIndex("tag", FieldIndexType.Keyword);
        disk.CreateFieldIndex("n", FieldIndexType.Integer);
        foreach (var filter in filters)
        {
            Assert.Equal(heap.Select(filter), disk.Select(filter));
        }

        var query = new float[] { 0.5f, 0.5f, 0.5f, 0.5f };
        Assert.Equal(
            heap.Search("", query, filters[0], 10, null).Select(h => h.Id),
            disk.Search("", query, filters[0], 10, null).Select(h => h.Id));
    }

    [Fact]
    public void CrashAfterUnflushedWrites_ReopensAsOfTheLastFlush_AndLaterWritesOverwriteTheGarbage()
    {
        using var dir = new TempDirectory("ondisk");
        var path = dir.Combine("s");
        string flushed;
        ulong v;
        using (var segment = PointSegment.Create(path, Specs, onDiskPayload: true))
        {
            v = Fill(segment, 300);
            segment.Flush(v);
            flushed = Describe(segment, 300);

            // Written to the mapping (and so to the file) but never flushed: a kill -9 here leaves these records
            // in payloads.bin with nothing pointing at them.
            for (var i = 0; i < 100; i++)
            {
                segment.OverwritePayload(v + 1 + (ulong)i, (ulong)i, Json.Obj($$"""{"lost":{{i}},"pad":"{{new string('z', 200)}}"}"""));
            }
        }

        string replayed;
        using (var reopened = PointSegment.Open(path))
        {
            Assert.Equal(flushed, Describe(reopened, 300));

            // The WAL's replay of the same writes, then more: appended over the unreferenced bytes.
            for (var i = 0; i < 100; i++)
            {
                reopened.OverwritePayload(v + 1 + (ulong)i, (ulong)i, Json.Obj($$"""{"kept":{{i}}}"""));
            }

            reopened.Flush(v + 100);
            replayed = Describe(reopened, 300);
            Assert.Contains(Convert.ToBase64String(PayloadCodec.Encode(Json.Obj("""{"kept":1}"""))), replayed);
        }

        using var again = PointSegment.Open(path);
        Assert.Equal(replayed, Describe(again, 300));
    }

    [Fact]
    public void CopyPointFrom_MovesPayloadsBetweenPlacements_AndACopyLeavesTheGarbageBehind()
    {
        using var dir = new TempDirectory("ondisk");
        using var disk = PointSegment.Create(dir.Combine("disk"), Specs, onDiskPayload: true);
        Fill(disk, 300);
        Assert.True(disk.PayloadGarbageBytes > 0);

        using var heap = PointSegment.Create(dir.Combine("heap"), Specs);
        using var compacted = PointSegment.Create(dir.Combine("compacted"), Specs, onDiskPayload: true);
        foreach (var id in disk.Select(null))
        {
            Assert.True(heap.CopyPointFrom(disk, id));
            Assert.True(compacted.CopyPointFrom(heap, id));
        }

        var expected = Describe(disk, 300, withOffsets: false);
        Assert.Equal(expected, Describe(heap, 300, withOffsets: false));
        Assert.Equal(expected, Describe(compacted, 300, withOffsets: false));
        Assert.Equal(0, compacted.PayloadGarbageBytes);
        Assert.Equal(disk.PayloadLiveBytes, compacted.PayloadLiveBytes);

        // A payload read from the store is the caller's own: changing it changes nothing stored.
        Assert.True(compacted.TryGetPoint(1ul, true, null, out var payload, out _, out _));
        payload!["only"] = PayloadValue.FromBool(false);
        Assert.True(compacted.TryGetPoint(1ul, true, null, out var again, out _, out _));
        Assert.True(again!["only"]!.AsBool);
    }

    [Fact]
    public void DamagedPayloadFiles_AreReportedAsCorrupt()
    {
        using var dir = new TempDirectory("ondisk");
        var path = dir.Combine("s");
        using (var segment = PointSegment.Create(path, Specs, onDiskPayload: true))
        {
            segment.Upsert(1, 0ul, Vector(new Random(2)), PayloadOf(0));
            segment.Flush(1);
        }

        var file = Path.Combine(path, MappedPayloadStore.FileName);
        var bytes = File.ReadAllBytes(file);

        // A flipped byte inside a record: found when that payload is read.
        bytes[64 + 8 + 3] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        using (var reopened = PointSegment.Open(path))
        {
            Assert.Throws<InvalidDataException>(() => reopened.TryGetPoint(0ul, true, null, out _, out _, out _));
        }

        // No payload file at all: the segment does not open.
        File.Delete(file);
        Assert.Throws<InvalidDataException>(() => PointSegment.Open(path));
    }
}
