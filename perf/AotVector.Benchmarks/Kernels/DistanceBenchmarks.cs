using System.Numerics.Tensors;
using AotVector.Kernels.Distance;
using BenchmarkDotNet.Attributes;

namespace AotVector.Benchmarks.Kernels;

/// <summary>
/// Our distance kernels against <see cref="TensorPrimitives"/> (the BCL baseline) for one pair of vectors,
/// at the dimensions of common embedding models (128, 768, 1536) and Fashion-MNIST (784).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class DistanceBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];

    [Params(128, 768, 784, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = Enumerable.Range(0, Dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        _b = Enumerable.Range(0, Dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Benchmark(Baseline = true)]
    public float DotTensorPrimitives() => TensorPrimitives.Dot(_a, _b);

    [Benchmark]
    public float DotOurs() => Dot.Compute(_a, _b);

    [Benchmark]
    public float SquaredL2TensorPrimitives()
    {
        // TensorPrimitives has no squared distance; Distance is its square root, which is what callers would use.
        return TensorPrimitives.Distance(_a, _b);
    }

    [Benchmark]
    public float SquaredL2Ours() => SquaredL2.Compute(_a, _b);

    [Benchmark]
    public float CosineTensorPrimitives() => TensorPrimitives.CosineSimilarity(_a, _b);

    [Benchmark]
    public float CosineOurs()
    {
        // Our cosine is a dot product over vectors normalized at insert time; this measures the full
        // un-normalized form for a like-for-like comparison.
        return Dot.Compute(_a, _b) / MathF.Sqrt(Dot.Compute(_a, _a) * Dot.Compute(_b, _b));
    }
}
