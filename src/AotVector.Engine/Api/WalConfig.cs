namespace AotVector.Engine.Api;

public sealed record WalConfig(ulong WalCapacityMb, ulong WalSegmentsAhead, ulong WalRetainClosed)
{
    public static readonly WalConfig Default = new(32, 0, 1);

    public WalConfig Apply(WalConfigDiff? diff) => diff is null ? this : new(
        diff.WalCapacityMb ?? WalCapacityMb,
        diff.WalSegmentsAhead ?? WalSegmentsAhead,
        diff.WalRetainClosed ?? WalRetainClosed);
}

public sealed record WalConfigDiff(ulong? WalCapacityMb = null, ulong? WalSegmentsAhead = null, ulong? WalRetainClosed = null);
