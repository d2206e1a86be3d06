namespace AotVector.Engine.Api;

/// <summary>What a caller may do, globally or on one collection. Ordered: each level includes the ones before it.</summary>
public enum AccessLevel : byte
{
    None,
    Read,

    /// <summary>
    /// A JWT's <c>prw</c>: read, and write points only. Unlike <see cref="ReadWrite"/> it may not touch the
    /// collection's "extras" (payload indexes, snapshots), which serverless-style tokens must not manage.
    /// </summary>
    PointsReadWrite,
    ReadWrite,
    Manage,
}
