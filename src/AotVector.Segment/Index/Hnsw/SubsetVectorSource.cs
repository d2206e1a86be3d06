namespace AotVector.Segment.Index.Hnsw;

/// <summary>Some offsets of another source, renumbered <c>[0, offsets.Length)</c>: the points a payload block's sub-graph is built over.</summary>
internal sealed class SubsetVectorSource(IVectorSource source, uint[] offsets) : IVectorSource
{
    private readonly IVectorSource _source = source;
    private readonly uint[] _offsets = offsets;

    public int Dimension => _source.Dimension;

    public uint Count => (uint)_offsets.Length;

    public Common.Model.VectorDatatype Datatype => _source.Datatype;

    public ReadOnlySpan<byte> Get(uint offset) => _source.Get(_offsets[offset]);

    public bool TryGetContiguous(out ReadOnlySpan<byte> all)
    {
        all = default;
        return false;
    }
}
