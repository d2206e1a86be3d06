using AotVector.Storage.Vectors;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// The points of a multivector column for the graph: <see cref="Get"/> is a point's rows back to back, found through
/// its row table record (the bits of the u32 first row and of the u32 row count).
/// </summary>
/// <remarks>
/// As with <see cref="VectorFileSource"/>, <see cref="Count"/> is fixed at creation. A point rewritten while the graph
/// is built gets new rows and a repointed record; a reader racing that write may see the record half written, so the
/// rows read are clamped to those stored (the point is stale for the graph then, and scanned exactly at search).
/// </remarks>
internal sealed class MultiVectorSource(VectorFile rows, VectorFile rowTable, uint? count = null) : IVectorSource
{
    private readonly VectorFile _rows = rows;
    private readonly VectorFile _rowTable = rowTable;

    public int Dimension => _rows.Dimension;

    public uint Count { get; } = Math.Min(count ?? rowTable.Count, rowTable.Count);

    public Common.Model.VectorDatatype Datatype => _rows.Datatype;

    public ReadOnlySpan<byte> Get(uint offset)
    {
        var record = _rowTable.Get(offset);
        var first = BitConverter.SingleToUInt32Bits(record[0]);
        var rowCount = BitConverter.SingleToUInt32Bits(record[1]);
        var stored = _rows.Count;
        if (first >= stored)
        {
            return default;
        }

        return _rows.GetRecords(first, (int)Math.Min(rowCount, stored - first));
    }

    public bool TryGetContiguous(out ReadOnlySpan<byte> all)
    {
        all = default;
        return false;
    }
}
