using AotVector.Kernels.Distance;

namespace AotVector.AnnBench;

/// <summary>Exact Euclidean top-k of every query by brute force, tiled so each base vector is read once per block of queries.</summary>
internal static class GroundTruth
{
    private const int QueryBlock = 32;

    public static uint[] Compute(float[] data, float[] queries, int dim, int k)
    {
        int queryCount = queries.Length / dim;
        int baseCount = data.Length / dim;
        var truth = new uint[queryCount * k];
        int blocks = (queryCount + QueryBlock - 1) / QueryBlock;
        int done = 0;
        Parallel.For(0, blocks, block =>
        {
            int first = block * QueryBlock;
            int last = Math.Min(first + QueryBlock, queryCount);
            var best = new (float Distance, uint Offset)[last - first][];
            for (int q = first; q < last; q++)
            {
                best[q - first] = Enumerable.Repeat((float.PositiveInfinity, uint.MaxValue), k).ToArray();
            }

            for (int i = 0; i < baseCount; i++)
            {
                var vector = data.AsSpan(i * dim, dim);
                for (int q = first; q < last; q++)
                {
                    float distance = SquaredL2.Compute(queries.AsSpan(q * dim, dim), vector);
                    var top = best[q - first];
                    if (distance < top[k - 1].Distance)
                    {
                        // Insert into the sorted top-k (ties keep the lower offset first).
                        int j = k - 1;
                        while (j > 0 && top[j - 1].Distance > distance)
                        {
                            top[j] = top[j - 1];
                            j--;
                        }

                        top[j] = (distance, (uint)i);
                    }
                }
            }

            for (int q = first; q < last; q++)
            {
                for (int j = 0; j < k; j++)
                {
                    truth[(q * k) + j] = best[q - first][j].Offset;
                }
            }

            int finished = Interlocked.Increment(ref done);
            if (finished % 50 == 0)
            {
                Console.Error.WriteLine($"ground truth: {finished * QueryBlock}/{queryCount} queries");
            }
        });

        return truth;
    }
}
