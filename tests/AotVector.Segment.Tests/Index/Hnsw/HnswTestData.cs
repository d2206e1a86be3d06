using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;

namespace AotVector.Segment.Tests.Index.Hnsw;

/// <summary>Seeded clustered vectors and the exact oracle the recall tests compare against.</summary>
internal static class HnswTestData
{
    /// <summary>
    /// <paramref name="count"/> row-major vectors preprocessed for <paramref name="distance"/>: clustered points in a
    /// 12-dimensional latent space, projected linearly into <paramref name="dim"/> dimensions plus a little noise.
    /// Real embeddings look like this (clustered, low intrinsic dimension); uniform noise in 64+ dimensions does not.
    /// The same <paramref name="seed"/> gives the same projection, so data and queries must share it.
    /// </summary>
    public static float[] Clustered(int seed, int count, int dim, Distance distance, int pointSeed = 0)
    {
        const int Latent = 12;
        const int Clusters = 24;
        var shape = new Random(seed);
        var projection = new float[Latent * dim];
        for (int i = 0; i < projection.Length; i++)
        {
            projection[i] = (float)(shape.NextDouble() * 2 - 1);
        }

        var centres = new float[Clusters * Latent];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)(shape.NextDouble() * 2 - 1);
        }

        var rng = new Random(seed * 31 + pointSeed + 1);
        var latent = new float[Latent];
        var data = new float[count * dim];
        for (int p = 0; p < count; p++)
        {
            int c = rng.Next(Clusters);
            for (int l = 0; l < Latent; l++)
            {
                latent[l] = centres[(c * Latent) + l] + (float)((rng.NextDouble() + rng.NextDouble() - 1) * 0.5);
            }

            var row = data.AsSpan(p * dim, dim);
            for (int d = 0; d < dim; d++)
            {
                float sum = 0;
                for (int l = 0; l < Latent; l++)
                {
                    sum += latent[l] * projection[(l * dim) + d];
                }

                row[d] = sum + (float)((rng.NextDouble() - 0.5) * 0.05);
            }

            DistanceKernels.Preprocess(distance, row);
        }

        return data;
    }

    /// <summary>Exact top-k by brute force over the offsets <paramref name="include"/> accepts, best first.</summary>
    public static uint[] Exact(float[] data, int dim, ReadOnlySpan<float> query, int k, Distance distance, Func<uint, bool>? include = null)
    {
        int count = data.Length / dim;
        var scored = new List<(float Score, uint Offset)>(count);
        for (uint i = 0; i < count; i++)
        {
            if (include is null || include(i))
            {
                scored.Add((DistanceKernels.Similarity(distance, query, data.AsSpan((int)i * dim, dim)), i));
            }
        }

        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        return scored.Take(k).Select(s => s.Offset).ToArray();
    }

    /// <summary>Average recall@k of the index over the query rows, each compared with <see cref="Exact"/>.</summary>
    public static double Recall<TFilter>(IHnswIndex index, float[] data, float[] queries, int k, int ef, TFilter filter, bool[]? deleted, Func<uint, bool>? include)
        where TFilter : struct, IOffsetFilter
    {
        int dim = index.Dimension;
        int queryCount = queries.Length / dim;
        var hits = new ScoredOffset[k];
        double found = 0, expected = 0;
        for (int q = 0; q < queryCount; q++)
        {
            var query = queries.AsSpan(q * dim, dim);
            var truth = Exact(data, dim, query, k, index.Distance, include);
            int n = index.Search(query, k, ef, filter, deleted, hits);
            var got = hits.AsSpan(0, n).ToArray().Select(h => h.Offset).ToHashSet();
            found += truth.Count(got.Contains);
            expected += truth.Length;
        }

        return expected == 0 ? 1 : found / expected;
    }
}
