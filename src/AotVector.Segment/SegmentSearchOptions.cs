namespace AotVector.Segment;

/// <summary>
/// How a segment searches: <see cref="Exact"/> forces a full scan; <see cref="Ef"/> is the graph's search breadth
/// (Qdrant's hnsw_ef; null uses ef_construct); a filter whose matching vectors take less than
/// <see cref="FullScanThresholdKb"/> is answered by scanning just those points instead of walking the graph;
/// <see cref="Quantization"/> says whether and how quantized codes are used where the segment has them;
/// <see cref="Acorn"/> (the request's <c>acorn</c>) allows ACORN-1 graph search for selective filters.
/// </summary>
public readonly record struct SegmentSearchOptions(bool Exact = false, int? Ef = null, ulong FullScanThresholdKb = 10_000, QuantizedSearch Quantization = default, AcornSearch? Acorn = null);

/// <summary>
/// The search params' <c>acorn</c>: when <see cref="Enable"/>, a graph search whose filter is estimated to match at
/// most <see cref="MaxSelectivity"/> of the points expands two hops from each node and scores only matching nodes.
/// </summary>
public readonly record struct AcornSearch(bool Enable, double MaxSelectivity = AcornSearch.DefaultMaxSelectivity)
{
    /// <summary>The reference's default <c>max_selectivity</c>.</summary>
    public const double DefaultMaxSelectivity = 0.4;
}

/// <summary>
/// The search params' <c>quantization</c>: <see cref="Ignore"/> searches the float32 vectors; otherwise the codes
/// pick <c>limit × Oversampling</c> candidates (oversampling at or below 1 picks <c>limit</c>), rescored with
/// their float32 vectors when <see cref="Rescore"/>; null takes the codes' default, the reference's (no rescoring
/// for int8, rescoring for binary).
/// </summary>
public readonly record struct QuantizedSearch(bool Ignore = false, bool? Rescore = null, double Oversampling = 1)
{
    /// <summary>How many candidates the codes pick for <paramref name="limit"/> hits.</summary>
    public int Candidates(int limit) => Oversampling > 1 ? (int)Math.Min(int.MaxValue / 2, Oversampling * limit) : limit;
}
