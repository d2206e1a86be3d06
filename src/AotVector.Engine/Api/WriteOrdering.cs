namespace AotVector.Engine.Api;

/// <summary>
/// A write's <c>ordering</c>, as the reference defines it: which peer coordinates the write of each shard. Writes
/// coordinated by one peer reach the replicas in one order, so medium and strong give every replica the same order.
/// </summary>
public enum WriteOrdering : byte
{
    /// <summary>The peer that received the write coordinates it (the default).</summary>
    Weak,

    /// <summary>The live replica with the highest peer id coordinates; the write fails when none is live.</summary>
    Medium,

    /// <summary>The replica with the highest peer id coordinates, live or not; the write fails while it is down.</summary>
    Strong,
}
