using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;

namespace AotVector.Segment.Vectors;

/// <summary>
/// The float32 values quantizers encode, from a store of any datatype, as the reference prepares them: float32 and
/// float16 originals as stored (widened exactly); uint8 originals widened, then centred on 127 for binary codes or
/// preprocessed for the metric (Cosine normalizes) for the others. A query gets the same treatment after the
/// conversion to the store's datatype a search makes, so codes and query stay on one scale.
/// </summary>
internal static class QuantizationInput
{
    private const float ByteCentre = 127f;

    /// <summary>The original at <paramref name="offset"/>: the store's own floats, or <paramref name="scratch"/> filled.</summary>
    public static ReadOnlySpan<float> Original(IVectorSource vectors, uint offset, Distance distance, bool binary, Span<float> scratch)
    {
        var record = vectors.Get(offset);
        if (vectors.Datatype == VectorDatatype.Float32)
        {
            return MemoryMarshal.Cast<byte, float>(record);
        }

        VectorCodec.Decode(vectors.Datatype, record, scratch);
        Adjust(vectors.Datatype, distance, binary, scratch);
        return scratch;
    }

    /// <summary>The query (preprocessed for the store, as searches take it) as the codes of a <paramref name="datatype"/> store expect it.</summary>
    public static ReadOnlySpan<float> Query(VectorDatatype datatype, Distance distance, bool binary, ReadOnlySpan<float> query)
    {
        if (datatype == VectorDatatype.Float32)
        {
            return query;
        }

        var values = query.ToArray();
        VectorCodec.RoundTrip(datatype, values);
        Adjust(datatype, distance, binary, values);
        return values;
    }

    private static void Adjust(VectorDatatype datatype, Distance distance, bool binary, Span<float> values)
    {
        if (datatype != VectorDatatype.Uint8)
        {
            return;
        }

        if (binary)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] -= ByteCentre;
            }
        }
        else
        {
            DistanceKernels.Preprocess(distance, values);
        }
    }
}
