using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Storage.Files;

namespace AotVector.Storage.Vectors;

/// <summary>
/// Dense vectors of one named vector of one segment, addressed by internal offset, in a memory-mapped file that grows
/// as vectors are set. Values are float32, float16 or uint8 (<see cref="Datatype"/>); the float accessors are for
/// float32 files, the record accessors give any file's stored bytes.
/// </summary>
/// <remarks>
/// <para>File format (little-endian):</para>
/// <list type="table">
///   <listheader><term>Bytes</term><description>Field</description></listheader>
///   <item><term>0..8</term><description>magic <c>"AVVECF32"</c></description></item>
///   <item><term>8..12</term><description>u32 format version (1)</description></item>
///   <item><term>12..16</term><description>u32 dimension</description></item>
///   <item><term>16..20</term><description>u32 element type, a <see cref="VectorDatatype"/> (0 = float32, 1 = float16,
///   2 = uint8; builds before float16 and uint8 refuse any but 0)</description></item>
///   <item><term>20..24</term><description>u32 count: vectors at offsets [0, count) are present</description></item>
///   <item><term>24..64</term><description>reserved, zero</description></item>
///   <item><term>64..</term><description>count × dimension values of the element type, packed, offset-major</description></item>
/// </list>
/// <para>
/// The data starts 64 bytes into a page-aligned mapping, so it is 64-byte aligned; vector <c>i</c> is
/// 64-byte aligned too when the dimension is a multiple of 16. Records are packed without padding so
/// <see cref="GetBlock"/> returns one contiguous block for batch scoring.
/// </para>
/// <para>
/// Durability: nothing is durable before <see cref="Flush"/>. After a crash the file may hold any subset
/// of the writes since the last flush; the engine replays its WAL from the last flushed version.
/// </para>
/// <para>
/// Threading: one writer (<see cref="Set"/>, <see cref="Flush"/>) and any number of concurrent readers.
/// <see cref="Count"/> is published after the vector's bytes are written, so a reader that sees offset
/// <c>i &lt; Count</c> sees its data. Overwriting a vector a reader is scoring is the owner's concern.
/// </para>
/// </remarks>
public sealed class VectorFile : IDisposable
{
    public const int FormatVersion = 1;
    public const int HeaderSize = 64;

    private const int MaxDimension = 65_536;
    private const int InitialCapacityVectors = 1024;
    private const int CountOffset = 20;

    private static ReadOnlySpan<byte> Magic => "AVVECF32"u8;

    private readonly MappedFile _file;
    private readonly int _recordBytes;
    private uint _count;

    private VectorFile(MappedFile file, int dimension, VectorDatatype datatype, uint count)
    {
        _file = file;
        Dimension = dimension;
        Datatype = datatype;
        _recordBytes = dimension * ElementSize(datatype);
        _count = count;
    }

    /// <summary>Values per vector.</summary>
    public int Dimension { get; }

    /// <summary>How each value is stored.</summary>
    public VectorDatatype Datatype { get; }

    /// <summary>Bytes per stored vector.</summary>
    public int RecordBytes => _recordBytes;

    /// <summary>Bytes per value of <paramref name="datatype"/>.</summary>
    public static int ElementSize(VectorDatatype datatype) => datatype switch
    {
        VectorDatatype.Float16 => 2,
        VectorDatatype.Uint8 => 1,
        _ => sizeof(float),
    };

    /// <summary>Number of offsets present: <c>max(offset) + 1</c> over every <see cref="Set"/>.</summary>
    public uint Count => Volatile.Read(ref _count);

    /// <summary>Path of the backing file.</summary>
    public string Path => _file.Path;

    /// <summary>
    /// Opens the float32 vector file at <paramref name="path"/>, creating it when it does not exist (or is empty).
    /// Fails with <see cref="ErrorKind.DataLoss"/> when the file is not a vector file or is shorter than its
    /// header says, and with <see cref="ErrorKind.Internal"/> on a version, dimension or element type mismatch.
    /// </summary>
    public static Result<VectorFile> Open(string path, int dimension) => Open(path, dimension, VectorDatatype.Float32);

    /// <summary>
    /// As <see cref="Open(string, int)"/> for values of <paramref name="datatype"/>; null takes an existing file's
    /// element type (a new file is float32), so a segment's files say how they were created.
    /// </summary>
    public static Result<VectorFile> Open(string path, int dimension, VectorDatatype? datatype)
    {
        if (dimension is <= 0 or > MaxDimension)
        {
            return AvError.BadRequest($"vector dimension must be between 1 and {MaxDimension}, got {dimension}");
        }

        var existing = File.Exists(path) ? new FileInfo(path).Length : 0;
        var created = datatype ?? VectorDatatype.Float32;
        var recordBytes = (long)dimension * ElementSize(created);
        var file = MappedFile.Open(path, Math.Max(existing, HeaderSize + (recordBytes * InitialCapacityVectors)));
        try
        {
            var header = file.GetSpan(0, HeaderSize);
            if (existing == 0)
            {
                WriteHeader(header, dimension, created);
                return new VectorFile(file, dimension, created, 0);
            }

            var validated = ValidateHeader(header, dimension, datatype, existing, path);
            if (!validated.TryGet(out var stored, out var error))
            {
                file.Dispose();
                return error;
            }

            return new VectorFile(file, dimension, stored.Datatype, stored.Count);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The float32 vector at <paramref name="offset"/>; valid until this file is disposed.</summary>
    public ReadOnlySpan<float> Get(uint offset)
    {
        if (Datatype != VectorDatatype.Float32)
        {
            ThrowHelper.ThrowArgument(nameof(offset), "The file does not hold float32 values.");
        }

        return MemoryMarshal.Cast<byte, float>(GetRecord(offset));
    }

    /// <summary>The stored bytes of the vector at <paramref name="offset"/>; valid until this file is disposed.</summary>
    public ReadOnlySpan<byte> GetRecord(uint offset)
    {
        if (offset >= Count)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(offset), "Offset is not below Count.");
        }

        return _file.GetSpan(DataOffset(offset), _recordBytes);
    }

