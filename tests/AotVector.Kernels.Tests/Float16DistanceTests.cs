using System.Runtime.Intrinsics;
using AotVector.Kernels.Distance;

namespace AotVector.Kernels.Tests;

public sealed class Float16DistanceTests
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
    public void Dot_MatchesOracle(KernelPath path, int length)
    {
        var (a, b) = Halves(length, seed: 7000 + length);
        var actual = path switch
        {
            KernelPath.Dispatch => Float16Distance.Dot(a, b),
            _ => Float16Distance.DotPath(a, b, Width(path)),
        };

        AssertClose(Oracle.Dot(Wide(a), Wide(b)), actual);
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void SquaredL2_MatchesOracle(KernelPath path, int length)
    {
        var (a, b) = Halves(length, seed: 8000 + length);
        var actual = path switch
        {
            KernelPath.Dispatch => Float16Distance.SquaredL2(a, b),
            _ => Float16Distance.SquaredL2Path(a, b, Width(path)),
        };

        AssertClose(Oracle.SquaredL2(Wide(a), Wide(b)), actual);
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void L1_MatchesOracle(KernelPath path, int length)
    {
        var (a, b) = Halves(length, seed: 9000 + length);
        var actual = path switch
        {
            KernelPath.Dispatch => Float16Distance.L1(a, b),
            _ => Float16Distance.L1Path(a, b, Width(path)),
        };

        AssertClose(Oracle.L1(Wide(a), Wide(b)), actual);
    }

    [Fact]
    public void Widening_IsExact_ForEveryHalf()
    {
        var bits = new uint[16];
        for (uint start = 0; start <= ushort.MaxValue; start += 16)
        {
            for (uint j = 0; j < 16; j++)
            {
                bits[j] = start + j;
            }

            var v512 = HalfPairwiseSum.ToSingle(Vector512.Create(bits));
            var v256 = HalfPairwiseSum.ToSingle(Vector256.Create(bits.AsSpan(0, 8)));
            var v128 = HalfPairwiseSum.ToSingle(Vector128.Create(bits.AsSpan(8, 4)));
            for (int j = 0; j < 16; j++)
            {
                var expected = (float)BitConverter.UInt16BitsToHalf((ushort)bits[j]);
                AssertSame(expected, v512[j]);
                if (j < 8)
                {
                    AssertSame(expected, v256[j]);
                }

                if (j is >= 8 and < 12)
                {
                    AssertSame(expected, v128[j - 8]);
                }
            }
        }
    }

    [Fact]
    public void Encode_RoundsToNearestHalf_AndOverflowsToInfinity()
    {
        float[] source = [0.1f, 1f / 3f, 65504f, 65520f, -70000f, float.NaN, 6e-8f, -0f];
        var stored = new Half[source.Length];
        Float16Distance.Encode(source, stored);
        var back = new float[source.Length];
        Float16Distance.Decode(stored, back);

        Assert.Equal(0.0999755859375f, back[0]);
        Assert.Equal(0.333251953125f, back[1]);
        Assert.Equal(65504f, back[2]);
        Assert.Equal(float.PositiveInfinity, back[3]);
        Assert.Equal(float.NegativeInfinity, back[4]);
        Assert.True(float.IsNaN(back[5]));
        Assert.Equal(5.9604645e-8f, back[6]);
        Assert.True(float.IsNegative(back[7]));
    }

    private static void AssertSame(float expected, float actual)
    {
        if (float.IsNaN(expected))
        {
            Assert.True(float.IsNaN(actual));
            return;
        }

        Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual));
    }

    private static void AssertClose((double Value, double Magnitude) expected, float actual) =>
        Assert.True(Math.Abs(actual - expected.Value) <= (Oracle.RelativeTolerance * expected.Magnitude) + 1e-6,
            $"expected {expected.Value}, got {actual}");

    private static int Width(KernelPath path) => path switch
    {
        KernelPath.Vector512 => 512,
        KernelPath.Vector256 => 256,
        KernelPath.Vector128 => 128,
        _ => 0,
    };

    private static float[] Wide(Half[] values) => [.. values.Select(h => (float)h)];

    private static (Half[] A, Half[] B) Halves(int length, int seed)
    {
        var random = new Random(seed);
        var a = new Half[length];
        var b = new Half[length];
        for (int i = 0; i < length; i++)
        {
            a[i] = (Half)((random.NextSingle() * 4f) - 2f);
            b[i] = (Half)((random.NextSingle() * 4f) - 2f);
        }

        return (a, b);
    }
}
