using AotVector.Kernels.Distance;

namespace AotVector.Kernels.Tests;

public sealed class L1Tests
{
    public static TheoryData<int> Lengths => KernelCases.Lengths();

    public static TheoryData<KernelPath, int> PathsAndLengths => KernelCases.PathsAndLengths();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Compute_MatchesOracle_ForEveryLength(int length)
    {
        var pair = new PaddedPair(length, seed: 3000 + length);

        float actual = L1.Compute(pair.A, pair.B);

        Oracle.AssertClose(Oracle.L1(pair.A, pair.B), actual, $"L1 length {length}");
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void EachPath_MatchesOracle(KernelPath path, int length)
    {
        var pair = new PaddedPair(length, seed: 3000 + 7 + length);

        float actual = Run(path, pair.A, pair.B);

        Oracle.AssertClose(Oracle.L1(pair.A, pair.B), actual, $"L1 {path} length {length}");
    }

    [Theory]
    [InlineData(1e-3f)]
    [InlineData(1e3f)]
    public void Compute_MatchesOracle_AtOtherMagnitudes(float scale)
    {
        var pair = new PaddedPair(1536, seed: 3000 + 99, scale);

        Oracle.AssertClose(Oracle.L1(pair.A, pair.B), L1.Compute(pair.A, pair.B), $"L1 scale {scale}");
    }

    [Fact]
    public void Compute_Throws_OnLengthMismatch()
    {
        float[] a = new float[17];
        float[] b = new float[16];

        Assert.Throws<ArgumentException>(() => L1.Compute(a, b));
    }

    [Fact]
    public void Compute_DoesNotAllocate()
    {
        var pair = new PaddedPair(784, seed: 3000);
        float[] a = pair.A.ToArray();
        float[] b = pair.B.ToArray();
        L1.Compute(a, b);

        long before = GC.GetAllocatedBytesForCurrentThread();
        float sink = 0;
        for (int i = 0; i < 100; i++)
        {
            sink += L1.Compute(a, b);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.False(float.IsNaN(sink));
    }

    private static float Run(KernelPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => path switch
    {
        KernelPath.Dispatch => L1.Compute(a, b),
        KernelPath.Vector512 => L1.ComputeVector512(a, b),
        KernelPath.Vector256 => L1.ComputeVector256(a, b),
        KernelPath.Vector128 => L1.ComputeVector128(a, b),
        KernelPath.Scalar => L1.ComputeScalar(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };
}
