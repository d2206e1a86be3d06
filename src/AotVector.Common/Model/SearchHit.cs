namespace AotVector.Common.Model;

/// <summary>
/// One search result as segments and shards pass it on: <see cref="Score"/> is the raw similarity (greater is closer,
/// Euclid = -squared distance); the collection turns it into the score a client sees.
/// </summary>
public readonly record struct SearchHit(PointId Id, float Score, ulong Version);
