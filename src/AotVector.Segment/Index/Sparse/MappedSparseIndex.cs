using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;

namespace AotVector.Segment.Index.Sparse;

/// <summary>
/// The built inverted index of one sparse vector of a segment: immutable, written once beside the segment
/// (<c>postings-{hex}.bin</c>) and memory-mapped read-only at open, so a restart reopens it instead of rebuilding it.
/// It covers offsets [0, <see cref="CoveredCount"/>) as they were when it was built; its per-offset checksums tell
/// which of them were rewritten since, so the owner can set those aside (see SparseColumn).
/// </summary>
/// <remarks>
/// <para>File format, little-endian. Header (64 bytes): magic <c>"AVSPIDX\0"</c>; u32 format version (1); u32
/// <see cref="SparseValueType"/>; u32 flags (bit 0: built for on_disk); u32 covered offsets C; u32 dimensions D;
/// u32 CRC-32C of the body; u64 body length; u64 postings P; zeros to 64. Body: C u64 vector checksums (see
/// <see cref="ChecksumOf"/>); D directory entries of 24 bytes sorted by dimension (u32 dimension, u32 postings n,
/// u64 body position of the list, f32 min and f32 step of the uint8 scale, else zero); then per list n u32
/// offsets ascending and n weights (f32, f16 or u8), padded to 4 bytes.</para>
/// <para>The file is written to <c>.tmp</c>, synced and renamed, so it is either whole or absent; a damaged, short
/// or other-version file is refused at open (the body checksum is read through the page cache, not the mapping, so
/// opening an on_disk index does not fault its pages in).</para>
/// </remarks>
internal sealed class MappedSparseIndex : IDisposable
{
    public const uint FormatVersion = 1;
    private const int HeaderSize = 64;
    private const int EntrySize = 24;
    private const ulong AbsentChecksum = ulong.MaxValue;

    private static ReadOnlySpan<byte> Magic => "AVSPIDX\0"u8;

    private readonly ReadOnlyMappedFile _file;
    private readonly long _directory;

    private MappedSparseIndex(ReadOnlyMappedFile file, SparseValueType valueType, bool onDisk, uint covered, int dimensions, long postings)
    {
        _file = file;
        ValueType = valueType;
        OnDisk = onDisk;
        CoveredCount = covered;
        DimensionCount = dimensions;
        PostingCount = postings;
        _directory = HeaderSize + ((long)covered * sizeof(ulong));
    }

    public SparseValueType ValueType { get; }

    public bool OnDisk { get; }

    /// <summary>Offsets the index was built over (those without a vector then included).</summary>
    public uint CoveredCount { get; }

    public int DimensionCount { get; }

    public long PostingCount { get; }

    /// <summary>Bytes of the file.</summary>
    public long FileBytes => _file.Length;

    /// <summary>What the index records for a vector: CRC-32C of its indices (high half) and of its values; all ones when absent.</summary>
    public static ulong ChecksumOf(SparseVector? vector) =>
        vector is null
            ? AbsentChecksum
            : ((ulong)Crc32C.Compute(MemoryMarshal.AsBytes(vector.Indices.AsSpan())) << 32) | Crc32C.Compute(MemoryMarshal.AsBytes(vector.Values.AsSpan()));

    /// <summary>The checksum recorded for <paramref name="offset"/> (below <see cref="CoveredCount"/>).</summary>
    public ulong RecordedChecksum(uint offset) =>
        BinaryPrimitives.ReadUInt64LittleEndian(_file.GetSpan(HeaderSize + ((long)offset * sizeof(ulong)), sizeof(ulong)));

