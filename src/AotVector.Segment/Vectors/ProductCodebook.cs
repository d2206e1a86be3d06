using System.Numerics;
using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;

namespace AotVector.Segment.Vectors;

/// <summary>
/// The 256 centroids of every chunk of a product quantization, stored transposed: entry <c>[d * 256 + k]</c> is
/// centroid k's value in dimension d, so one dimension's 256 values are contiguous and a chunk's distances to all
/// centroids accumulate as whole vectors. Trained by k-means on a bounded, seeded sample as the reference trains
/// them (10,000 vectors, at most 100 rounds, euclidean for every distance; with 256 vectors or fewer the vectors
/// themselves are the centroids, the rest zero).
/// </summary>
internal sealed class ProductCodebook
{
    internal const int Centroids = ProductCodes.Centroids;
    internal const int SampleSize = 10_000;
    internal const int MaxRounds = 100;
    private const int Seed = 0x5EED;

    private readonly float[] _values;

    internal ProductCodebook(int dimension, int chunkSize, float[] values)
    {
        Dimension = dimension;
        ChunkSize = chunkSize;
        Chunks = (dimension + chunkSize - 1) / chunkSize;
        _values = values;
    }

    public int Dimension { get; }

    public int ChunkSize { get; }

    /// <summary>Codes per vector: one per chunk, the last chunk possibly shorter.</summary>
    public int Chunks { get; }

    public ReadOnlySpan<float> Values => _values;

    /// <summary>Trains the centroids on a seeded sample of the offsets not flagged in <paramref name="exclude"/>.</summary>
    public static ProductCodebook Train(IVectorSource vectors, Distance distance, bool[]? exclude, int chunkSize, CancellationToken ct)
    {
        var dimension = vectors.Dimension;
        var random = new Random(Seed);
        var sample = Sample(vectors, exclude, random);
        var data = new float[sample.Length * dimension];
        var scratch = new float[dimension];
        for (var i = 0; i < sample.Length; i++)
        {
            QuantizationInput.Original(vectors, sample[i], distance, binary: false, scratch).CopyTo(data.AsSpan(i * dimension, dimension));
        }

        var codebook = new ProductCodebook(dimension, chunkSize, new float[dimension * Centroids]);
        if (sample.Length <= Centroids)
        {
            for (var k = 0; k < sample.Length; k++)
            {
                for (var d = 0; d < dimension; d++)
                {
                    codebook._values[(d * Centroids) + k] = data[(k * dimension) + d];
                }
            }

            return codebook;
        }

        for (var chunk = 0; chunk < codebook.Chunks; chunk++)
        {
            codebook.KMeans(data, sample.Length, chunk, random, ct);
        }

        return codebook;
    }

