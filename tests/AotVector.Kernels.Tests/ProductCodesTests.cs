using AotVector.Kernels.Distance;

namespace AotVector.Kernels.Tests;

public sealed class ProductCodesTests
{
    public static TheoryData<KernelPath, int> PathsAndLengths()
    {
        var data = new TheoryData<KernelPath, int>();
        foreach (var path in new[] { KernelPath.Dispatch, KernelPath.Vector256, KernelPath.Vector128, KernelPath.Scalar })
        {
            for (int length = 0; length <= 40; length++)
            {
                data.Add(path, length);
            }

            foreach (int length in new[] { 48, 64, 96, 128, 1024 })
            {
                data.Add(path, length);
            }
        }

        return data;
    }

    // Whole-number entries keep every partial sum exact in float, so each path must equal the oracle exactly.
    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void Score_WholeNumberTable_EqualsOracle(KernelPath path, int length)
    {
        var rng = new Random(100 + length);
        var (codes, table) = Inputs(length, rng, () => rng.Next(-1000, 1001));

        Assert.Equal(Oracle(Inner(codes, length), table, length), Actual(path, Inner(codes, length), table));
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void Score_FractionalTable_MatchesOracleToRounding(KernelPath path, int length)
    {
        var rng = new Random(200 + length);
        var (codes, table) = Inputs(length, rng, () => (rng.NextSingle() * 2) - 1);

        var expected = Oracle(Inner(codes, length), table, length);
        Assert.Equal(expected, Actual(path, Inner(codes, length), table), 1e-4 * Math.Max(1, length));
    }

    [Fact]
    public void Score_PicksEachChunksOwnEntry()
    {
        // Entry (chunk j, code c) = j * 1000 + c: the sum names which entries were read.
        var table = new float[3 * ProductCodes.Centroids];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = ((i / ProductCodes.Centroids) * 1000) + (i % ProductCodes.Centroids);
        }

        Assert.Equal(7 + 1255 + 2000, ProductCodes.Score([7, 255, 0], table));
    }

    [Fact]
    public void Score_Throws_WhenTheTableIsShort() =>
        Assert.Throws<ArgumentException>(() => ProductCodes.Score(new byte[3], new float[(3 * ProductCodes.Centroids) - 1]));

    private const int Pad = 5;

    private static (byte[] Codes, float[] Table) Inputs(int length, Random rng, Func<float> entry)
    {
        // Codes at an odd offset inside a buffer; a read past them would pick entries the oracle does not.
        var codes = new byte[length + (2 * Pad)];
        rng.NextBytes(codes);
        var table = new float[length * ProductCodes.Centroids];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = entry();
        }

        return (codes, table);
    }

    private static ReadOnlySpan<byte> Inner(byte[] buffer, int length) => buffer.AsSpan(Pad, length);

    private static float Actual(KernelPath path, ReadOnlySpan<byte> codes, float[] table) => path switch
    {
        KernelPath.Dispatch => ProductCodes.Score(codes, table),
        KernelPath.Vector256 => ProductCodes.ScorePath(codes, table, 256),
        KernelPath.Vector128 => ProductCodes.ScorePath(codes, table, 128),
        _ => ProductCodes.ScorePath(codes, table, 0),
    };

    private static float Oracle(ReadOnlySpan<byte> codes, float[] table, int length)
    {
        double sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += table[(i * ProductCodes.Centroids) + codes[i]];
        }

        return (float)sum;
    }
}
