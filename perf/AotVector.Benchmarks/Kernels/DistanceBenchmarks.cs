using System.Numerics.Tensors;
using AotVector.Kernels;
using AotVector.Kernels.Distance;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace AotVector.Benchmarks.Kernels;

/// <summary>
/// Our distance kernels against <see cref="TensorPrimitives"/> (the BCL baseline) for one pair of vectors,
/// at the dimensions of common embedding models (128, 768, 1536) and Fashion-MNIST (784).
/// </summary>
[Config(typeof(PgoAndNoPgo))]
[MemoryDiagnoser]
public class DistanceBenchmarks
{
    /// <summary>
    /// Each row twice: with dynamic PGO (the runtime's default) and without. Under BenchmarkDotNet's harness, PGO
    /// turns <c>TensorPrimitives.CosineSimilarity</c> into code several times slower than its own tier-1 code without
    /// PGO (a plain loop in its own process runs it fast with PGO on), so a single job would show the baseline at its
    /// worst. The figures are in perf/results/design-measurements.md.
    /// </summary>
    private sealed class PgoAndNoPgo : ManualConfig
    {
        public PgoAndNoPgo()
        {
            AddJob(Job.ShortRun.WithId("PGO"));
            AddJob(Job.ShortRun.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredPGO", "0")).WithId("NoPGO"));
        }
    }

    // 64-byte aligned, as stored vectors (file layout) and HNSW queries (SearchContext) are: with plain arrays each
    // benchmark process drew its own alignment, which moved single rows from one run to the next.
    private AlignedFloats _a = new(0);
    private AlignedFloats _b = new(0);

    private ReadOnlySpan<float> A => _a.Span;

    private ReadOnlySpan<float> B => _b.Span;

    [Params(128, 768, 784, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = new AlignedFloats(Dim);
        _b = new AlignedFloats(Dim);
        for (var i = 0; i < Dim; i++)
        {
            _a.Span[i] = (float)(rng.NextDouble() * 2 - 1);
            _b.Span[i] = (float)(rng.NextDouble() * 2 - 1);
        }
    }

    [Benchmark(Baseline = true)]
    public float DotTensorPrimitives() => TensorPrimitives.Dot(A, B);

    [Benchmark]
    public float DotOurs() => Dot.Compute(A, B);

    [Benchmark]
    public float SquaredL2TensorPrimitives()
    {
        // TensorPrimitives has no squared distance; Distance is its square root, which is what callers would use.
        return TensorPrimitives.Distance(A, B);
    }

    [Benchmark]
    public float SquaredL2Ours() => SquaredL2.Compute(A, B);

    [Benchmark]
    public float CosineTensorPrimitives() => TensorPrimitives.CosineSimilarity(A, B);

    [Benchmark]
    public float CosineOurs()
    {
        // Our cosine is a dot product over vectors normalized at insert time; this measures the full
        // un-normalized form for a like-for-like comparison.
        return Dot.Compute(A, B) / MathF.Sqrt(Dot.Compute(A, A) * Dot.Compute(B, B));
    }
}
