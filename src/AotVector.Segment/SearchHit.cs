using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>One search result: <see cref="Score"/> is the raw similarity (greater is closer, Euclid = -squared distance).</summary>
public readonly record struct SearchHit(PointId Id, float Score, ulong Version);
