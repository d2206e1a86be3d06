using System.Buffers.Binary;
using AotVector.Common.Errors;
using AotVector.Storage.Checksums;
using AotVector.Storage.WriteAheadLog;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class WalTests
{
    private const int SegmentHeader = 32;

    // 40-byte payloads make 56-byte entries: 4 per 256-byte segment (32 + 4 * 56 = 256).
    private const int FixedPayload = 40;
    private const int FixedEntry = 56;
    private static readonly WalOptions s_fourPerSegment = new() { SegmentCapacityBytes = 256 };

    [Fact]
    public void Open_EmptyDirectory_StartsAtInitialSequence()
    {
        using var dir = new TempDirectory();
        using var wal = OpenOk(dir.Path, new WalOptions { InitialSequence = 50 });

        Assert.Equal(50ul, wal.FirstSequence);
        Assert.Equal(49ul, wal.LastSequence);
        Assert.True(wal.Recovery.IsClean);
        Assert.Empty(ReadAll(wal));
        Assert.Equal(50ul, wal.Append([1]));
    }

    [Fact]
    public void Open_InvalidOptions_ReturnsBadRequest()
    {
        using var dir = new TempDirectory();

        Assert.Equal(ErrorKind.BadRequest, Wal.Open(dir.Path, new WalOptions { SegmentCapacityBytes = 10 }).Error.Kind);
        Assert.Equal(ErrorKind.BadRequest, Wal.Open(dir.Path, new WalOptions { RetainClosedSegments = -1 }).Error.Kind);
        Assert.Equal(ErrorKind.BadRequest, Wal.Open(dir.Path, new WalOptions { InitialSequence = 0 }).Error.Kind);
    }

    [Fact]
    public void Append_Sequence_ReturnsConsecutiveNumbers()
    {
        using var dir = new TempDirectory();
        using var wal = OpenOk(dir.Path);

        Assert.Equal(1ul, wal.Append([1]));
        Assert.Equal(2ul, wal.Append([]));
        Assert.Equal(3ul, wal.Append(new byte[1000]));
        Assert.Equal(1ul, wal.FirstSequence);
        Assert.Equal(3ul, wal.LastSequence);
    }

    [Fact]
    public void Append_ThenReopen_ReplaysAllEntries()
    {
        using var dir = new TempDirectory();
        var payloads = Enumerable.Range(0, 200).Select(Payload).ToList();
        using (var wal = OpenOk(dir.Path))
        {
            foreach (var p in payloads)
            {
                wal.Append(p);
            }
        }

        using var reopened = OpenOk(dir.Path);

        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal(200ul, reopened.LastSequence);
        AssertEntries(ReadAll(reopened), 1, payloads);
        Assert.Equal(201ul, reopened.Append([7]));
    }

    [Fact]
    public void Append_EmptyPayload_RoundTrips()
    {
        using var dir = new TempDirectory();
        using (var wal = OpenOk(dir.Path))
        {
            wal.Append([]);
            wal.Append([]);
        }

        using var reopened = OpenOk(dir.Path);

        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal([(1ul, 0), (2ul, 0)], ReadAll(reopened).Select(e => (e.Seq, e.Payload.Length)));
    }

    [Fact]
    public void Append_FileLayout_MatchesDocumentedFormat()
    {
        using var dir = new TempDirectory();
        using (var wal = OpenOk(dir.Path))
        {
            wal.Append([1, 2, 3]);
        }

        var bytes = File.ReadAllBytes(SegmentFiles(dir.Path).Single());

        Assert.Equal("00000000000000000001.wal", Path.GetFileName(SegmentFiles(dir.Path).Single()));
        Assert.Equal("AVWAL\r\n\u001a"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, 24)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)));

        // Entry: [u32 len][u32 crc(seq + payload)][u64 seq][payload][pad to 8].
        Assert.Equal(SegmentHeader + 24, bytes.Length);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(40, 8 + 3)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(36)));
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0, 0, 0, 0 }, bytes[48..56]);
    }

    [Fact]
    public void Open_TornLastEntry_RecoversExactPrefixForEveryTruncationLength()
    {
        using var template = new TempDirectory();
        var payloads = Enumerable.Range(0, 5).Select(i => Fill(37, (byte)i)).ToList();
        using (var wal = OpenOk(template.Path))
        {
            payloads.ForEach(p => wal.Append(p));
        }

        var segmentName = Path.GetFileName(SegmentFiles(template.Path).Single());
        var full = File.ReadAllBytes(Path.Combine(template.Path, segmentName));
        var lastEntryStart = full.Length - 56;

        for (var cut = lastEntryStart; cut < full.Length; cut++)
        {
            using var dir = new TempDirectory();
            File.WriteAllBytes(Path.Combine(dir.Path, segmentName), full[..cut]);

            using (var wal = OpenOk(dir.Path))
            {
                Assert.Equal(4ul, wal.LastSequence);
                Assert.Equal(cut - lastEntryStart, wal.Recovery.TruncatedBytes);
                Assert.Equal(cut == lastEntryStart, wal.Recovery.IsClean);
                AssertEntries(ReadAll(wal), 1, payloads[..4]);
                Assert.Equal(5ul, wal.Append([0xEE]));
            }

            using var again = OpenOk(dir.Path);
            Assert.True(again.Recovery.IsClean);
            AssertEntries(ReadAll(again), 1, [.. payloads[..4], [0xEE]]);
        }
    }

    [Fact]
    public void Open_ZeroFilledTail_IsCutAndEntriesKept()
    {
        using var dir = new TempDirectory();
        var payloads = Enumerable.Range(0, 3).Select(Payload).ToList();
        using (var wal = OpenOk(dir.Path))
        {
            payloads.ForEach(p => wal.Append(p));
        }

        var path = SegmentFiles(dir.Path).Single();
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(new byte[4096]);
        }

        using var reopened = OpenOk(dir.Path);

        Assert.Equal(4096, reopened.Recovery.TruncatedBytes);
        AssertEntries(ReadAll(reopened), 1, payloads);
    }

    [Fact]
    public void Open_BitFlipInLastEntry_TruncatesAtThatEntry()
    {
        using var template = new TempDirectory();
        var payloads = Enumerable.Range(0, 4).Select(i => Fill(21, (byte)(i + 1))).ToList();
        using (var wal = OpenOk(template.Path))
        {
            payloads.ForEach(p => wal.Append(p));
        }

        var segmentName = Path.GetFileName(SegmentFiles(template.Path).Single());
        var full = File.ReadAllBytes(Path.Combine(template.Path, segmentName));
        var entrySize = 40;
        var lastEntryStart = full.Length - entrySize;

        // Every byte the entry's checksum, length or sequence protects (the padding is not checked).
        for (var position = lastEntryStart; position < lastEntryStart + 16 + 21; position++)
        {
            using var dir = new TempDirectory();
            var damaged = (byte[])full.Clone();
            damaged[position] ^= (byte)(1 << (position % 8));
            File.WriteAllBytes(Path.Combine(dir.Path, segmentName), damaged);

            using var wal = OpenOk(dir.Path);

            Assert.Equal(3ul, wal.LastSequence);
            Assert.Equal(entrySize, wal.Recovery.TruncatedBytes);
            Assert.Contains("entry 4", wal.Recovery.Detail);
            AssertEntries(ReadAll(wal), 1, payloads[..3]);
        }
    }

    [Fact]
    public void Open_BitFlipInMiddleEntry_DropsItAndEverythingAfter()
    {
        using var dir = new TempDirectory();
        var payloads = Enumerable.Range(0, 30).Select(i => Fill(FixedPayload, (byte)i)).ToList();
        using (var wal = OpenOk(dir.Path, s_fourPerSegment))
        {
            payloads.ForEach(p => wal.Append(p));
        }

        var files = SegmentFiles(dir.Path);
        Assert.Equal(8, files.Length);

        // Sequence 6 is the second entry of the second segment (5..8); flip a payload bit.
        var damagedEntryOffset = SegmentHeader + FixedEntry;
        var expectedCut = new FileInfo(files[1]).Length - damagedEntryOffset + files[2..].Sum(f => new FileInfo(f).Length);
        var bytes = File.ReadAllBytes(files[1]);
        bytes[SegmentHeader + FixedEntry + 16 + 10] ^= 0x10;
        File.WriteAllBytes(files[1], bytes);

        using (var wal = OpenOk(dir.Path, s_fourPerSegment))
        {
            Assert.Equal(5ul, wal.LastSequence);
            Assert.Equal(6, wal.Recovery.DroppedSegments);
            Assert.Equal(2, wal.SegmentCount);
            Assert.Equal(expectedCut, wal.Recovery.TruncatedBytes);
            AssertEntries(ReadAll(wal), 1, payloads[..5]);
            Assert.Equal(6ul, wal.Append(Fill(FixedPayload, 0xAA)));
        }

        using var again = OpenOk(dir.Path, s_fourPerSegment);
        Assert.True(again.Recovery.IsClean);
        Assert.Equal(6ul, again.LastSequence);
    }

    [Fact]
    public void Open_BadHeaderInOnlySegment_DropsItAndKeepsNumbering()
    {
        using var dir = new TempDirectory();
        using (var wal = OpenOk(dir.Path, new WalOptions { InitialSequence = 10 }))
        {
            wal.Append([1]);
        }

        var path = SegmentFiles(dir.Path).Single();
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        using var reopened = OpenOk(dir.Path);

        Assert.Equal(1, reopened.Recovery.DroppedSegments);
        Assert.Equal(bytes.Length, reopened.Recovery.TruncatedBytes);
        Assert.Equal(10ul, reopened.FirstSequence);
        Assert.Equal(9ul, reopened.LastSequence);
        Assert.Empty(ReadAll(reopened));
    }

    [Fact]
    public void Open_EmptyNewestSegmentFile_IsDropped()
    {
        using var dir = new TempDirectory();
        using (var wal = OpenOk(dir.Path))
        {
            wal.Append([1]);
        }

        // A crash between creating the next segment file and writing its header.
        File.WriteAllBytes(Path.Combine(dir.Path, "00000000000000000002.wal"), []);

        using var reopened = OpenOk(dir.Path);

        Assert.Equal(1, reopened.Recovery.DroppedSegments);
        Assert.Equal(1ul, reopened.LastSequence);
        Assert.Equal(2ul, reopened.Append([2]));
    }

    [Fact]
    public void Open_MissingMiddleSegment_DropsLaterSegments()
    {
        using var dir = new TempDirectory();
        using (var wal = OpenOk(dir.Path, s_fourPerSegment))
        {
            for (var i = 0; i < 12; i++)
            {
                wal.Append(Fill(FixedPayload, (byte)i));
            }
        }

        var files = SegmentFiles(dir.Path);
        File.Delete(files[1]);

        using var reopened = OpenOk(dir.Path, s_fourPerSegment);

        Assert.Equal(4ul, reopened.LastSequence);
        Assert.Equal(1, reopened.Recovery.DroppedSegments);
        Assert.False(File.Exists(files[2]));
    }

    [Fact]
    public void Open_NewerFormatVersion_FailsWithoutTouchingFiles()
    {
        using var dir = new TempDirectory();
        using (var wal = OpenOk(dir.Path))
        {
            wal.Append([1, 2]);
        }

        var path = SegmentFiles(dir.Path).Single();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), Crc32C.Compute(bytes.AsSpan(0, 24)));
        File.WriteAllBytes(path, bytes);

        var result = Wal.Open(dir.Path, WalOptions.Default);

        Assert.False(result.IsOk);
        Assert.Equal(ErrorKind.Internal, result.Error.Kind);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Append_PastCapacity_RollsToNewSegment()
    {
        using var dir = new TempDirectory();
        var payloads = Enumerable.Range(0, 10).Select(i => Fill(FixedPayload, (byte)i)).ToList();
        using (var wal = OpenOk(dir.Path, s_fourPerSegment))
        {
            payloads.ForEach(p => wal.Append(p));
            Assert.Equal(3, wal.SegmentCount);
        }

        Assert.Equal(
            ["00000000000000000001.wal", "00000000000000000005.wal", "00000000000000000009.wal"],
            SegmentFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(256, new FileInfo(SegmentFiles(dir.Path)[0]).Length);

        using var reopened = OpenOk(dir.Path, s_fourPerSegment);
        Assert.True(reopened.Recovery.IsClean);
        AssertEntries(ReadAll(reopened), 1, payloads);
        Assert.Equal(11ul, reopened.Append(Fill(FixedPayload, 0)));
        Assert.Equal(3, reopened.SegmentCount);
    }

    [Fact]
    public void Append_EntryLargerThanCapacity_GetsOwnSegment()
    {
        using var dir = new TempDirectory();
        byte[] big = Fill(1000, 9);
        using (var wal = OpenOk(dir.Path, s_fourPerSegment))
        {
            wal.Append([1]);
            wal.Append(big);
            wal.Append([2]);
            Assert.Equal(3, wal.SegmentCount);
        }

        using var reopened = OpenOk(dir.Path, s_fourPerSegment);
        Assert.True(reopened.Recovery.IsClean);
        AssertEntries(ReadAll(reopened), 1, [[1], big, [2]]);
    }

    [Fact]
    public void Append_LargeFirstEntryInFreshLog_StaysInFirstSegment()
    {
        using var dir = new TempDirectory();
        using var wal = OpenOk(dir.Path, s_fourPerSegment);

        wal.Append(Fill(1000, 1));

        Assert.Equal(1, wal.SegmentCount);
    }

    [Fact]
    public void ReadFrom_MiddleSequence_StartsThereAcrossSegments()
    {
        using var dir = new TempDirectory();
        var payloads = Enumerable.Range(0, 14).Select(i => Fill(FixedPayload, (byte)i)).ToList();
        using var wal = OpenOk(dir.Path, s_fourPerSegment);
        payloads.ForEach(p => wal.Append(p));

        AssertEntries(ReadAll(wal, 7), 7, payloads[6..]);
        Assert.Empty(ReadAll(wal, 15));
        AssertEntries(ReadAll(wal, 0), 1, payloads);
    }

    [Fact]
    public void ReadFrom_AppendsAfterCall_AreNotIncluded()
    {
        using var dir = new TempDirectory();
        using var wal = OpenOk(dir.Path);
        wal.Append([1]);

        var replay = wal.ReadFrom(1);
        wal.Append([2]);

        Assert.Single(replay);
    }

    [Fact]
    public void TruncateBefore_CoveredClosedSegments_AreDeletedKeepingRetained()
    {
        using var dir = new TempDirectory();
        var payloads = Enumerable.Range(0, 20).Select(i => Fill(FixedPayload, (byte)i)).ToList();
        using (var wal = OpenOk(dir.Path, s_fourPerSegment))
        {
            payloads.ForEach(p => wal.Append(p));
            Assert.Equal(5, wal.SegmentCount);

            // Closed: 1-4, 5-8, 9-12, 13-16; open: 17-20.
            Assert.Equal(2, wal.TruncateBefore(10));
            Assert.Equal(9ul, wal.FirstSequence);
            AssertEntries(ReadAll(wal, 1), 9, payloads[8..]);

            Assert.Equal(0, wal.TruncateBefore(12));

            // Both remaining closed segments are covered, but one is retained.
            Assert.Equal(1, wal.TruncateBefore(1000));
            Assert.Equal(13ul, wal.FirstSequence);
            Assert.Equal(20ul, wal.LastSequence);
        }

        using var reopened = OpenOk(dir.Path, s_fourPerSegment);
        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal(13ul, reopened.FirstSequence);
        AssertEntries(ReadAll(reopened), 13, payloads[12..]);
        Assert.Equal(21ul, reopened.Append([1]));
    }

    [Fact]
    public void TruncateBefore_RetainZero_KeepsOnlyOpenSegment()
    {
        using var dir = new TempDirectory();
        using var wal = OpenOk(dir.Path, s_fourPerSegment with { RetainClosedSegments = 0 });
        for (var i = 0; i < 10; i++)
        {
            wal.Append(Fill(FixedPayload, (byte)i));
        }

        Assert.Equal(2, wal.TruncateBefore(ulong.MaxValue));

        Assert.Equal(1, wal.SegmentCount);
        Assert.Equal(9ul, wal.FirstSequence);
        Assert.Equal([9ul, 10ul], ReadAll(wal).Select(e => e.Seq));
    }

    [Fact]
    public void FlushUpTo_AfterAppend_AdvancesDurableSequence()
    {
        using var dir = new TempDirectory();
        using var wal = OpenOk(dir.Path);
        var first = wal.Append([1]);
        var second = wal.Append([2]);

        Assert.True(wal.DurableSequence < first);
        wal.FlushUpTo(first);
        Assert.True(wal.DurableSequence >= first);

        wal.Flush(durable: true);
        Assert.Equal(second, wal.DurableSequence);

        // Already covered: returns at once.
        wal.FlushUpTo(first);
        Assert.Equal(second, wal.DurableSequence);
    }

    [Fact]
    public void Append_ConcurrentThreads_UniqueMonotonicSequencesAllReplay()
    {
        using var dir = new TempDirectory();
        const int threads = 4;
        const int perThread = 300;
        var options = new WalOptions { SegmentCapacityBytes = 1024 };
        var assigned = new ulong[threads][];

        using (var wal = OpenOk(dir.Path, options))
        {
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                var mine = new ulong[perThread];
                var payload = new byte[8];
                for (var i = 0; i < perThread; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(payload, t);
                    BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), i);
                    mine[i] = wal.Append(payload);
                    if (i % 10 == 0)
                    {
                        wal.FlushUpTo(mine[i]);
                        Assert.True(wal.DurableSequence >= mine[i]);
                    }
                }

                assigned[t] = mine;
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            wal.Flush(durable: true);
        }

        foreach (var mine in assigned)
        {
            for (var i = 1; i < mine.Length; i++)
            {
                Assert.True(mine[i] > mine[i - 1]);
            }
        }

        var all = assigned.SelectMany(a => a).Order().ToList();
        Assert.Equal(Enumerable.Range(1, threads * perThread).Select(i => (ulong)i), all);

        using var reopened = OpenOk(dir.Path, options);
        Assert.True(reopened.Recovery.IsClean);
        var entries = ReadAll(reopened);
        Assert.Equal(threads * perThread, entries.Count);
        foreach (var (seq, payload) in entries)
        {
            var t = BinaryPrimitives.ReadInt32LittleEndian(payload);
            var i = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4));
            Assert.Equal(assigned[t][i], seq);
        }
    }

    [Fact]
    public void Append_AfterDispose_Throws()
    {
        using var dir = new TempDirectory();
        var wal = OpenOk(dir.Path);
        wal.Dispose();

        Assert.Throws<ObjectDisposedException>(() => wal.Append([1]));
        Assert.Throws<ObjectDisposedException>(() => wal.ReadFrom(1));
    }

    [Fact]
    public void Open_TwiceSequentially_EachRecoveryClean()
    {
        using var dir = new TempDirectory();
        for (var round = 0; round < 3; round++)
        {
            using var wal = OpenOk(dir.Path, s_fourPerSegment);
            Assert.True(wal.Recovery.IsClean);
            Assert.Equal((ulong)(round * 5), wal.LastSequence);
            for (var i = 0; i < 5; i++)
            {
                wal.Append(Fill(FixedPayload, (byte)i));
            }
        }
    }

    private static Wal OpenOk(string directory, WalOptions? options = null)
    {
        var result = Wal.Open(directory, options ?? WalOptions.Default);
        Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);
        return result.Value!;
    }

    private static List<(ulong Seq, byte[] Payload)> ReadAll(Wal wal, ulong from = 0) =>
        wal.ReadFrom(from).Select(e => (e.Seq, e.Payload.ToArray())).ToList();

    private static void AssertEntries(List<(ulong Seq, byte[] Payload)> entries, ulong firstSequence, IReadOnlyList<byte[]> expected)
    {
        Assert.Equal(expected.Count, entries.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(firstSequence + (ulong)i, entries[i].Seq);
            Assert.Equal(expected[i], entries[i].Payload);
        }
    }

    private static string[] SegmentFiles(string directory) =>
        Directory.GetFiles(directory, "*.wal").Order(StringComparer.Ordinal).ToArray();

    private static byte[] Payload(int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[rng.Next(0, 100)];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Fill(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
