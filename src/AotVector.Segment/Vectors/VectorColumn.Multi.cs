using AotVector.Common.Model;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Vectors;

namespace AotVector.Segment.Vectors;

/// <remarks>
/// A multivector column keeps its rows in the column's <see cref="VectorFile"/>, addressed by row instead of by
/// offset, and a second file, the row table, with one two-float record per offset: the bits of the u32 first row and
/// of the u32 row count. Rows are only ever appended: rewriting a point's multivector appends its new rows and
/// repoints the offset's record, so a reader never sees a half-rewritten multivector and the file never needs
/// compaction between optimizations (the optimizer's copy into a new segment drops the orphaned rows).
/// </remarks>
internal sealed partial class VectorColumn
{
    private readonly VectorFile? _rowTable;

    /// <summary>Whether each point holds several rows under this name.</summary>
    public bool IsMulti => _rowTable is not null;

    /// <summary>Rows stored, live or orphaned (the storage size measure of a multivector column).</summary>
    public uint RowCount => _file.Count;

    /// <summary>Opens the row table of a multivector column: records of two floats holding the bits of two u32.</summary>
    public static Common.Errors.Result<VectorFile> OpenRowTable(string path) => VectorFile.Open(path, 2);

    /// <summary>
    /// Preprocesses a copy of each row of <paramref name="rows"/> (rows of <see cref="Dimension"/>), converts it to
    /// the datatype and stores them.
    /// </summary>
    public void SetMulti(uint offset, ReadOnlySpan<float> rows)
    {
        var first = _file.Count;
        var count = rows.Length / Dimension;
        for (var i = 0; i < count; i++)
        {
            rows.Slice(i * Dimension, Dimension).CopyTo(_scratch);
            VectorCodec.Preprocess(Distance, Datatype, _scratch);
            VectorCodec.Encode(Datatype, _scratch, _record);
            _file.SetRecord(first + (uint)i, _record);
        }

        SetRows(offset, first, count);
    }

    /// <summary>Stores already preprocessed and converted rows, back to back (a copy from another segment's column of the same spec).</summary>
    public void SetStoredMulti(uint offset, ReadOnlySpan<byte> rows)
    {
        var first = _file.Count;
        var recordBytes = _file.RecordBytes;
        var count = rows.Length / recordBytes;
        for (var i = 0; i < count; i++)
        {
            _file.SetRecord(first + (uint)i, rows.Slice(i * recordBytes, recordBytes));
        }

        SetRows(offset, first, count);
    }

    /// <summary>
    /// Preprocesses and stores a validated value: a dense vector, or for a multivector column a multivector (a dense
    /// vector there is a multivector of one row, as the reference reads it).
    /// </summary>
    public void Store(uint offset, VectorData data)
    {
        switch (data)
        {
            case DenseVector dense when IsMulti:
                SetMulti(offset, dense.Values);
                break;
            case DenseVector dense:
                Set(offset, dense.Values);
                break;
            case MultiDenseVector multi when IsMulti:
                SetMulti(offset, multi.Values);
                break;
            default:
                throw new ArgumentException($"Vector \"{Name}\" cannot store a {data.GetType().Name}.", nameof(data));
        }
    }

    /// <summary>A copy of the stored (preprocessed) value of <paramref name="offset"/>.</summary>
    public VectorData Read(uint offset)
    {
        if (!IsMulti)
        {
            return new DenseVector(VectorCodec.Decode(Datatype, GetRecord(offset), Dimension));
        }

        var records = GetRowRecords(offset);
        var values = new float[records.Length / RecordBytes * Dimension];
        VectorCodec.Decode(Datatype, records, values);
        return new MultiDenseVector(values, Dimension);
    }

    /// <summary>Copies the stored value of <paramref name="from"/> in <paramref name="source"/> (same spec) to <paramref name="offset"/>.</summary>
    public void CopyStored(uint offset, VectorColumn source, uint from)
    {
        if (IsMulti)
        {
            SetStoredMulti(offset, source.GetRowRecords(from));
        }
        else
        {
            SetRecord(offset, source.GetRecord(from));
        }
    }

    /// <summary>The stored (preprocessed, converted) rows of <paramref name="offset"/> as records of the datatype, back to back.</summary>
    public ReadOnlySpan<byte> GetRowRecords(uint offset)
    {
        var record = _rowTable!.Get(offset);
        var first = BitConverter.SingleToUInt32Bits(record[0]);
        var count = (int)BitConverter.SingleToUInt32Bits(record[1]);
        return _file.GetRecords(first, count);
    }

    private void SetRows(uint offset, uint first, int count)
    {
        ReadOnlySpan<float> record = [BitConverter.UInt32BitsToSingle(first), BitConverter.UInt32BitsToSingle((uint)count)];
        _rowTable!.Set(offset, record);
        SetPresent(offset, true);
        MarkRewritten(offset);
    }

    /// <summary>The points <c>[0, count)</c> as the graph reads them: each its rows back to back.</summary>
    public MultiVectorSource PointSource(uint count) => new(_file, _rowTable!, count);

    /// <summary>
    /// Bytes of the rows of the points that have this vector: what the indexing and full-scan thresholds measure for a
    /// multivector, as the reference counts it (all stored rows scaled by the share of points that still have one).
    /// </summary>
    public ulong LiveRowBytes()
    {
        var stored = StoredCount;
        return stored == 0 ? 0 : (ulong)((UInt128)RowCount * (uint)RecordBytes * PresentCount / stored);
    }
}
