using System.Runtime.CompilerServices;
using AotVector.Kernels;
using AotVector.Storage.Files;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Layer 0: one flat table of fixed-size records <c>[count, n_1 .. n_M0]</c>, node-major, either a managed array
/// (while building) or the mapped index file in place, at any size (the table addresses rows with 64-bit offsets).
/// </summary>
internal readonly ref struct Level0Links(U32RowTable table) : ILinks
{
    private readonly U32RowTable _table = table;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<uint> Neighbors(uint node)
    {
        var record = _table.Row(node);
        return record.Slice(1, (int)record[0]);
    }

    // Three lines: a full record (132 bytes at M=16) rarely starts on a line boundary, so it usually spans three.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchNeighbors(uint node) => Prefetch.Lines(_table.Row(node), 3);
}
