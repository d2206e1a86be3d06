using AotVector.Kernels.Distance;

namespace AotVector.Kernels.Tests;

public sealed class Int8CodesTests
{
    public static TheoryData<KernelPath, int> PathsAndLengths()
    {
        var data = new TheoryData<KernelPath, int>();
        foreach (var path in new[] { KernelPath.Dispatch, KernelPath.Vector512, KernelPath.Vector256, KernelPath.Vector128, KernelPath.Scalar })
        {
            for (int length = 0; length <= 130; length++)
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
        var (a, b) = Codes(length, seed: 5000 + length);

        int actual = path switch
        {
            KernelPath.Dispatch => Int8Codes.Dot(Inner(a, length), Inner(b, length)),
            KernelPath.Vector512 => Int8Codes.DotVector512(Inner(a, length), Inner(b, length)),
            KernelPath.Vector256 => Int8Codes.DotVector256(Inner(a, length), Inner(b, length)),
            KernelPath.Vector128 => Int8Codes.DotVector128(Inner(a, length), Inner(b, length)),
            _ => Int8Codes.DotScalarOnly(Inner(a, length), Inner(b, length)),
        };

        long expected = 0;
        for (int i = 0; i < length; i++)
        {
            expected += Inner(a, length)[i] * Inner(b, length)[i];
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void L1_MatchesOracle(KernelPath path, int length)
    {
        var (a, b) = Codes(length, seed: 6000 + length);

        int actual = path switch
        {
            KernelPath.Dispatch => Int8Codes.L1(Inner(a, length), Inner(b, length)),
            KernelPath.Vector512 => Int8Codes.L1Vector512(Inner(a, length), Inner(b, length)),
            KernelPath.Vector256 => Int8Codes.L1Vector256(Inner(a, length), Inner(b, length)),
            KernelPath.Vector128 => Int8Codes.L1Vector128(Inner(a, length), Inner(b, length)),
            _ => Int8Codes.L1ScalarOnly(Inner(a, length), Inner(b, length)),
        };

        long expected = 0;
        for (int i = 0; i < length; i++)
        {
            expected += Math.Abs(Inner(a, length)[i] - Inner(b, length)[i]);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Dot_AtTheLargestCodes_DoesNotOverflowItsLanes()
    {
        var a = Enumerable.Repeat(Int8Codes.MaxCode, 4096).ToArray();

        Assert.Equal(4096 * 127 * 127, Int8Codes.Dot(a, a));
        Assert.Equal(4096 * 127, Int8Codes.L1(a, new byte[4096]));
    }

    [Fact]
    public void Dot_Throws_OnLengthMismatch()
    {
        Assert.Throws<ArgumentException>(() => Int8Codes.Dot(new byte[17], new byte[16]));
        Assert.Throws<ArgumentException>(() => Int8Codes.L1(new byte[17], new byte[16]));
    }

    // Codes at an odd offset inside a buffer of bytes the kernels must never read (255 would overflow a lane pair
    // and change the sum, so a read past the span shows in the result).
    private const int Pad = 19;

    private static (byte[] A, byte[] B) Codes(int length, int seed)
    {
        var rng = new Random(seed);
        var a = new byte[length + (2 * Pad)];
        var b = new byte[length + (2 * Pad)];
        a.AsSpan().Fill(255);
        b.AsSpan().Fill(255);
        for (int i = 0; i < length; i++)
        {
            a[Pad + i] = (byte)rng.Next(0, Int8Codes.MaxCode + 1);
            b[Pad + i] = (byte)rng.Next(0, Int8Codes.MaxCode + 1);
        }

        return (a, b);
    }

    private static ReadOnlySpan<byte> Inner(byte[] buffer, int length) => buffer.AsSpan(Pad, length);
}
