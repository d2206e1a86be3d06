using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AotVector.Common.Model;
using AotVector.Segment.Index.Payloads;
using AotVector.Segment.Payloads;
using AotVector.Segment.Vectors;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;
using AotVector.Storage.Vectors;
using CommunityToolkit.HighPerformance.Buffers;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Segment;

/// <remarks>
/// <para>On-disk layout of a segment directory:</para>
/// <list type="bullet">
/// <item><c>segment.state</c> (<see cref="StateFileName"/>): everything but the vectors as of some flush, replaced
/// atomically when it is rewritten.</item>
/// <item><c>segment.delta</c> (<see cref="DeltaFileName"/>): what later flushes changed, appended (see
/// PointSegment.Delta.cs), so a flush writes what changed instead of the whole state.</item>
/// <item><c>vectors-{hex}.bin</c>: one <see cref="VectorFile"/> per vector, <c>{hex}</c> = lower-case hex of the
/// name's UTF-8 bytes (empty for the unnamed vector); for a multivector it holds rows, and <c>rows-{hex}.bin</c>
/// maps each offset to its rows (see VectorColumn.Multi.cs).</item>
/// <item><c>sparse-{hex}.bin</c> and, once built, <c>postings-{hex}.bin</c>: a sparse vector and its inverted index
/// (see SparseColumn.cs).</item>
/// </list>
/// <para><c>segment.state</c>, little-endian:</para>
/// <list type="table">
/// <item><term>0..8</term><description>magic <c>"AVSEGST\0"</c></description></item>
/// <item><term>8..12</term><description>u32 format version (1 to 4; 3 has the body of 2 and says a delta file may
/// follow it, so a build that cannot read deltas refuses the segment instead of missing what they hold; 4 is a
/// segment whose payloads are in <c>payloads.bin</c>, see MappedPayloadStore.cs, and differs only in the payload
/// section)</description></item>
/// <item><term>12..16</term><description>u32 CRC-32C of the body</description></item>
/// <item><term>16..24</term><description>u64 body length</description></item>
/// <item><term>24..</term><description>body: u64 persisted version; u32 vector count, per vector: string name,
/// u32 dimension, u8 distance (bit 7 set: a multivector); u32 index count, per index: string field, u8 <see cref="FieldIndexType"/> (bit 7 set:
/// created with parameters) (for a text index then u32 length and <see cref="FullText.TextIndexParamsCodec"/> bytes;
/// with bit 7 then the <see cref="FieldIndexParamsCodec"/> bytes);
/// u32 offset count N, per offset: 17-byte <see cref="PointId"/>, u64 version, u8 flags (bit 0 = deleted);
/// per vector (in the order above) a presence bitmap of ceil(N/8) bytes (bit i = offset i has it);
/// (format 2) per vector: u32 count S, S u32 offsets rewritten after its graph was built ("stale");
/// u32 payload count, per payload: u32 offset, u32 length, <see cref="PayloadCodec"/> bytes (format 4: u32 offset,
/// u32 length, u64 position of its record in <c>payloads.bin</c>). Strings are u32 UTF-8 length then the bytes.</description></item>
/// </list>
/// </remarks>
public sealed partial class PointSegment
{
    /// <summary>Name of the state file inside the segment directory; its presence marks an existing segment.</summary>
    public const string StateFileName = "segment.state";

    public const uint StateFormatVersion = 4;

    // The newest format of a segment with its payloads on the heap (inline in the state file), which older builds read.
    private const uint HeapStateFormatVersion = 3;

    private const int HeaderSize = 24;

    // Set in an index's type byte when its creation parameters follow (after a text index's own); older files never set it.
    private const byte ParamsBit = 0x80;

    // Set in a vector's distance byte when the vector is a multivector; older files never set it.
    private const byte MultiBit = 0x80;

    private static ReadOnlySpan<byte> StateMagic => "AVSEGST\0"u8;

