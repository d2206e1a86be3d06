using System.Runtime.CompilerServices;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>A row-major block of records taken once per search: a lookup is one multiply and a slice.</summary>
internal readonly ref struct ContiguousVectors(ReadOnlySpan<byte> all, int recordBytes) : IVectorView
{
    private readonly ReadOnlySpan<byte> _all = all;
    private readonly int _recordBytes = recordBytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Get(uint offset) => _all.Slice((int)offset * _recordBytes, _recordBytes);
}