    /// <summary>
    /// Writes the index of <paramref name="vectors"/> (by offset, indices ascending; null = no vector) to
    /// <paramref name="path"/> atomically. Each posting list comes out in ascending offset order because offsets are
    /// visited in order.
    /// </summary>
    public static void Write(string path, IReadOnlyList<SparseVector?> vectors, SparseValueType valueType, bool onDisk, CancellationToken ct)
    {
        // Postings per dimension: counted, laid out by dimension, then filled in offset order.
        var counts = new Dictionary<uint, int>();
        long total = 0;
        foreach (var vector in vectors)
        {
            if (vector is null)
            {
                continue;
            }

            foreach (var dimension in vector.Indices)
            {
                counts[dimension] = counts.GetValueOrDefault(dimension) + 1;
            }

            total += vector.Indices.Length;
        }

        ct.ThrowIfCancellationRequested();
        var dimensions = counts.Keys.ToArray();
        Array.Sort(dimensions);
        var slot = new Dictionary<uint, int>(dimensions.Length);
        var starts = new long[dimensions.Length + 1];
        for (var d = 0; d < dimensions.Length; d++)
        {
            slot[dimensions[d]] = d;
            starts[d + 1] = starts[d] + counts[dimensions[d]];
        }

        var offsets = new uint[total];
        var weights = new float[total];
        var fill = (long[])starts.Clone();
        for (var offset = 0; offset < vectors.Count; offset++)
        {
            if (vectors[offset] is not { } vector)
            {
                continue;
            }

            for (var i = 0; i < vector.Indices.Length; i++)
            {
                var at = fill[slot[vector.Indices[i]]]++;
                offsets[at] = (uint)offset;
                weights[at] = vector.Values[i];
            }

            if ((offset & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }

        var weightBytes = valueType switch { SparseValueType.Float16 => 2, SparseValueType.UInt8 => 1, _ => 4 };
        using var body = new AtomicFileWriter(path, HeaderSize);
        foreach (var vector in vectors)
        {
            LittleEndianWriter.WriteU64(body, ChecksumOf(vector));
        }

        var position = ((long)vectors.Count * sizeof(ulong)) + ((long)dimensions.Length * EntrySize);
        var scales = new (float Min, float Step)[dimensions.Length];
        for (var d = 0; d < dimensions.Length; d++)
        {
            var n = (int)(starts[d + 1] - starts[d]);
            if (valueType == SparseValueType.UInt8)
            {
                var list = weights.AsSpan((int)starts[d], n);
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                foreach (var w in list)
                {
                    min = Math.Min(min, w);
                    max = Math.Max(max, w);
                }

                scales[d] = (min, (max - min) / 255f);
            }

            var entry = body.GetSpan(EntrySize)[..EntrySize];
            BinaryPrimitives.WriteUInt32LittleEndian(entry, dimensions[d]);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)n);
            BinaryPrimitives.WriteInt64LittleEndian(entry[8..], position);
            BinaryPrimitives.WriteSingleLittleEndian(entry[16..], scales[d].Min);
            BinaryPrimitives.WriteSingleLittleEndian(entry[20..], scales[d].Step);
            body.Advance(EntrySize);
            position += ListBytes(n, weightBytes);
        }

        for (var d = 0; d < dimensions.Length; d++)
        {
            ct.ThrowIfCancellationRequested();
            var first = (int)starts[d];
            var n = (int)(starts[d + 1] - starts[d]);
            System.Buffers.BuffersExtensions.Write(body, MemoryMarshal.AsBytes(offsets.AsSpan(first, n)));
            var list = weights.AsSpan(first, n);
            switch (valueType)
            {
                case SparseValueType.Float16:
                    foreach (var w in list)
                    {
                        BinaryPrimitives.WriteHalfLittleEndian(body.GetSpan(2), (Half)w);
                        body.Advance(2);
                    }

                    break;
                case SparseValueType.UInt8:
                    var (min, step) = scales[d];
                    foreach (var w in list)
                    {
                        body.GetSpan(1)[0] = step > 0 ? (byte)Math.Clamp(MathF.Round((w - min) / step), 0f, 255f) : (byte)0;
                        body.Advance(1);
                    }

                    break;
                default:
                    System.Buffers.BuffersExtensions.Write(body, MemoryMarshal.AsBytes(list));
                    break;
            }

            var padding = (int)(ListBytes(n, weightBytes) - (n * (4L + weightBytes)));
            body.GetSpan(padding)[..padding].Clear();
            body.Advance(padding);
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)valueType);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], onDisk ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)vectors.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)dimensions.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], body.BodyCrc);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], body.BodyLength);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], total);
        body.Commit(header);
    }

    /// <summary>Maps the index at <paramref name="path"/>; null with the reason when it is missing, damaged or of another format.</summary>
    public static MappedSparseIndex? TryOpen(string path, out string? problem)
    {
        if (!File.Exists(path))
        {
            problem = "missing";
            return null;
        }

        ReadOnlyMappedFile file;
        try
        {
            file = ReadOnlyMappedFile.Open(path);
        }
        catch (IOException e)
        {
            problem = e.Message;
            return null;
        }

        var index = Validate(file, out problem);
        if (index is null)
        {
            file.Dispose();
        }

        return index;
    }

    private static MappedSparseIndex? Validate(ReadOnlyMappedFile file, out string? problem)
    {
        problem = null;
        if (file.Length < HeaderSize)
        {
            problem = "shorter than its header";
            return null;
        }

        var header = file.GetSpan(0, HeaderSize);
        if (!header[..8].SequenceEqual(Magic))
        {
            problem = "not a sparse index file";
            return null;
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            problem = $"format version {version}; this build reads {FormatVersion}";
            return null;
        }

        var valueType = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var covered = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        var dimensions = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[28..]);
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        var postings = BinaryPrimitives.ReadInt64LittleEndian(header[40..]);
        if (valueType > (uint)SparseValueType.UInt8 || bodyLength != file.Length - HeaderSize || postings < 0
            || ((long)covered * sizeof(ulong)) + ((long)dimensions * EntrySize) > bodyLength || dimensions > int.MaxValue)
        {
            problem = "inconsistent header";
            return null;
        }

        if (!BodyChecksumMatches(file.Path, bodyLength, crc))
        {
            problem = "body checksum mismatch";
            return null;
        }

        var index = new MappedSparseIndex(file, (SparseValueType)valueType, (BinaryPrimitives.ReadUInt32LittleEndian(header[16..]) & 1) != 0, covered, (int)dimensions, postings);
        if (!index.ListsInBounds())
        {
            problem = "a posting list lies outside the file";
            return null;
        }

        return index;
    }

    // Read with read(2) through a buffer, so checking an on_disk index maps none of its pages into this process.
    private static bool BodyChecksumMatches(string path, long bodyLength, uint expected)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[1 << 20];
        uint crc = 0;
        for (long done = 0; done < bodyLength;)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, bodyLength - done)), HeaderSize + done);
            if (read <= 0)
            {
                return false;
            }

            crc = Crc32C.Append(crc, buffer.AsSpan(0, read));
            done += read;
        }

        return crc == expected;
    }

    private bool ListsInBounds()
    {
        var weightBytes = WeightBytes;
        for (var d = 0; d < DimensionCount; d++)
        {
            var entry = Entry(d);
            var n = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
            var at = BinaryPrimitives.ReadInt64LittleEndian(entry[8..]);
            if (at < 0 || (at & 3) != 0 || HeaderSize + at + ListBytes(n, weightBytes) > _file.Length)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Faults the whole file in (an index kept resident).</summary>
    public void Prefault() => _file.Prefault();

    /// <summary>Postings at <paramref name="dimension"/>, stale ones included.</summary>
    public int Frequency(uint dimension) => Find(dimension) is { } d ? (int)BinaryPrimitives.ReadUInt32LittleEndian(Entry(d)[4..]) : 0;

    /// <summary>
    /// As <see cref="SparseInvertedIndex.Accumulate"/>, over the list of one dimension with query weight
    /// <paramref name="weight"/>, skipping offsets marked in <paramref name="stale"/>.
    /// </summary>
    public void Accumulate(uint dimension, float weight, bool[]? stale, float[] scores, bool[] touched, List<uint> order)
    {
        if (Find(dimension) is not { } d)
        {
            return;
        }

        var list = List(d);
        var offsets = list.Offsets;
        var values = list.Values;
        var min = list.Min;
        var step = list.Step;
        switch (ValueType)
        {
            case SparseValueType.Float32:
                var floats = MemoryMarshal.Cast<byte, float>(values);
                for (var p = 0; p < offsets.Length; p++)
                {
                    Add(offsets[p], weight * floats[p], stale, scores, touched, order);
                }

                break;
            case SparseValueType.Float16:
                var halves = MemoryMarshal.Cast<byte, Half>(values);
                for (var p = 0; p < offsets.Length; p++)
                {
                    Add(offsets[p], weight * (float)halves[p], stale, scores, touched, order);
                }

                break;
            default:
                for (var p = 0; p < offsets.Length; p++)
                {
                    Add(offsets[p], weight * (min + (values[p] * step)), stale, scores, touched, order);
                }

                break;
        }
    }

    // An offset past the scores belongs to a point the segment no longer has (its checksum marked it stale anyway).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Add(uint offset, float contribution, bool[]? stale, float[] scores, bool[] touched, List<uint> order)
    {
        if ((stale is not null && stale[offset]) || offset >= (uint)scores.Length)
        {
            return;
        }

        if (!touched[offset])
        {
            touched[offset] = true;
            order.Add(offset);
        }

        scores[offset] += contribution;
    }

    /// <summary>Calls <paramref name="visit"/> with the dimension of every posting whose offset is marked in <paramref name="marked"/>.</summary>
    public void ForEachMarkedPosting(bool[] marked, Action<uint> visit)
    {
        for (var d = 0; d < DimensionCount; d++)
        {
            var dimension = BinaryPrimitives.ReadUInt32LittleEndian(Entry(d));
            foreach (var offset in List(d).Offsets)
            {
                if (offset < marked.Length && marked[offset])
                {
                    visit(dimension);
                }
            }
        }
    }

    public void Dispose() => _file.Dispose();

    private int WeightBytes => ValueType switch { SparseValueType.Float16 => 2, SparseValueType.UInt8 => 1, _ => 4 };

    private static long ListBytes(long n, int weightBytes) => ((n * (4 + weightBytes)) + 3) & ~3L;

    private ReadOnlySpan<byte> Entry(int d) => _file.GetSpan(_directory + ((long)d * EntrySize), EntrySize);

    private PostingList List(int d)
    {
        var entry = Entry(d);
        var n = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
        var at = HeaderSize + BinaryPrimitives.ReadInt64LittleEndian(entry[8..]);
        return new PostingList(
            MemoryMarshal.Cast<byte, uint>(_file.GetSpan(at, n * 4)),
            _file.GetSpan(at + (n * 4L), n * WeightBytes),
            BinaryPrimitives.ReadSingleLittleEndian(entry[16..]),
            BinaryPrimitives.ReadSingleLittleEndian(entry[20..]));
    }

    // One dimension's list in the mapping: offsets, weights as stored, and the uint8 scale.
    private readonly ref struct PostingList(ReadOnlySpan<uint> offsets, ReadOnlySpan<byte> values, float min, float step)
    {
        public ReadOnlySpan<uint> Offsets { get; } = offsets;

        public ReadOnlySpan<byte> Values { get; } = values;

        public float Min { get; } = min;

        public float Step { get; } = step;
    }

    // Binary search of the directory, which is sorted by dimension.
    private int? Find(uint dimension)
    {
        int low = 0, high = DimensionCount - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var at = BinaryPrimitives.ReadUInt32LittleEndian(Entry(mid));
            if (at == dimension)
            {
                return mid;
            }

            if (at < dimension)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return null;
    }
}
