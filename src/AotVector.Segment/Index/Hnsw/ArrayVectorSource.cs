using System.Runtime.InteropServices;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>Float32 vectors packed row-major in one managed array (tests, benchmarks, in-memory segments).</summary>
internal sealed class ArrayVectorSource : IVectorSource
{
    private readonly float[] _data;

    public ArrayVectorSource(float[] data, int dimension)
    {
        if (dimension <= 0 || data.Length % dimension != 0)
        {
            ThrowHelper.ThrowArgument("Data length is not a multiple of the dimension.", nameof(data));
        }

        _data = data;
        Dimension = dimension;
        Count = (uint)(data.Length / dimension);
    }

    public int Dimension { get; }

    public uint Count { get; }

    public Common.Model.VectorDatatype Datatype => Common.Model.VectorDatatype.Float32;

    public ReadOnlySpan<byte> Get(uint offset) => MemoryMarshal.AsBytes(_data.AsSpan((int)offset * Dimension, Dimension));

    public bool TryGetContiguous(out ReadOnlySpan<byte> all)
    {
        all = MemoryMarshal.AsBytes(_data.AsSpan());
        return true;
    }
}
