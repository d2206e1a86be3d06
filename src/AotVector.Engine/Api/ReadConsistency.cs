namespace AotVector.Engine.Api;

public enum ReadConsistencyKind : byte
{
    /// <summary>Ask <see cref="ReadConsistency.Factor"/> replicas and keep what all of them return.</summary>
    Factor,

    /// <summary>Ask every replica and keep what more than half of them return.</summary>
    Majority,

    /// <summary>Ask more than half of the replicas and keep what all of those return.</summary>
    Quorum,

    /// <summary>Ask every replica and keep what all of them return.</summary>
    All,
}

/// <summary>
/// The <c>consistency</c> of a read, as the reference defines it: how many replicas of a shard answer it, and how
/// many of the answers must agree on a point for it to be returned. The default asks one replica.
/// </summary>
public readonly record struct ReadConsistency(ReadConsistencyKind Kind, int Factor = 1)
{
    public static readonly ReadConsistency One = new(ReadConsistencyKind.Factor, 1);

    public static ReadConsistency OfFactor(int factor) => new(ReadConsistencyKind.Factor, Math.Max(1, factor));

    /// <summary>How many of <paramref name="replicas"/> (every replica of the shard, whatever its state) must answer.</summary>
    public int RequiredAnswers(int replicas) => Kind switch
    {
        ReadConsistencyKind.All or ReadConsistencyKind.Majority => replicas,
        ReadConsistencyKind.Quorum => (replicas / 2) + 1,
        _ => Math.Clamp(Factor, 1, Math.Max(1, replicas)),
    };

    /// <summary>How many of <paramref name="answers"/> must return a point (equal in every part) for it to be kept.</summary>
    public int Agreement(int answers) => Kind == ReadConsistencyKind.Majority ? (answers / 2) + 1 : answers;
}
