using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Tests;

/// <summary>Collection settings at the edges of their types: refused with a message, or honoured, never a failure later.</summary>
public sealed class ConfigBoundsTests
{
    private static readonly VectorsConfig s_vectors = new(new VectorParams(2, Distance.Dot), null);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public async Task DeletedThresholdOutsideZeroToOne_IsRefused_OnCreateAndUpdate(double threshold)
    {
        using var f = new EngineFixture();
        var optimizers = new OptimizersConfigDiff(DeletedThreshold: threshold);

        var created = await f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("c", s_vectors, OptimizersConfig: optimizers), default);
        f.CreateCollection("d", 2, Distance.Dot);
        var updated = await f.Engine.UpdateAsync(EngineFixture.Full, new UpdateCollectionRequest("d", OptimizersConfig: optimizers), default);

        Assert.Equal(ErrorKind.Validation, created.Error.Kind);
        Assert.Contains("deleted_threshold", created.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Validation, updated.Error.Kind);
    }

    [Fact]
    public async Task WalSettingsPastTheWalsTypes_AreHonouredAsUnbounded_AndSurviveAReopen()
    {
        using var f = new EngineFixture();
        var created = await f.Engine.CreateAsync(
            EngineFixture.Full,
            new CreateCollectionRequest("w", s_vectors, WalConfig: new WalConfigDiff(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)),
            default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);

        f.Upsert("w", EngineFixture.Point(1, [1, 0]), EngineFixture.Point(2, [0, 1]));
        f.Reopen(flushFirst: false);

        Assert.Equal(2UL, f.Engine.GetInfo(EngineFixture.Full, "w").Value!.PointsCount);
        Assert.Equal(ulong.MaxValue, f.Engine.GetInfo(EngineFixture.Full, "w").Value!.Config.WalConfig.WalRetainClosed);
    }
}
