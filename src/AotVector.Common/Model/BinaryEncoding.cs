namespace AotVector.Common.Model;

/// <summary>Bits per dimension of binary-quantized codes, as the reference's <c>encoding</c>.</summary>
public enum BinaryEncoding : byte
{
    /// <summary>The sign of each value.</summary>
    OneBit,

    /// <summary>Below, within or above two thirds of a standard deviation of the dimension's mean.</summary>
    TwoBits,

    /// <summary>Two bits' first bit per value; the second is shared by each pair of values (OR of theirs).</summary>
    OneAndHalfBits,
}
