using AotVector.Kernels.Distance;

namespace AotVector.Kernels.Tests;

public sealed class SquaredL2Tests
{
    public static TheoryData<int> Lengths => KernelCases.Lengths();

    public static TheoryData<KernelPath, int> PathsAndLengths => KernelCases.PathsAndLengths();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Compute_MatchesOracle_ForEveryLength(int length)
    {
        var pair = new PaddedPair(length, seed: 2000 + length);

        float actual = SquaredL2.Compute(pair.A, pair.B);

        Oracle.AssertClose(Oracle.SquaredL2(pair.A, pair.B), actual, $"SquaredL2 length {length}");
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void EachPath_MatchesOracle(KernelPath path, int length)
    {
        var pair = new PaddedPair(length, seed: 2000 + 7 + length);

        float actual = Run(path, pair.A, pair.B);

        Oracle.AssertClose(Oracle.SquaredL2(pair.A, pair.B), actual, $"SquaredL2 {path} length {length}");
    }

    [Theory]
    [InlineData(1e-3f)]
    [InlineData(1e3f)]
    public void Compute_MatchesOracle_AtOtherMagnitudes(float scale)
    {
        var pair = new PaddedPair(1536, seed: 2000 + 99, scale);

        Oracle.AssertClose(Oracle.SquaredL2(pair.A, pair.B), SquaredL2.Compute(pair.A, pair.B), $"SquaredL2 scale {scale}");
    }

    [Fact]
    public void Compute_Throws_OnLengthMismatch()
    {
        float[] a = new float[17];
        float[] b = new float[16];

        Assert.Throws<ArgumentException>(() => SquaredL2.Compute(a, b));
    }

    [Fact]
    public void Compute_DoesNotAllocate()
    {
        var pair = new PaddedPair(784, seed: 2000);
        float[] a = pair.A.ToArray();
        float[] b = pair.B.ToArray();
        SquaredL2.Compute(a, b);

        long before = GC.GetAllocatedBytesForCurrentThread();
        float sink = 0;
        for (int i = 0; i < 100; i++)
        {
            sink += SquaredL2.Compute(a, b);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.False(float.IsNaN(sink));
    }

    private static float Run(KernelPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => path switch
    {
        KernelPath.Dispatch => SquaredL2.Compute(a, b),
        KernelPath.Vector512 => SquaredL2.ComputeVector512(a, b),
        KernelPath.Vector256 => SquaredL2.ComputeVector256(a, b),
        KernelPath.Vector128 => SquaredL2.ComputeVector128(a, b),
        KernelPath.Scalar => SquaredL2.ComputeScalar(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };
}
