using AotVector.Kernels.Distance;
using AotVector.Testing;

// The enum shares its name with the AotVector.Kernels.Distance namespace, which wins lookups inside AotVector.Kernels.*.
using DistanceKind = AotVector.Common.Model.Distance;

namespace AotVector.Kernels.Tests;

public sealed class BatchTests
{
    public static TheoryData<DistanceKind, int, int> Cases()
    {
        var data = new TheoryData<DistanceKind, int, int>();
        foreach (DistanceKind distance in new[] { DistanceKind.Cosine, DistanceKind.Euclid, DistanceKind.Dot, DistanceKind.Manhattan })
        {
            foreach (int dim in new[] { 1, 3, 16, 17, 128, 784 })
            {
                foreach (int count in new[] { 0, 1, 7 })
                {
                    data.Add(distance, dim, count);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Batch_EqualsPerVectorScoring(DistanceKind distance, int dim, int count)
    {
        (float[] query, float[] block) = Inputs(distance, dim, count, seed: (dim * 31) + count);
        float[] scores = new float[count + 2];
        scores.AsSpan().Fill(float.NaN);

        DistanceKernels.SimilarityBatch(distance, query, block, dim, scores);

        for (int i = 0; i < count; i++)
        {
            float expected = DistanceKernels.Similarity(distance, query, block.AsSpan(i * dim, dim));
            Assert.Equal(expected, scores[i]);
        }

        Assert.True(float.IsNaN(scores[count]) && float.IsNaN(scores[count + 1]), "batch wrote past N scores");
    }

    [Fact]
    public void GenericBatch_EqualsEnumBatch()
    {
        (float[] query, float[] block) = Inputs(DistanceKind.Euclid, 100, 9, seed: 61);
        float[] generic = new float[9];
        float[] byEnum = new float[9];

        DistanceKernels.SimilarityBatch<EuclidMetric>(query, block, 100, generic);
        DistanceKernels.SimilarityBatch(DistanceKind.Euclid, query, block, 100, byEnum);

        Assert.Equal(generic, byEnum);
    }

    [Theory]
    [InlineData(0, 0, 0, 1)]
    [InlineData(4, 4, 10, 3)]
    [InlineData(4, 4, 12, 2)]
    [InlineData(4, 5, 12, 3)]
    public void Batch_Throws_OnBadShape(int dim, int queryLength, int blockLength, int scoreCount)
    {
        float[] query = new float[queryLength];
        float[] block = new float[blockLength];
        float[] scores = new float[scoreCount];

        Assert.Throws<ArgumentException>(() => DistanceKernels.SimilarityBatch<DotMetric>(query, block, dim, scores));
    }

    [Fact]
    public void Batch_DoesNotAllocate()
    {
        (float[] query, float[] block) = Inputs(DistanceKind.Dot, 128, 64, seed: 62);
        float[] scores = new float[64];
        DistanceKernels.SimilarityBatch<DotMetric>(query, block, 128, scores);

        long before = GC.GetAllocatedBytesForCurrentThread();
        DistanceKernels.SimilarityBatch<DotMetric>(query, block, 128, scores);
        DistanceKernels.SimilarityBatch(DistanceKind.Manhattan, query, block, 128, scores);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static (float[] Query, float[] Block) Inputs(DistanceKind distance, int dim, int count, int seed)
    {
        var rng = new Random(seed);
        float[] query = SeededRandom.Vector(rng, dim);
        float[] block = new float[dim * count];
        DistanceKernels.Preprocess(distance, query);
        for (int i = 0; i < count; i++)
        {
            float[] v = SeededRandom.Vector(rng, dim);
            DistanceKernels.Preprocess(distance, v);
            v.CopyTo(block, i * dim);
        }

        return (query, block);
    }
}
