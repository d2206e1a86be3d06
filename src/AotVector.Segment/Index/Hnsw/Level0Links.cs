using System.Runtime.CompilerServices;
using AotVector.Kernels;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Layer 0: one flat table of fixed-size records <c>[count, n_1 .. n_M0]</c>, node-major, either a managed array
/// (while building) or a span of the mapped index file.
/// </summary>
internal readonly ref struct Level0Links(ReadOnlySpan<uint> table, int stride) : ILinks
{
    private readonly ReadOnlySpan<uint> _table = table;
    private readonly int _stride = stride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<uint> Neighbors(uint node)
    {
        int start = (int)node * _stride;
        return _table.Slice(start + 1, (int)_table[start]);
    }

    // Three lines: a full record (132 bytes at M=16) rarely starts on a line boundary, so it usually spans three.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchNeighbors(uint node) => Prefetch.Lines(_table.Slice((int)node * _stride, _stride), 3);
}
