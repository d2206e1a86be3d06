namespace AotVector.Segment;

/// <summary>
/// When a named vector gets a graph: once its stored vectors pass <see cref="IndexingThresholdKb"/>, and again
/// when the part not covered by the graph grows past a fifth of what it covers, or when the graph was built with
/// another <see cref="M"/> or <see cref="EfConstruct"/>. <see cref="M"/> 0 disables graphs (an existing one is
/// dropped, see <see cref="PointSegment.HasUnwantedIndex"/>). With <see cref="Quantization"/>, each graph gets quantized
/// codes of the vectors it covers, built with it (or alone when only the quantization changed); without, codes are dropped.
/// With <see cref="PayloadM"/> above 0, a graph also gets extra links among the points of each indexed keyword, integer
/// or bool value held by more points than <see cref="FullScanThresholdKb"/> of vectors (<see cref="Index.Hnsw.PayloadLinks"/>).
/// With <see cref="Placement"/>, a sealed segment's vectors, graph and codes are placed in memory as it says
/// (<see cref="PointSegment.NeedsPlacement"/>); without, they stay as they are.
/// </summary>
public readonly record struct IndexingPolicy(ulong IndexingThresholdKb, int M, int EfConstruct, QuantizationSettings? Quantization = null, int PayloadM = 0, ulong FullScanThresholdKb = 10_000, VectorPlacement? Placement = null);