    /// <summary>
    /// Creates an empty segment in <paramref name="directory"/> (created if needed) and persists it at version 0.
    /// With <paramref name="onDiskPayload"/> its payloads live in a memory-mapped file read on demand instead of the heap.
    /// </summary>
    /// <exception cref="IOException">The directory already holds a segment.</exception>
    public static PointSegment Create(string directory, IReadOnlyDictionary<string, VectorSpec> vectors, ulong initialVersion = 0, bool onDiskPayload = false)
    {
        Directory.CreateDirectory(directory);
        if (File.Exists(Path.Combine(directory, StateFileName)))
        {
            throw new IOException($"'{directory}' already holds a segment.");
        }

        RemoveSparseFiles(directory);
        File.Delete(Path.Combine(directory, MappedPayloadStore.FileName));

        var columns = OpenColumns(directory, vectors.Select(v => (v.Key, v.Value)), fresh: true);
        PayloadStore payloads;
        try
        {
            payloads = onDiskPayload ? MappedPayloadStore.Create(directory) : new HeapPayloadStore();
        }
        catch
        {
            foreach (var column in columns.Values)
            {
                column.Dispose();
            }

            throw;
        }

        var segment = new PointSegment(directory, columns, payloads, initialVersion);
        segment.Flush(initialVersion);
        return segment;
    }

