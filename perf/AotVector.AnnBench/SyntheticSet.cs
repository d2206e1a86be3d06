namespace AotVector.AnnBench;

/// <summary>
/// The seeded scale set: gaussian clusters whose points spread mostly along a few random directions per cluster
/// (plus a little isotropic noise), so the neighbourhoods have a low intrinsic dimension as real embeddings do;
/// isotropic 128-d noise alone would make every point nearly equidistant and the set unrealistically hard.
/// </summary>
internal static class SyntheticSet
{
    public const int Clusters = 500;
    public const int SpreadDimensions = 16;
    private const float Spread = 0.35f;
    private const float Noise = 0.05f;

    /// <summary>
    /// <paramref name="rows"/> points; the clusters (centres, directions) depend on <paramref name="seed"/> only, the
    /// points on <paramref name="pointSeed"/> too, so queries come from the same distribution but not from the base.
    /// </summary>
    public static float[] Generate(int rows, int dim, int seed, int pointSeed)
    {
        var clusterRandom = new Random(seed);
        var centres = new float[Clusters * dim];
        var directions = new float[Clusters * SpreadDimensions * dim];
        Fill(clusterRandom, centres, 1f);
        Fill(clusterRandom, directions, Spread);

        var random = new Random(pointSeed);
        var data = new float[(long)rows * dim];
        Span<float> weights = stackalloc float[SpreadDimensions];
        for (int i = 0; i < rows; i++)
        {
            int cluster = random.Next(Clusters);
            var point = data.AsSpan(i * dim, dim);
            centres.AsSpan(cluster * dim, dim).CopyTo(point);
            for (int w = 0; w < SpreadDimensions; w++)
            {
                weights[w] = Gaussian(random);
            }

            for (int w = 0; w < SpreadDimensions; w++)
            {
                var direction = directions.AsSpan(((cluster * SpreadDimensions) + w) * dim, dim);
                float weight = weights[w];
                for (int d = 0; d < dim; d++)
                {
                    point[d] += weight * direction[d];
                }
            }

            for (int d = 0; d < dim; d++)
            {
                point[d] += Noise * Gaussian(random);
            }
        }

        return data;
    }

    private static void Fill(Random random, Span<float> values, float scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = scale * Gaussian(random);
        }
    }

    // Box-Muller; one of the pair is dropped, which keeps the stream simple and still deterministic.
    private static float Gaussian(Random random)
    {
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v));
    }
}
