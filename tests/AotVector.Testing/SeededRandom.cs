namespace AotVector.Testing;

/// <summary>Deterministic data for tests and benchmarks: the same seed gives the same vectors.</summary>
public static class SeededRandom
{
    public static float[] Vector(Random rng, int dim)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            v[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return v;
    }

    public static float[][] Vectors(int seed, int count, int dim)
    {
        var rng = new Random(seed);
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = Vector(rng, dim);
        }

        return result;
    }
}