    /// <summary>Opens the segment in <paramref name="directory"/> as of its last <see cref="Flush"/>.</summary>
    /// <exception cref="InvalidDataException">The state file is corrupt or of an unknown format.</exception>
    public static PointSegment Open(string directory)
    {
        // Two passes over a stream, never the whole file in memory: the checksum first, so nothing is parsed from a
        // damaged file, then the parse (the second read comes from the page cache).
        var path = Path.Combine(directory, StateFileName);
        var (format, bodyCrc, bodyLength) = ValidateState(path, directory);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        stream.Position = HeaderSize;
        var reader = new StateReader(stream, bodyLength);

        var persistedVersion = reader.U64();
        var specs = new List<(string Name, VectorSpec Spec)>();
        for (var n = reader.U32(); n > 0; n--)
        {
            var name = reader.Str();
            var dimension = (int)reader.U32();
            var kind = reader.U8();
            specs.Add((name, new VectorSpec(dimension, (Distance)(kind & ~MultiBit), (kind & MultiBit) != 0)));
        }

        var indexes = new List<(string Field, FieldIndexType Type, Common.FullText.TextIndexParams? Text, FieldIndexParams? Params)>();
        for (var n = reader.U32(); n > 0; n--)
        {
            var field = reader.Str();
            var kind = reader.U8();
            var type = (FieldIndexType)(kind & ~ParamsBit);
            var text = type == FieldIndexType.Text ? FullText.TextIndexParamsCodec.Decode(reader.Bytes((int)reader.U32())) : null;
            var parameters = (kind & ParamsBit) != 0 ? FieldIndexParamsCodec.Decode(reader.Bytes(FieldIndexParamsCodec.Length)) : null;
            indexes.Add((field, type, text, parameters));
        }

        var columns = OpenColumns(directory, specs, fresh: false);
        PayloadStore payloads;
        try
        {
            payloads = format >= 4 ? MappedPayloadStore.Open(directory) : new HeapPayloadStore();
        }
        catch
        {
            foreach (var column in columns.Values)
            {
                column.Dispose();
            }

            throw;
        }

        var segment = new PointSegment(directory, columns, payloads, persistedVersion);
        try
        {
            var count = reader.U32();
            for (uint offset = 0; offset < count; offset++)
            {
                var id = PointId.ReadFrom(reader.Bytes(PointId.EncodedSize));
                var version = reader.U64();
                var flags = reader.U8();
                segment._ids.Restore(id, version, (flags & 1) != 0);
                segment._payloads.AddOffset();
            }

            foreach (var (name, _) in specs)
            {
                var bitmap = reader.Bytes((int)((count + 7) / 8));
                var column = columns[name];
                for (uint offset = 0; offset < count; offset++)
                {
                    if ((bitmap[(int)(offset / 8)] & (1 << (int)(offset % 8))) != 0)
                    {
                        if (offset >= column.StoredCount)
                        {
                            ThrowHelper.ThrowInvalidData($"Segment '{directory}': vector \"{name}\" of offset {offset} is missing from its vector file.");
                        }

                        column.SetPresent(offset, true);
                    }
                }
            }

            var stale = new Dictionary<string, List<uint>>(StringComparer.Ordinal);
            foreach (var (name, _) in specs)
            {
                var offsets = new List<uint>();
                for (var n = format >= 2 ? reader.U32() : 0; n > 0; n--)
                {
                    offsets.Add(reader.U32());
                }

                stale[name] = offsets;
            }

            for (var n = reader.U32(); n > 0; n--)
            {
                var offset = reader.U32();
                var length = (int)reader.U32();
                if (offset >= count)
                {
                    ThrowHelper.ThrowInvalidData($"Segment '{directory}': payload for unknown offset {offset}.");
                }

                if (payloads is MappedPayloadStore mapped)
                {
                    mapped.Restore(offset, (long)reader.U64(), length);
                }
                else
                {
                    payloads.Assign(offset, new StagedPayload(PayloadCodec.Decode(reader.Bytes(length)), 0, 0));
                }
            }

            segment.LoadDelta(bodyCrc, bodyLength, stale);
            segment.OpenSparse();
            foreach (var (field, type, text, parameters) in indexes)
            {
                segment.CreateFieldIndex(field, type, text, parameters);
            }

            segment.LoadGraphs(stale);
            return segment;
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Readies the vector files for <paramref name="points"/> more points, faulting their pages in so that
    /// appending them takes no page faults. Changes no data, so it needs none of the shard's locks.
    /// </summary>
    public void PrefaultAppend(int points)
    {
        ThrowIfDisposed();
        foreach (var column in _columns.Values)
        {
            column.PrefaultAppend(points);
        }
    }

    /// <summary>
    /// Grows the vector files to take <paramref name="points"/> more points, so upserting them cannot fail half-way
    /// for want of disk space: a full disk throws <see cref="IOException"/> here, before anything changed.
    /// </summary>
    public void ReserveAppend(int points)
    {
        ThrowIfDisposed();
        foreach (var column in _columns.Values)
        {
            column.ReserveAppend(points);
        }

        _payloads.Reserve(points);
    }

    /// <summary>
    /// Writes the vectors' dirty pages to disk and nothing else: the bulk of a <see cref="Flush"/>, safe to run
    /// alongside searches and writes, so the flush that follows under the shard's lock finds little left to sync.
    /// </summary>
    public void SyncVectors()
    {
        ThrowIfDisposed();
        foreach (var column in _columns.Values)
        {
            column.Flush();
        }

        // The payload file is synced before any state file or delta that points into it is written.
        _payloads.Sync();
    }

    /// <summary>
    /// Makes everything applied so far durable and records <paramref name="version"/> as <see cref="PersistedVersion"/>:
    /// the vector files are flushed, then what changed since the last flush is appended to the delta file, or, when
    /// the delta would outgrow the state file (or something a delta cannot express changed: field indexes, a graph),
    /// the whole state is rewritten and the delta starts over. Rewrites stay proportional to the changes: the state
    /// file is rewritten only after at least its own size was appended.
    /// </summary>
    public void Flush(ulong version)
    {
        SyncVectors();
        FlushSparse();
        if (_rewriteState || !TryAppendDelta(version))
        {
            WriteState(version);
        }

        PersistedVersion = version;
    }

    // Replaces the state file with the whole state at `version`, streamed to disk, then starts an empty delta for it.
    private void WriteState(ulong version)
    {
        uint bodyCrc;
        long bodyLength;
        using (var body = new AtomicFileWriter(Path.Combine(_directory, StateFileName), HeaderSize))
        {
            WriteStateBody(body, version);
            bodyCrc = body.BodyCrc;
            bodyLength = body.BodyLength;
            Span<byte> header = stackalloc byte[HeaderSize];
            StateMagic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], _payloads.OnDisk ? StateFormatVersion : HeapStateFormatVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], bodyCrc);
            BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)bodyLength);
            body.Commit(header);
        }

        StartDelta(bodyCrc, bodyLength);
    }

    private void WriteStateBody(IBufferWriter<byte> body, ulong version)
    {
        WriteU64(body, version);
        WriteU32(body, (uint)_columns.Count);
        foreach (var column in _columns.Values)
        {
            WriteString(body, column.Name);
            WriteU32(body, (uint)column.Dimension);
            WriteU8(body, (byte)((byte)column.Distance | (column.IsMulti ? MultiBit : 0)));
        }

        WriteU32(body, (uint)_indexes.Count);
        foreach (var index in _indexes.Indexes)
        {
            WriteString(body, index.Field);
            WriteU8(body, (byte)((byte)index.Type | (index.IndexParams is null ? 0 : ParamsBit)));
            if (index is TextIndex text)
            {
                var bytes = FullText.TextIndexParamsCodec.Encode(text.Params);
                WriteU32(body, (uint)bytes.Length);
                body.Write(bytes);
            }

            if (index.IndexParams is { } parameters)
            {
                body.Write(FieldIndexParamsCodec.Encode(parameters));
            }
        }

        var count = _ids.Count;
        WriteU32(body, count);
        for (uint offset = 0; offset < count; offset++)
        {
            WritePointId(body, _ids.IdAt(offset));
            WriteU64(body, _ids.VersionAt(offset));
            WriteU8(body, _ids.IsDeleted(offset) ? (byte)1 : (byte)0);
        }

        foreach (var column in _columns.Values)
        {
            // In pieces of at most 64 KiB (512 Ki offsets), so the streaming writer never needs a large span.
            const uint PieceOffsets = 8 * 65536;
            for (uint first = 0; first < count; first += PieceOffsets)
            {
                var end = Math.Min(count, first + PieceOffsets);
                var length = (int)((end - first + 7) / 8);
                var bitmap = body.GetSpan(length)[..length];
                bitmap.Clear();
                for (var offset = first; offset < end; offset++)
                {
                    if (column.Has(offset))
                    {
                        bitmap[(int)((offset - first) / 8)] |= (byte)(1 << (int)((offset - first) % 8));
                    }
                }

                body.Advance(length);
            }
        }

        foreach (var column in _columns.Values)
        {
            var stale = column.StaleToPersist().ToArray();
            WriteU32(body, (uint)stale.Length);
            foreach (var offset in stale)
            {
                WriteU32(body, offset);
            }
        }

        if (_payloads is MappedPayloadStore mapped)
        {
            WritePayloadTable(body, mapped);
            return;
        }

        var payloadCount = 0u;
        foreach (var offset in _ids.LiveOffsets())
        {
            payloadCount += _payloads.Get(offset) is null ? 0u : 1u;
        }

        WriteU32(body, payloadCount);
        var encoded = new ArrayBufferWriter<byte>(256);
        foreach (var offset in _ids.LiveOffsets())
        {
            if (_payloads.Get(offset) is { } payload)
            {
                encoded.ResetWrittenCount();
                PayloadCodec.Write(encoded, payload);
                WriteU32(body, offset);
                WriteU32(body, (uint)encoded.WrittenCount);
                body.Write(encoded.WrittenSpan);
            }
        }
    }

    // Format 4's payload section: where each live offset's record is in payloads.bin.
    private void WritePayloadTable(IBufferWriter<byte> body, MappedPayloadStore mapped)
    {
        var payloadCount = 0u;
        foreach (var offset in _ids.LiveOffsets())
        {
            payloadCount += mapped.At(offset).Length == 0 ? 0u : 1u;
        }

        WriteU32(body, payloadCount);
        foreach (var offset in _ids.LiveOffsets())
        {
            var (position, length) = mapped.At(offset);
            if (length != 0)
            {
                WriteU32(body, offset);
                WriteU32(body, (uint)length);
                WriteU64(body, (ulong)position);
            }
        }
    }

    // Checks the header and the body's checksum, reading the file in 1 MiB pieces.
    private static (uint Format, uint BodyCrc, long BodyLength) ValidateState(string path, string directory)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (fileLength < HeaderSize || !ReadFully(handle, header, 0) || !header[..8].SequenceEqual(StateMagic))
        {
            ThrowHelper.ThrowInvalidData($"Segment '{directory}': {StateFileName} is not a segment state file.");
        }

        var format = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (format is < 1 or > StateFormatVersion)
        {
            ThrowHelper.ThrowInvalidData($"Segment '{directory}': state format version {format}; this build reads 1 to {StateFormatVersion}.");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        if (length != (ulong)(fileLength - HeaderSize))
        {
            ThrowHelper.ThrowInvalidData($"Segment '{directory}': state file is {fileLength} bytes but its header says {length + HeaderSize}.");
        }

        using var owner = SpanOwner<byte>.Allocate(1 << 20);
        var buffer = owner.Span;
        uint crc = 0;
        for (long position = HeaderSize; position < fileLength;)
        {
            var read = RandomAccess.Read(handle, buffer[..(int)Math.Min(buffer.Length, fileLength - position)], position);
            if (read <= 0)
            {
                ThrowHelper.ThrowInvalidData($"Segment '{directory}': state file is shorter than its length.");
            }

            crc = Crc32C.Append(crc, buffer[..read]);
            position += read;
        }

        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(header[12..]))
        {
            ThrowHelper.ThrowInvalidData($"Segment '{directory}': state file checksum mismatch.");
        }

        return (format, crc, (long)length);
    }

    private static Dictionary<string, VectorColumn> OpenColumns(string directory, IEnumerable<(string Name, VectorSpec Spec)> specs, bool fresh)
    {
        var columns = new Dictionary<string, VectorColumn>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, spec) in specs)
            {
                var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(name));
                var path = Path.Combine(directory, "vectors-" + hex + ".bin");
                var rowsPath = Path.Combine(directory, "rows-" + hex + ".bin");
                if (fresh)
                {
                    // Left by a create that crashed before its first state file.
                    File.Delete(path);
                    File.Delete(rowsPath);
                }

                // A new file takes the spec's datatype; an existing one says its own (the state does not record it).
                if (!VectorFile.Open(path, spec.Dimension, fresh ? spec.Datatype : null).TryGet(out var file, out var error))
                {
                    throw new InvalidDataException($"Segment '{directory}': {error.Message}");
                }

                VectorFile? rowTable = null;
                if (spec.Multi && !VectorColumn.OpenRowTable(rowsPath).TryGet(out rowTable, out error))
                {
                    file.Dispose();
                    throw new InvalidDataException($"Segment '{directory}': {error.Message}");
                }

                columns[name] = new VectorColumn(name, spec with { Datatype = file.Datatype }, file, rowTable);
            }

            return columns;
        }
        catch
        {
            foreach (var column in columns.Values)
            {
                column.Dispose();
            }

            throw;
        }
    }

    // Sequential little-endian reads over a state body or a delta record, buffered from a stream or all in memory;
    // running past the end is corruption. A span returned by Bytes is valid until the next read.
    private sealed class StateReader
    {
        private readonly Stream? _stream;
        private byte[] _buffer;
        private int _start;
        private int _end;
        private long _left;

        public StateReader(Stream stream, long length)
        {
            _stream = stream;
            _buffer = new byte[64 * 1024];
            _left = length;
        }

        public StateReader(byte[] bytes, int offset, int length)
        {
            _buffer = bytes;
            _start = offset;
            _end = offset + length;
            _left = length;
        }

        public byte U8() => Bytes(1)[0];

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

        public string Str() => Encoding.UTF8.GetString(Bytes((int)U32()));

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length < 0 || length > _left)
            {
                ThrowHelper.ThrowInvalidData("Segment state file is truncated.");
            }

            if (_end - _start < length)
            {
                Fill(length);
            }

            var span = _buffer.AsSpan(_start, length);
            _start += length;
            _left -= length;
            return span;
        }

        // Only a stream-backed reader gets here: an in-memory one holds all its bytes from the start.
        private void Fill(int length)
        {
            var buffered = _end - _start;
            if (length > _buffer.Length)
            {
                var larger = new byte[Math.Max(length, _buffer.Length * 2)];
                _buffer.AsSpan(_start, buffered).CopyTo(larger);
                _buffer = larger;
            }
            else
            {
                _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
            }

            _start = 0;
            _end = buffered;
            var wanted = (int)Math.Min(_buffer.Length, _left) - buffered;
            _stream!.ReadExactly(_buffer.AsSpan(_end, wanted));
            _end += wanted;
        }
    }
}
