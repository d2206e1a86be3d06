using System.Runtime.CompilerServices;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>A row-major block of vectors taken once per search: a lookup is one multiply and a slice.</summary>
internal readonly ref struct ContiguousVectors(ReadOnlySpan<float> all, int dimension) : IVectorView
{
    private readonly ReadOnlySpan<float> _all = all;
    private readonly int _dimension = dimension;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> Get(uint offset) => _all.Slice((int)offset * _dimension, _dimension);
}
