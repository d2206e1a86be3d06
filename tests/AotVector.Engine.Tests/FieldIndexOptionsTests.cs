using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests;

/// <summary>
/// Payload index creation through the engine: a geo index is built and shown in the schema, and survives a reopen;
/// parameters the engine honours or that equal what it does are accepted, the others refused as not supported yet.
/// </summary>
public sealed class FieldIndexOptionsTests
{
    private static async Task<Result<UpdateResult>> Create(EngineFixture f, CreateFieldIndex create) =>
        await f.Engine.UpdateAsync(EngineFixture.Full, "c", create, new WriteOptions(true), default);

    [Fact]
    public async Task GeoIndex_IsBuiltShownAndReopened()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        f.Upsert("c", [.. Enumerable.Range(0, 50).Select(i => EngineFixture.Point((ulong)i, [1, 0], new Payload
        {
            ["loc"] = PayloadValue.FromObject(new Payload { ["lon"] = PayloadValue.FromDouble(i), ["lat"] = PayloadValue.FromDouble(0) }),
        }))]);
        Assert.True((await Create(f, new CreateFieldIndex("loc", PayloadSchemaType.Geo))).IsOk);

        var filter = new Filter(Must: [new FieldCondition("loc", GeoBoundingBox: new GeoBoundingBox(new GeoPoint(9.5, 1), new GeoPoint(19.5, -1)))]);
        async Task Check(VectorEngine engine)
        {
            var info = engine.GetInfo(EngineFixture.Full, "c").Value!;
            Assert.Equal(PayloadSchemaType.Geo, info.PayloadSchema["loc"].DataType);
            Assert.Equal(50UL, info.PayloadSchema["loc"].Points);
            var count = await engine.CountAsync(EngineFixture.Full, "c", new CountRequest(filter, Exact: true), default);
            Assert.Equal(10UL, count.Value);
        }

        await Check(f.Engine);
        await Check(f.Reopen(flushFirst: true));
    }

    [Theory]
    [InlineData(PayloadSchemaType.Keyword)]
    [InlineData(PayloadSchemaType.Integer)]
    [InlineData(PayloadSchemaType.Geo)]
    public async Task DefaultValuedParameters_AreAccepted(PayloadSchemaType type)
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        var options = new FieldIndexOptions(IsTenant: false, IsPrincipal: false, OnDisk: false, Memory: IndexMemory.Pinned, EnableHnsw: true, Lookup: true, Range: true, Prefix: false);
        var created = await Create(f, new CreateFieldIndex("x", type) { Options = options });
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
    }

    public static TheoryData<FieldIndexOptions, string> Refused => new()
    {
        { new FieldIndexOptions(OnDisk: true), "Wrong input: payload indexes outside RAM (`on_disk: true`, `memory: cold` or `cached`) are not supported yet" },
        { new FieldIndexOptions(OnDisk: true, Memory: IndexMemory.Pinned), "" },
        { new FieldIndexOptions(Memory: IndexMemory.Cached), "Wrong input: payload indexes outside RAM (`on_disk: true`, `memory: cold` or `cached`) are not supported yet" },
        { new FieldIndexOptions(Lookup: false, Range: false), "Validation error: lookup: the 'lookup' and 'range' capabilities can't be both disabled" },
        { new FieldIndexOptions(Prefix: true), "Wrong input: prefix-indexed keywords (`prefix`) are not supported yet" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task OtherParameters_AreRefused(FieldIndexOptions options, string message)
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        var created = await Create(f, new CreateFieldIndex("x", PayloadSchemaType.Integer) { Options = options });
        if (message.Length == 0)
        {
            // `memory` overrides the deprecated `on_disk`, as in the reference.
            Assert.True(created.IsOk);
            return;
        }

        Assert.False(created.IsOk);
        Assert.Equal(message, created.Error.Message);
        Assert.False(f.Engine.GetInfo(EngineFixture.Full, "c").Value!.PayloadSchema.ContainsKey("x"));
    }

    [Fact]
    public async Task TextOnDisk_IsRefusedLikeTheOthers()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        var created = await Create(f, new CreateFieldIndex("t", PayloadSchemaType.Text) { Text = Common.FullText.TextIndexParams.Default with { OnDisk = true } });
        Assert.Contains("not supported yet", created.Error.Message);
    }
}
