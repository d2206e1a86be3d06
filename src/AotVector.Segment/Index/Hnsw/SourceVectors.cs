namespace AotVector.Segment.Index.Hnsw;

/// <summary>The fallback view for storage too large for one span: one <see cref="IVectorSource.Get"/> call per vector.</summary>
internal readonly struct SourceVectors(IVectorSource source) : IVectorView
{
    private readonly IVectorSource _source = source;

    public ReadOnlySpan<byte> Get(uint offset) => _source.Get(offset);
}
