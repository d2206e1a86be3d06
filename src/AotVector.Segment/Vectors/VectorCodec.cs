using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Vectors;

/// <summary>
/// Float32 values to and from the stored bytes of a <see cref="VectorDatatype"/>, and the preprocessing a vector gets
/// before it is stored or searched with, as the reference does per datatype.
/// </summary>
public static class VectorCodec
{
    /// <summary>Bytes one vector of <paramref name="dimension"/> values takes.</summary>
    public static int RecordBytes(VectorDatatype datatype, int dimension) => dimension * Storage.Vectors.VectorFile.ElementSize(datatype);

    /// <summary>
    /// The metric's preprocessing for a vector stored as <paramref name="datatype"/>: Cosine normalizes in float32 before
    /// a float16 vector is rounded, while a uint8 vector is stored and queried as given (its Cosine is computed from
    /// the raw values, normalizing would round them to zero).
    /// </summary>
    public static void Preprocess(Distance distance, VectorDatatype datatype, Span<float> vector)
    {
        if (datatype != VectorDatatype.Uint8)
        {
            DistanceKernels.Preprocess(distance, vector);
        }
    }

    /// <summary>Converts (rounds, truncates) <paramref name="values"/> to the stored bytes of <paramref name="datatype"/>.</summary>
    public static void Encode(VectorDatatype datatype, ReadOnlySpan<float> values, Span<byte> record)
    {
        switch (datatype)
        {
            case VectorDatatype.Float16:
                Float16Distance.Encode(values, MemoryMarshal.Cast<byte, Half>(record));
                break;
            case VectorDatatype.Uint8:
                Uint8Distance.Encode(values, record);
                break;
            default:
                MemoryMarshal.AsBytes(values).CopyTo(record);
                break;
        }
    }

    /// <summary>The stored values of <paramref name="record"/> as float32 (exact for every datatype).</summary>
    public static void Decode(VectorDatatype datatype, ReadOnlySpan<byte> record, Span<float> values)
    {
        switch (datatype)
        {
            case VectorDatatype.Float16:
                Float16Distance.Decode(MemoryMarshal.Cast<byte, Half>(record), values);
                break;
            case VectorDatatype.Uint8:
                Uint8Distance.Decode(record, values);
                break;
            default:
                MemoryMarshal.Cast<byte, float>(record).CopyTo(values);
                break;
        }
    }

    /// <summary>A new array of the stored values of <paramref name="record"/>.</summary>
    public static float[] Decode(VectorDatatype datatype, ReadOnlySpan<byte> record, int dimension)
    {
        var values = new float[dimension];
        Decode(datatype, record, values);
        return values;
    }

    /// <summary>
    /// <paramref name="values"/> as the stored vector would read back: rounded to float16, or truncated to uint8,
    /// in place. What a search against a typed store compares, for code that scores float32 copies.
    /// </summary>
    public static void RoundTrip(VectorDatatype datatype, Span<float> values)
    {
        if (datatype == VectorDatatype.Float32)
        {
            return;
        }

        var record = new byte[RecordBytes(datatype, values.Length)];
        Encode(datatype, values, record);
        Decode(datatype, record, values);
    }
}
