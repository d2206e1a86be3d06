using System.Numerics;
using AotVector.Kernels.Distance;

namespace AotVector.Kernels.Tests;

public sealed class BinaryCodesTests
{
    public static TheoryData<KernelPath, int> PathsAndLengths()
    {
        var data = new TheoryData<KernelPath, int>();
        foreach (var path in new[] { KernelPath.Dispatch, KernelPath.Vector512, KernelPath.Vector256, KernelPath.Vector128, KernelPath.Scalar })
        {
            for (int length = 0; length <= 40; length++)
            {
                data.Add(path, length);
            }

            foreach (int length in new[] { 48, 96, 1024 })
            {
                data.Add(path, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void XorPopCount_MatchesOracle(KernelPath path, int length)
    {
        var (a, b) = (Words(length, 7000 + length), Words(length, 8000 + length));

        long actual = path switch
        {
            KernelPath.Dispatch => BinaryCodes.XorPopCount(Inner(a, length), Inner(b, length)),
            _ => BinaryCodes.XorPopCountPath(Inner(a, length), Inner(b, length), Width(path)),
        };

        long expected = 0;
        for (int i = 0; i < length; i++)
        {
            for (int bit = 0; bit < 64; bit++)
            {
                expected += ((Inner(a, length)[i] >> bit) & 1) != ((Inner(b, length)[i] >> bit) & 1) ? 1 : 0;
            }
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void XorPopCountWeighted_MatchesOracle(KernelPath path, int length)
    {
        foreach (var bits in new[] { 4, 8 })
        {
            var data = Words(length, 9000 + length);
            var query = Words(length * bits, 9500 + length + bits);

            long actual = path switch
            {
                KernelPath.Dispatch => BinaryCodes.XorPopCountWeighted(Inner(data, length), Inner(query, length * bits), bits),
                _ => BinaryCodes.XorPopCountWeightedPath(Inner(data, length), Inner(query, length * bits), bits, Width(path)),
            };

            // Per dimension: the query's value where the data bit is 0, its complement where it is 1.
            long expected = 0;
            for (int w = 0; w < length; w++)
            {
                for (int bit = 0; bit < 64; bit++)
                {
                    long value = 0;
                    for (int b = 0; b < bits; b++)
                    {
                        value |= (long)((Inner(query, length * bits)[(w * bits) + b] >> bit) & 1) << b;
                    }

                    var set = ((Inner(data, length)[w] >> bit) & 1) == 1;
                    expected += set ? ((1L << bits) - 1) - value : value;
                }
            }

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void XorPopCount_AllBitsDiffer_CountsEveryBit()
    {
        var ones = Enumerable.Repeat(ulong.MaxValue, 1000).ToArray();

        Assert.Equal(64_000, BinaryCodes.XorPopCount(ones, new ulong[1000]));
        Assert.Equal(1000L * 64 * 255, BinaryCodes.XorPopCountWeighted(new ulong[1000], Enumerable.Repeat(ulong.MaxValue, 8000).ToArray(), 8));
    }

    [Fact]
    public void Kernels_Throw_OnBadShapes()
    {
        Assert.Throws<ArgumentException>(() => BinaryCodes.XorPopCount(new ulong[3], new ulong[2]));
        Assert.Throws<ArgumentException>(() => BinaryCodes.XorPopCountWeighted(new ulong[3], new ulong[11], 4));
        Assert.Throws<ArgumentException>(() => BinaryCodes.XorPopCountWeighted(new ulong[3], new ulong[6], 2));
    }

    [Fact]
    public void PopCount_OfRandomWords_MatchesBitOperations()
    {
        var words = Words(4096, 42);
        long expected = words.Sum(w => (long)BitOperations.PopCount(w));

        Assert.Equal(expected, BinaryCodes.XorPopCount(words, new ulong[words.Length]));
    }

    // Words at an odd offset inside a buffer of set bits the kernels must never read (a read past the span adds to the count).
    private const int Pad = 5;

    private static int Width(KernelPath path) => path switch
    {
        KernelPath.Vector512 => 512,
        KernelPath.Vector256 => 256,
        KernelPath.Vector128 => 128,
        _ => 0,
    };

    private static ulong[] Words(int length, int seed)
    {
        var rng = new Random(seed);
        var words = new ulong[length + (2 * Pad)];
        words.AsSpan().Fill(ulong.MaxValue);
        for (int i = 0; i < length; i++)
        {
            words[Pad + i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 33);
        }

        return words;
    }

    private static ReadOnlySpan<ulong> Inner(ulong[] buffer, int length) => buffer.AsSpan(Pad, length);
}