    /// <summary>The nearest centroid of each chunk of <paramref name="vector"/> into <paramref name="codes"/>.</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        Span<float> distances = stackalloc float[Centroids];
        for (var chunk = 0; chunk < Chunks; chunk++)
        {
            var (start, length) = Range(chunk);
            codes[chunk] = (byte)Nearest(vector.Slice(start, length), start, distances);
        }
    }

    /// <summary>
    /// The query's lookup table: for each chunk, its similarity to each centroid on the float32 metric's scale
    /// (dot product for Dot and Cosine, negated squared distance for Euclid, negated L1 for Manhattan), so the
    /// sum over chunks approximates the similarity to the encoded vector.
    /// </summary>
    public float[] LookupTable(ReadOnlySpan<float> query, Distance distance)
    {
        var table = new float[Chunks * Centroids];
        for (var chunk = 0; chunk < Chunks; chunk++)
        {
            var (start, length) = Range(chunk);
            var sums = MemoryMarshal.Cast<float, Vector<float>>(table.AsSpan(chunk * Centroids, Centroids));
            for (var d = start; d < start + length; d++)
            {
                var q = new Vector<float>(query[d]);
                var row = MemoryMarshal.Cast<float, Vector<float>>(_values.AsSpan(d * Centroids, Centroids));
                for (var v = 0; v < row.Length; v++)
                {
                    sums[v] += distance switch
                    {
                        Distance.Euclid => -((row[v] - q) * (row[v] - q)),
                        Distance.Manhattan => -Vector.Abs(row[v] - q),
                        _ => row[v] * q,
                    };
                }
            }
        }

        return table;
    }

    private (int Start, int Length) Range(int chunk)
    {
        var start = chunk * ChunkSize;
        return (start, Math.Min(ChunkSize, Dimension - start));
    }

    // The live offsets, or a seeded uniform sample of SampleSize of them (partial Fisher-Yates), in random order.
    private static uint[] Sample(IVectorSource vectors, bool[]? exclude, Random random)
    {
        var live = new List<uint>((int)vectors.Count);
        for (uint i = 0; i < vectors.Count; i++)
        {
            if (exclude is null || i >= exclude.Length || !exclude[i])
            {
                live.Add(i);
            }
        }

        var take = Math.Min(SampleSize, live.Count);
        var all = CollectionsMarshal.AsSpan(live);
        for (var i = 0; i < take; i++)
        {
            var j = random.Next(i, all.Length);
            (all[i], all[j]) = (all[j], all[i]);
        }

        return all[..take].ToArray();
    }

    // Lloyd's k-means of one chunk over the sample (row-major, `count` rows of Dimension): the first 256 sample rows
    // start as centroids; an empty cluster restarts at a random row; stops when no assignment changes.
    private void KMeans(float[] data, int count, int chunk, Random random, CancellationToken ct)
    {
        var (start, length) = Range(chunk);
        for (var k = 0; k < Centroids; k++)
        {
            for (var d = 0; d < length; d++)
            {
                _values[((start + d) * Centroids) + k] = data[(k * Dimension) + start + d];
            }
        }

        var assigned = new int[count];
        Array.Fill(assigned, -1);
        var sums = new double[Centroids * length];
        var members = new int[Centroids];
        Span<float> distances = stackalloc float[Centroids];
        for (var round = 0; round < MaxRounds; round++)
        {
            ct.ThrowIfCancellationRequested();
            var changed = false;
            Array.Clear(sums);
            Array.Clear(members);
            for (var i = 0; i < count; i++)
            {
                var row = data.AsSpan((i * Dimension) + start, length);
                var k = Nearest(row, start, distances);
                changed |= assigned[i] != k;
                assigned[i] = k;
                members[k]++;
                for (var d = 0; d < length; d++)
                {
                    sums[(k * length) + d] += row[d];
                }
            }

            if (!changed)
            {
                break;
            }

            for (var k = 0; k < Centroids; k++)
            {
                var from = members[k] == 0 ? random.Next(count) : -1;
                for (var d = 0; d < length; d++)
                {
                    _values[((start + d) * Centroids) + k] = from >= 0
                        ? data[(from * Dimension) + start + d]
                        : (float)(sums[(k * length) + d] / members[k]);
                }
            }
        }
    }

    // The index of the centroid nearest (squared euclidean) to `part`, the dimensions from `start`.
    private int Nearest(ReadOnlySpan<float> part, int start, Span<float> distances)
    {
        var sums = MemoryMarshal.Cast<float, Vector<float>>(distances);
        sums.Clear();
        for (var d = 0; d < part.Length; d++)
        {
            var q = new Vector<float>(part[d]);
            var row = MemoryMarshal.Cast<float, Vector<float>>(_values.AsSpan((start + d) * Centroids, Centroids));
            for (var v = 0; v < row.Length; v++)
            {
                var diff = row[v] - q;
                sums[v] += diff * diff;
            }
        }

        // Lane-wise minimum with its index, then the best lane (the lowest index among equals).
        var lanes = Vector<float>.Count;
        var best = sums[0];
        var bestIndex = Vector<int>.Indices;
        var index = Vector<int>.Indices;
        var step = new Vector<int>(lanes);
        for (var v = 1; v < sums.Length; v++)
        {
            index += step;
            var less = Vector.LessThan(sums[v], best);
            best = Vector.ConditionalSelect(less, sums[v], best);
            bestIndex = Vector.ConditionalSelect(less, index, bestIndex);
        }

        var winner = bestIndex[0];
        var min = best[0];
        for (var lane = 1; lane < lanes; lane++)
        {
            if (best[lane] < min || (best[lane] == min && bestIndex[lane] < winner))
            {
                min = best[lane];
                winner = bestIndex[lane];
            }
        }

        return winner;
    }
}
