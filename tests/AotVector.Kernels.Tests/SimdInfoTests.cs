using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Tests;

public sealed class SimdInfoTests
{
    [Fact]
    public void Describe_AgreesWithBestWidthBits()
    {
        string description = SimdInfo.Describe();

        string expectedPrefix = SimdInfo.BestWidthBits == 0 ? "scalar" : $"Vector{SimdInfo.BestWidthBits}";
        Assert.StartsWith(expectedPrefix, description, StringComparison.Ordinal);
    }

    [Fact]
    public void BestWidthBits_IsTheWidestAcceleratedWidth()
    {
        int expected = Vector512.IsHardwareAccelerated ? 512
            : Vector256.IsHardwareAccelerated ? 256
            : Vector128.IsHardwareAccelerated ? 128
            : 0;

        Assert.Equal(expected, SimdInfo.BestWidthBits);
    }
}