    /// <summary>Float32 vectors <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1 as one contiguous row-major block.</summary>
    public ReadOnlySpan<float> GetBlock(uint first, int count)
    {
        if (Datatype != VectorDatatype.Float32)
        {
            ThrowHelper.ThrowArgument(nameof(first), "The file does not hold float32 values.");
        }

        return MemoryMarshal.Cast<byte, float>(GetRecords(first, count));
    }

    /// <summary>The stored bytes of vectors <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1, back to back.</summary>
    public ReadOnlySpan<byte> GetRecords(uint first, int count)
    {
        if (count < 0 || (ulong)first + (ulong)count > Count)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), "Block extends beyond Count.");
        }

        var bytes = (long)count * _recordBytes;
        if (bytes > int.MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), "Block exceeds 2 GiB.");
        }

        return _file.GetSpan(DataOffset(first), (int)bytes);
    }

    /// <summary>
    /// Writes <paramref name="vector"/> at <paramref name="offset"/>, growing the file as needed. Offsets
    /// skipped over read as zero vectors.
    /// </summary>
    public void Set(uint offset, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension || Datatype != VectorDatatype.Float32)
        {
            ThrowHelper.ThrowArgument(nameof(vector), "Vector length differs from the file's dimension, or the file does not hold float32 values.");
        }

        SetRecord(offset, MemoryMarshal.AsBytes(vector));
    }

    /// <summary>As <see cref="Set"/>, from the stored bytes of a vector (values already of this file's element type).</summary>
    public void SetRecord(uint offset, ReadOnlySpan<byte> record)
    {
        if (record.Length != _recordBytes)
        {
            ThrowHelper.ThrowArgument(nameof(record), "Record length differs from the file's record size.");
        }

        if (offset == uint.MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(offset), "Offset uint.MaxValue is reserved.");
        }

        var position = DataOffset(offset);
        _file.EnsureCapacity(position + _recordBytes);
        record.CopyTo(_file.GetSpan(position, _recordBytes));

        if (offset >= _count)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_file.GetSpan(CountOffset, sizeof(uint)), offset + 1);
            Volatile.Write(ref _count, offset + 1);
        }
    }

    /// <summary>
    /// Readies the records of the next <paramref name="count"/> vectors after the last stored one (see
    /// <see cref="MappedFile.Prefault"/>), so appending them takes no page faults. Changes no data.
    /// </summary>
    public void PrefaultAppend(int count)
    {
        if (count > 0)
        {
            _file.Prefault(DataOffset(Volatile.Read(ref _count)), (long)count * _recordBytes);
        }
    }

    /// <summary>
    /// Grows the file to hold the next <paramref name="count"/> vectors after the last stored one, so appending them
    /// cannot fail for want of disk space. Throws <see cref="IOException"/> when the disk is full. Changes no data.
    /// </summary>
    public void ReserveAppend(int count)
    {
        if (count > 0)
        {
            _file.EnsureCapacity(DataOffset(Volatile.Read(ref _count)) + ((long)count * _recordBytes));
        }
    }

    /// <summary>Faults the stored vectors in for reading (see <see cref="MappedFile.PrefaultRead"/>): the cached placement.</summary>
    public void PrefaultStored() => _file.PrefaultRead(0, DataOffset(Count));

    /// <summary>Drops this process's resident pages of the file (see <see cref="MappedFile.ReleaseResident"/>): the cold placement.</summary>
    public void ReleaseResident() => _file.ReleaseResident();

    /// <summary>Makes every write so far durable.</summary>
    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    private long DataOffset(uint offset) => HeaderSize + ((long)offset * _recordBytes);

    private static void WriteHeader(Span<byte> header, int dimension, VectorDatatype datatype)
    {
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)dimension);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)datatype);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CountOffset..], 0);
    }

    private static Result<(VectorDatatype Datatype, uint Count)> ValidateHeader(ReadOnlySpan<byte> header, int dimension, VectorDatatype? datatype, long fileLength, string path)
    {
        if (fileLength < HeaderSize || !header[..8].SequenceEqual(Magic))
        {
            return new AvError(ErrorKind.DataLoss, $"'{path}' is not a vector file (bad magic).");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            return AvError.Internal($"'{path}' has vector file format version {version}; this build reads {FormatVersion}.");
        }

        var storedDimension = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var elementType = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        if (storedDimension != (uint)dimension || elementType > (uint)VectorDatatype.Uint8 || (datatype is { } wanted && elementType != (uint)wanted))
        {
            return AvError.Internal($"'{path}' holds {storedDimension}-dimensional vectors of element type {elementType}; expected {dimension}-dimensional {datatype ?? VectorDatatype.Float32}.");
        }

        var stored = (VectorDatatype)elementType;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[CountOffset..]);
        if (HeaderSize + ((long)count * dimension * ElementSize(stored)) > fileLength)
        {
            return new AvError(ErrorKind.DataLoss, $"'{path}' claims {count} vectors but is only {fileLength} bytes long.");
        }

        return (stored, count);
    }
}
