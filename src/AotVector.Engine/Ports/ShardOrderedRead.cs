using AotVector.Common.Model;

namespace AotVector.Engine.Ports;

/// <summary>A point and one value it is ordered by (a point with several values comes once per value).</summary>
public readonly record struct OrderedPoint(OrderValue Value, PointId Id);

/// <summary>A uniform random sample of a shard's matching points, in random order, and how many points matched.</summary>
public sealed record ShardSample(IReadOnlyList<PointId> Ids, ulong Matching);
