using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace AotVector.Kernels;

/// <summary>
/// The vector width the distance kernels use on this machine, for the startup log and telemetry.
/// Under Native AOT this reflects the compiled instruction-set baseline (IlcInstructionSet), not just the CPU.
/// </summary>
public static class SimdInfo
{
    /// <summary>512, 256 or 128 for the widest accelerated vector width; 0 when only scalar code runs.</summary>
    public static int BestWidthBits =>
        Vector512.IsHardwareAccelerated ? 512
        : Vector256.IsHardwareAccelerated ? 256
        : Vector128.IsHardwareAccelerated ? 128
        : 0;

    /// <summary>E.g. "Vector512 (AVX-512F)", "Vector256 (AVX2, FMA)", "Vector128 (AdvSimd)" or "scalar".</summary>
    public static string Describe()
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Avx512F.IsSupported ? "Vector512 (AVX-512F)" : "Vector512";
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return (Avx2.IsSupported, Fma.IsSupported) switch
            {
                (true, true) => "Vector256 (AVX2, FMA)",
                (true, false) => "Vector256 (AVX2)",
                (false, true) => "Vector256 (AVX, FMA)",
                (false, false) => "Vector256",
            };
        }

        if (Vector128.IsHardwareAccelerated)
        {
            if (AdvSimd.IsSupported)
            {
                return "Vector128 (AdvSimd)";
            }

            return Sse42.IsSupported ? "Vector128 (SSE4.2)" : "Vector128";
        }

        return "scalar";
    }
}
