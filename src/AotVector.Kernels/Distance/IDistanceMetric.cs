namespace AotVector.Kernels.Distance;

/// <summary>
/// A distance as three static steps, so generic callers (<c>where TMetric : struct, IDistanceMetric</c>)
/// get the kernel inlined with no delegate or virtual call.
/// </summary>
/// <remarks>
/// One convention everywhere, as in Qdrant's <c>Metric</c> trait: <see cref="Similarity"/> is "greater is closer"
/// for every metric (distances are negated). <see cref="Postprocess"/> turns it into the score shown to users,
/// whose order depends on the metric (see <see cref="DistanceKernels.IsLargeBetter"/>).
/// </remarks>
public interface IDistanceMetric
{
    static abstract Common.Model.Distance Kind { get; }

    /// <summary>Raw score; greater is closer. Both spans must have the same length.</summary>
    static abstract float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b);

    /// <summary>In-place transformation applied to every stored vector and every query (Cosine normalizes).</summary>
    static abstract void Preprocess(Span<float> vector);

    /// <summary>Maps a raw similarity to the user-visible score (e.g. Euclid's negated squared distance to a distance).</summary>
    static abstract float Postprocess(float score);
}
