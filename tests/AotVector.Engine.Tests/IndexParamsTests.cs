using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests;

/// <summary>
/// Payload index parameters through the engine: kept with the index and shown in the payload schema as created,
/// after a restart with and without a flush (state file, WAL replay); an integer index without <c>lookup</c> or
/// <c>range</c> still answers such conditions (by checking each point), without <c>range</c> it cannot order; a
/// scroll-form query scores every point 1.0.
/// </summary>
public sealed class IndexParamsTests
{
    private static async Task<Result<UpdateResult>> Create(EngineFixture f, CreateFieldIndex create) =>
        await f.Engine.UpdateAsync(EngineFixture.Full, "c", create, new WriteOptions(true), default);

    private static void Fill(EngineFixture f) =>
        f.Upsert("c", [.. Enumerable.Range(0, 60).Select(i => EngineFixture.Point((ulong)i, [1, (float)i], new Payload
        {
            ["n"] = PayloadValue.FromInteger(i % 6),
            ["t"] = PayloadValue.FromString(i % 3 == 0 ? "a" : "b"),
        }))]);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Parameters_AreShownAsCreated_AndSurviveARestart(bool flushFirst)
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        Fill(f);
        var tenant = new FieldIndexOptions(IsTenant: true, EnableHnsw: false);
        var integer = new FieldIndexOptions(Lookup: true, Range: false, IsPrincipal: false);
        Assert.True((await Create(f, new CreateFieldIndex("t", PayloadSchemaType.Keyword) { Options = tenant })).IsOk);
        Assert.True((await Create(f, new CreateFieldIndex("n", PayloadSchemaType.Integer) { Options = integer })).IsOk);
        Assert.True((await Create(f, new CreateFieldIndex("bare", PayloadSchemaType.Float))).IsOk);
        Assert.True((await Create(f, new CreateFieldIndex("empty", PayloadSchemaType.Bool) { Options = new FieldIndexOptions() })).IsOk);

        void Check(VectorEngine engine)
        {
            var schema = engine.GetInfo(EngineFixture.Full, "c").Value!.PayloadSchema;
            Assert.Equal(tenant, schema["t"].Options);
            Assert.Equal(integer, schema["n"].Options);
            Assert.Null(schema["bare"].Options);
            Assert.Equal(new FieldIndexOptions(), schema["empty"].Options);
            Assert.Equal(60UL, schema["n"].Points);
        }

        Check(f.Engine);
        Check(f.Reopen(flushFirst));
    }

    [Fact]
    public async Task RecreatingWithOtherParameters_ReplacesThem()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        Fill(f);
        Assert.True((await Create(f, new CreateFieldIndex("n", PayloadSchemaType.Integer) { Options = new FieldIndexOptions(Range: false) })).IsOk);
        Assert.True((await Create(f, new CreateFieldIndex("n", PayloadSchemaType.Integer))).IsOk);
        Assert.Null(f.Engine.GetInfo(EngineFixture.Full, "c").Value!.PayloadSchema["n"].Options);
        var ordered = await f.Engine.ScrollAsync(EngineFixture.Full, "c", new ScrollRequest(null, 5, null, WithPayload.None, WithVector.None, new OrderBy("n")), default);
        Assert.True(ordered.IsOk);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task IntegerWithoutLookupOrRange_StillFilters_ByCheckingEachPoint(bool lookup, bool range)
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        Fill(f);
        Assert.True((await Create(f, new CreateFieldIndex("n", PayloadSchemaType.Integer) { Options = new FieldIndexOptions(Lookup: lookup, Range: range) })).IsOk);

        var match = new Filter(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(2)))]);
        var between = new Filter(Must: [new FieldCondition("n", Range: new RangeCondition(Gte: 1, Lt: 3))]);
        Assert.Equal(10UL, (await f.Engine.CountAsync(EngineFixture.Full, "c", new CountRequest(match, Exact: true), default)).Value);
        Assert.Equal(20UL, (await f.Engine.CountAsync(EngineFixture.Full, "c", new CountRequest(between, Exact: true), default)).Value);

        var ordered = await f.Engine.ScrollAsync(EngineFixture.Full, "c", new ScrollRequest(null, 5, null, WithPayload.None, WithVector.None, new OrderBy("n")), default);
        if (range)
        {
            Assert.True(ordered.IsOk);
            Assert.Equal(5, ordered.Value!.Points.Count);
        }
        else
        {
            Assert.False(ordered.IsOk);
            Assert.StartsWith("Wrong input: No range index for `order_by` key: `n`.", ordered.Error.Message);
        }
    }

    [Fact]
    public async Task ScrollFormQuery_ScoresEveryPointOne()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", 2, Distance.Dot);
        Fill(f);
        var filter = new Filter(Must: [new FieldCondition("t", Match: new MatchValue(PayloadValue.FromString("a")))]);
        var r = await f.Engine.QueryAsync(EngineFixture.Full, "c", new QueryRequest(null, null, filter, 7, 2, null, null, WithPayload.All, WithVector.None), default, default);
        Assert.Equal(7, r.Value!.Count);
        Assert.All(r.Value!, p => Assert.Equal(1f, p.Score));
        Assert.Equal([6UL, 9, 12, 15, 18, 21, 24], r.Value!.Select(p => p.Id.Num));
    }
}
