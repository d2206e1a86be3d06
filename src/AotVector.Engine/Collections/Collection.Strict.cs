using AotVector.Engine.Strict;

namespace AotVector.Engine.Collections;

/// <summary>What strict mode reads of a collection and keeps for it between requests.</summary>
internal sealed partial class Collection : StrictModeCheck.ITarget
{
    private readonly StrictModeState _strictState = new();

    /// <summary>The rate limiters and size estimate of the whole collection (a one-shard view shares its collection's).</summary>
    public StrictModeState StrictState => _whole?.StrictState ?? _strictState;

    // Points over every shard; storage bytes over the shards held here (the reference estimates from its local shards too).
    StrictModeState.SizeStats StrictModeCheck.ITarget.SizeStats()
    {
        ulong vectors = 0;
        foreach (var shard in _local)
        {
            vectors += shard.StorageSizes(payloads: false).VectorBytes;
        }

        var payloads = Config.StrictModeConfig is { } strict
            ? StrictState.PayloadBytes(strict, () => (ulong)_local.Sum(s => (long)s.StorageSizes().PayloadBytes))
            : 0;
        return new StrictModeState.SizeStats(PointsCount, vectors, payloads);
    }
}
