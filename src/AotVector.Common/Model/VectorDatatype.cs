namespace AotVector.Common.Model;

/// <summary>
/// How a dense vector's values are stored, as the reference's <c>datatype</c>. The numbers are the element type a
/// vector file records in its header (0 was always float32), not the gRPC enum's.
/// </summary>
public enum VectorDatatype : byte
{
    /// <summary>4 bytes per value, as given.</summary>
    Float32 = 0,

    /// <summary>2 bytes per value, rounded to the nearest half-precision value.</summary>
    Float16 = 1,

    /// <summary>1 byte per value: the integer part, saturated to 0..255.</summary>
    Uint8 = 2,
}
