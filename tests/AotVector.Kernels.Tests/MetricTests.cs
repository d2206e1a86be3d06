using AotVector.Kernels.Distance;
using AotVector.Testing;

// The enum shares its name with the AotVector.Kernels.Distance namespace, which wins lookups inside AotVector.Kernels.*.
using DistanceKind = AotVector.Common.Model.Distance;

namespace AotVector.Kernels.Tests;

public sealed class MetricTests
{
    public static TheoryData<DistanceKind> AllDistances => new() { DistanceKind.Cosine, DistanceKind.Euclid, DistanceKind.Dot, DistanceKind.Manhattan };

    [Theory]
    [MemberData(nameof(AllDistances))]
    public void Similarity_IsGreaterForCloserVectors(DistanceKind distance)
    {
        var rng = new Random(11);
        float[] query = SeededRandom.Vector(rng, 128);
        float[] near = query.Select(x => x + 0.01f).ToArray();
        float[] far = query.Select(x => -x).ToArray();
        DistanceKernels.Preprocess(distance, query);
        DistanceKernels.Preprocess(distance, near);
        DistanceKernels.Preprocess(distance, far);

        float nearScore = DistanceKernels.Similarity(distance, query, near);
        float farScore = DistanceKernels.Similarity(distance, query, far);

        Assert.True(nearScore > farScore, $"{distance}: near {nearScore} should beat far {farScore}");
    }

    [Theory]
    [MemberData(nameof(AllDistances))]
    public void Postprocess_OrdersAsIsLargeBetterSays(DistanceKind distance)
    {
        var rng = new Random(12);
        float[] query = SeededRandom.Vector(rng, 64);
        float[] near = query.Select(x => x + 0.01f).ToArray();
        float[] far = query.Select(x => -x).ToArray();
        DistanceKernels.Preprocess(distance, query);
        DistanceKernels.Preprocess(distance, near);
        DistanceKernels.Preprocess(distance, far);

        float nearScore = DistanceKernels.Postprocess(distance, DistanceKernels.Similarity(distance, query, near));
        float farScore = DistanceKernels.Postprocess(distance, DistanceKernels.Similarity(distance, query, far));

        Assert.Equal(DistanceKernels.IsLargeBetter(distance), nearScore > farScore);
    }

    [Fact]
    public void Euclid_SimilarityIsNegatedSquaredDistance_AndScoreIsDistance()
    {
        var pair = new PaddedPair(100, seed: 21);
        double squared = Oracle.SquaredL2(pair.A, pair.B).Value;

        float similarity = EuclidMetric.Similarity(pair.A, pair.B);
        float score = EuclidMetric.Postprocess(similarity);

        Assert.True(similarity < 0);
        Assert.Equal(-squared, similarity, 1e-4 * squared);
        Assert.Equal(Math.Sqrt(squared), score, 1e-4 * Math.Sqrt(squared));
        Assert.Equal(3f, EuclidMetric.Postprocess(-9f));
        Assert.Equal(3f, EuclidMetric.Postprocess(9f));
    }

    [Fact]
    public void Manhattan_SimilarityIsNegatedL1_AndScoreIsDistance()
    {
        var pair = new PaddedPair(100, seed: 22);
        double l1 = Oracle.L1(pair.A, pair.B).Value;

        float similarity = ManhattanMetric.Similarity(pair.A, pair.B);

        Assert.Equal(-l1, similarity, 1e-4 * l1);
        Assert.Equal(l1, ManhattanMetric.Postprocess(similarity), 1e-4 * l1);
        Assert.Equal(5f, ManhattanMetric.Postprocess(-5f));
    }

    [Fact]
    public void Dot_SimilarityIsDotProduct_AndPostprocessIsIdentity()
    {
        var pair = new PaddedPair(100, seed: 23);

        Assert.Equal(Dot.Compute(pair.A, pair.B), DotMetric.Similarity(pair.A, pair.B));
        Assert.Equal(-1.5f, DotMetric.Postprocess(-1.5f));
        Assert.Equal(0.25f, CosineMetric.Postprocess(0.25f));
    }

    [Fact]
    public void Dot_And_Euclid_And_Manhattan_PreprocessLeavesVectorAlone()
    {
        float[] original = SeededRandom.Vector(new Random(24), 33);
        foreach (DistanceKind distance in new[] { DistanceKind.Dot, DistanceKind.Euclid, DistanceKind.Manhattan })
        {
            float[] v = (float[])original.Clone();
            DistanceKernels.Preprocess(distance, v);
            Assert.Equal(original, v);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(128)]
    [InlineData(784)]
    [InlineData(1536)]
    public void Cosine_OnNormalizedInput_EqualsCosineSimilarity(int dim)
    {
        var pair = new PaddedPair(dim, seed: 25 + dim);
        float[] a = pair.A.ToArray();
        float[] b = pair.B.ToArray();
        double expected = Oracle.Dot(a, b).Value / Math.Sqrt(Oracle.Dot(a, a).Value * Oracle.Dot(b, b).Value);

        CosineMetric.Preprocess(a);
        CosineMetric.Preprocess(b);
        float actual = CosineMetric.Postprocess(CosineMetric.Similarity(a, b));

        Assert.Equal(expected, actual, 1e-4);
    }

    [Fact]
    public void Cosine_OfVectorWithItself_IsOne()
    {
        float[] a = SeededRandom.Vector(new Random(26), 768);
        CosineMetric.Preprocess(a);

        Assert.Equal(1.0, CosineMetric.Similarity(a, a), 1e-5);
    }

    [Theory]
    [MemberData(nameof(AllDistances))]
    public void EnumEntryPoints_MatchGenericMetrics(DistanceKind distance)
    {
        var pair = new PaddedPair(77, seed: 27);
        float[] a = pair.A.ToArray();
        float[] b = pair.B.ToArray();

        (float similarity, float postprocessed, DistanceKind kind) = distance switch
        {
            DistanceKind.Cosine => Expect<CosineMetric>(a, b),
            DistanceKind.Euclid => Expect<EuclidMetric>(a, b),
            DistanceKind.Dot => Expect<DotMetric>(a, b),
            DistanceKind.Manhattan => Expect<ManhattanMetric>(a, b),
            _ => throw new ArgumentOutOfRangeException(nameof(distance)),
        };

        Assert.Equal(distance, kind);
        Assert.Equal(similarity, DistanceKernels.Similarity(distance, a, b));
        Assert.Equal(postprocessed, DistanceKernels.Postprocess(distance, similarity));
    }

    [Fact]
    public void IsLargeBetter_MatchesQdrantOrder()
    {
        Assert.True(DistanceKernels.IsLargeBetter(DistanceKind.Cosine));
        Assert.True(DistanceKernels.IsLargeBetter(DistanceKind.Dot));
        Assert.False(DistanceKernels.IsLargeBetter(DistanceKind.Euclid));
        Assert.False(DistanceKernels.IsLargeBetter(DistanceKind.Manhattan));
    }

    private static (float Similarity, float Postprocessed, DistanceKind Kind) Expect<TMetric>(float[] a, float[] b)
        where TMetric : struct, IDistanceMetric
    {
        float similarity = TMetric.Similarity(a, b);
        return (similarity, TMetric.Postprocess(similarity), TMetric.Kind);
    }
}
