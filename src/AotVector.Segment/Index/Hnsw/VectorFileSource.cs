using AotVector.Storage.Vectors;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>The vectors of a memory-mapped <see cref="VectorFile"/>, read in place.</summary>
/// <remarks>
/// <see cref="Count"/> is fixed when the source is created: vectors appended later are not part of the index.
/// The file must stay open (and its first <see cref="Count"/> vectors unchanged) while the index is used.
/// </remarks>
internal sealed class VectorFileSource(VectorFile file, uint? count = null) : IVectorSource
{
    private const long MaxContiguousBytes = int.MaxValue;

    private readonly VectorFile _file = file;

    public int Dimension => _file.Dimension;

    public uint Count { get; } = Math.Min(count ?? file.Count, file.Count);

    public Common.Model.VectorDatatype Datatype => _file.Datatype;

    public ReadOnlySpan<byte> Get(uint offset) => _file.GetRecord(offset);

    public bool TryGetContiguous(out ReadOnlySpan<byte> all)
    {
        if ((long)Count * _file.RecordBytes > MaxContiguousBytes)
        {
            all = default;
            return false;
        }

        all = _file.GetRecords(0, (int)Count);
        return true;
    }
}
