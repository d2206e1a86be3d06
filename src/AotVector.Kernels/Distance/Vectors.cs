using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>Whole-vector helpers: the Euclidean norm and in-place normalization (Cosine's insert-time step).</summary>
public static class Vectors
{
    // Rust's f32::EPSILON (C#'s float.Epsilon is the smallest subnormal, a different thing).
    private const float SingleMachineEpsilon = 1.1920929E-07f;

    private const float UnitTolerance = 1e-6f;

    public static float Norm(ReadOnlySpan<float> vector) => MathF.Sqrt(Dot.Compute(vector, vector));

    /// <summary>
    /// Scales <paramref name="vector"/> to unit length in place. As in Qdrant, a vector whose squared length is
    /// below f32 machine epsilon (in particular the zero vector) or already within 1e-6 of one is left untouched,
    /// so zero stays zero and normalizing twice changes nothing.
    /// </summary>
    public static void Normalize(Span<float> vector)
    {
        float squared = Dot.Compute(vector, vector);
        if (squared < SingleMachineEpsilon || MathF.Abs(squared - 1f) <= UnitTolerance)
        {
            return;
        }

        // Divide rather than multiply by the reciprocal: one rounding per element, the same values Qdrant stores.
        Divide(vector, MathF.Sqrt(squared));
    }

    // SAFETY: every load/store offset i satisfies i + Count <= length, and `last` = length - Count >= 0
    // because each branch requires length >= Count.
    private static void Divide(Span<float> vector, float divisor)
    {
        ref float p = ref MemoryMarshal.GetReference(vector);
        nuint length = (nuint)vector.Length;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            nuint width = (nuint)Vector512<float>.Count;
            nuint last = length - width;
            Vector512<float> d = Vector512.Create(divisor);

            // The tail overlaps the loop's last stores, so read it before the loop overwrites its head.
            Vector512<float> tail = Vector512.LoadUnsafe(ref p, last) / d;
            for (nuint i = 0; i + width <= length; i += width)
            {
                (Vector512.LoadUnsafe(ref p, i) / d).StoreUnsafe(ref p, i);
            }

            tail.StoreUnsafe(ref p, last);
            return;
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            nuint width = (nuint)Vector256<float>.Count;
            nuint last = length - width;
            Vector256<float> d = Vector256.Create(divisor);
            Vector256<float> tail = Vector256.LoadUnsafe(ref p, last) / d;
            for (nuint i = 0; i + width <= length; i += width)
            {
                (Vector256.LoadUnsafe(ref p, i) / d).StoreUnsafe(ref p, i);
            }

            tail.StoreUnsafe(ref p, last);
            return;
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            nuint width = (nuint)Vector128<float>.Count;
            nuint last = length - width;
            Vector128<float> d = Vector128.Create(divisor);
            Vector128<float> tail = Vector128.LoadUnsafe(ref p, last) / d;
            for (nuint i = 0; i + width <= length; i += width)
            {
                (Vector128.LoadUnsafe(ref p, i) / d).StoreUnsafe(ref p, i);
            }

            tail.StoreUnsafe(ref p, last);
            return;
        }

        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] /= divisor;
        }
    }
}
