namespace AotVector.Segment.Index.Hnsw;

/// <summary>One index hit: a dense point offset and its raw similarity (greater is closer; Euclid = -squared distance).</summary>
internal readonly record struct ScoredOffset(uint Offset, float Score);
