using AotVector.Kernels.Distance;

namespace AotVector.Kernels.Tests;

public sealed class Uint8DistanceTests
{
    public static TheoryData<KernelPath, int> PathsAndLengths()
    {
        var data = new TheoryData<KernelPath, int>();
        foreach (var path in new[] { KernelPath.Dispatch, KernelPath.Vector512, KernelPath.Vector256, KernelPath.Vector128, KernelPath.Scalar })
        {
            for (int length = 0; length <= 70; length++)
            {
                data.Add(path, length);
            }

            foreach (int length in new[] { 768, 1536, 65536 })
            {
                data.Add(path, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void Kernels_MatchOracle(KernelPath path, int length)
    {
        var (a, b) = Bytes(length, seed: 10_000 + length);
        long dot = 0, l2 = 0, l1 = 0;
        for (int i = 0; i < length; i++)
        {
            dot += a[i] * b[i];
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
            l1 += Math.Abs(a[i] - b[i]);
        }

        int width = path switch
        {
            KernelPath.Vector512 => 512,
            KernelPath.Vector256 => 256,
            KernelPath.Vector128 => 128,
            _ => 0,
        };
        bool dispatch = path == KernelPath.Dispatch;

        Assert.Equal(dot, dispatch ? Uint8Distance.Dot(a, b) : Uint8Distance.DotPath(a, b, width));
        Assert.Equal(l2, dispatch ? Uint8Distance.SquaredL2(a, b) : Uint8Distance.SquaredL2Path(a, b, width));
        Assert.Equal(l1, dispatch ? Uint8Distance.L1(a, b) : Uint8Distance.L1Path(a, b, width));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(70)]
    [InlineData(1536)]
    public void Cosine_IsTheRawCosine_AndZeroForAZeroVector(int length)
    {
        var (a, b) = Bytes(length, seed: 11_000 + length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        var expected = na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
        Assert.Equal(expected, Uint8Distance.Cosine(a, b), 5);
        Assert.Equal(0f, Uint8Distance.Cosine(a, new byte[length]));
    }

    [Fact]
    public void Kernels_AtTheLargestValues_DoNotOverflowTheirLanes()
    {
        var full = Enumerable.Repeat((byte)255, 65536).ToArray();
        var zero = new byte[65536];

        Assert.Equal(65536u * 255 * 255, Uint8Distance.Dot(full, full));
        Assert.Equal(65536u * 255 * 255, Uint8Distance.SquaredL2(full, zero));
        Assert.Equal(65536u * 255, Uint8Distance.L1(zero, full));
        Assert.Equal(1f, Uint8Distance.Cosine(full, full), 6);
    }

    [Fact]
    public void Encode_TruncatesAndSaturates_AsTheReference()
    {
        float[] source = [0f, 3.7f, 254.99f, 255f, 255.5f, 300f, -0.5f, -7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        var stored = new byte[source.Length];
        Uint8Distance.Encode(source, stored);

        Assert.Equal(new byte[] { 0, 3, 254, 255, 255, 255, 0, 0, 0, 255, 0 }, stored);
    }

    private static (byte[] A, byte[] B) Bytes(int length, int seed)
    {
        var random = new Random(seed);
        var a = new byte[length];
        var b = new byte[length];
        random.NextBytes(a);
        random.NextBytes(b);
        return (a, b);
    }
}
