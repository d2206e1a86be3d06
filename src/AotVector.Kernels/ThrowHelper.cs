using System.Diagnostics.CodeAnalysis;

namespace AotVector.Kernels;

/// <summary>Cold throw paths, kept out of the kernels so those stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowLengthMismatch() =>
        throw new ArgumentException("Input spans must have the same length.");

    [DoesNotReturn]
    public static void ThrowBlockShape() =>
        throw new ArgumentException("Block length must be a positive multiple of dim, with one score slot per vector.");

    [DoesNotReturn]
    public static void ThrowQueryBits() =>
        throw new ArgumentException("Query bits must be 4 or 8.");

    [DoesNotReturn]
    public static void ThrowTableShape() =>
        throw new ArgumentException("The lookup table must hold 256 entries per code.");
}
