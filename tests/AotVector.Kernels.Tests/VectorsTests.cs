using AotVector.Kernels.Distance;
using AotVector.Testing;

namespace AotVector.Kernels.Tests;

public sealed class VectorsTests
{
    public static TheoryData<int> Lengths => KernelCases.Lengths();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Norm_MatchesOracle(int length)
    {
        var pair = new PaddedPair(length, seed: 4000 + length);
        double expected = Math.Sqrt(Oracle.Dot(pair.A, pair.A).Value);

        Assert.Equal(expected, Vectors.Norm(pair.A), (Oracle.RelativeTolerance * expected) + 1e-12);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Normalize_MatchesOracle_ForEveryLength(int length)
    {
        if (length == 0)
        {
            return;
        }

        float[] v = SeededRandom.Vector(new Random(5000 + length), length);
        double norm = Math.Sqrt(Oracle.Dot(v, v).Value);
        double[] expected = v.Select(x => x / norm).ToArray();
        float[] padded = [float.NaN, .. v, float.NaN];

        Vectors.Normalize(padded.AsSpan(1, length));

        Assert.True(float.IsNaN(padded[0]) && float.IsNaN(padded[^1]), "normalize wrote outside its span");
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(expected[i], padded[i + 1], 1e-5);
        }

        Assert.Equal(1.0, Vectors.Norm(padded.AsSpan(1, length)), 1e-5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(768)]
    public void Normalize_ZeroVector_StaysZero(int length)
    {
        float[] v = new float[length];

        Vectors.Normalize(v);

        Assert.All(v, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Normalize_IsStable_WhenRepeated()
    {
        float[] v = SeededRandom.Vector(new Random(51), 1500);
        Vectors.Normalize(v);
        float[] once = (float[])v.Clone();

        Vectors.Normalize(v);

        Assert.Equal(once, v);
    }

    [Fact]
    public void Normalize_LeavesVectorsBelowMachineEpsilonAlone_AsQdrantDoes()
    {
        float[] tiny = [1e-4f, 1e-4f, 0f];

        Vectors.Normalize(tiny);

        Assert.Equal([1e-4f, 1e-4f, 0f], tiny);
    }
}
