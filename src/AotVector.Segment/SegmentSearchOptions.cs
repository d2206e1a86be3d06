namespace AotVector.Segment;

/// <summary>
/// How a segment searches: <see cref="Exact"/> forces a full scan; <see cref="Ef"/> is the graph's search breadth
/// (Qdrant's hnsw_ef; null uses ef_construct); a filter whose matching vectors take less than
/// <see cref="FullScanThresholdKb"/> is answered by scanning just those points instead of walking the graph.
/// </summary>
public readonly record struct SegmentSearchOptions(bool Exact = false, int? Ef = null, ulong FullScanThresholdKb = 10_000);
