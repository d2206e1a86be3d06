using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Issues;

/// <summary>
/// UNINDEXED_FIELD without a slow query: a collection searched again and again with a filter on an unindexed field
/// reports the field with the index to create; creating it solves the issue, and an indexed field is never reported.
/// </summary>
public sealed class RepeatedUnindexedFieldTests
{
    private static readonly AccessContext Full = AccessContext.Full;

    private static readonly Filter s_byCity = new(Must: [new FieldCondition("city", Match: new MatchValue(PayloadValue.FromString("Berlin")))]);

    [Fact]
    public async Task Repeated_filtered_searches_report_the_unindexed_field_until_it_is_indexed()
    {
        using var dir = new TempDirectory("engine");
        using var engine = VectorEngine.Open(EngineOptions.Defaults(dir.Path));
        Assert.True((await engine.CreateAsync(Full, new CreateCollectionRequest("c", new VectorsConfig(new VectorParams(4, Distance.Dot), null)), default)).IsOk);
        var points = Enumerable.Range(0, 20).Select(i => new PointStruct((ulong)i, new Dictionary<string, VectorData> { [""] = new float[] { i, 1, 0, 0 } },
            new Payload { ["city"] = PayloadValue.FromString(i % 2 == 0 ? "Berlin" : "Paris"), ["n"] = PayloadValue.FromInteger(i) })).ToArray();
        Assert.True((await engine.UpdateAsync(Full, "c", new UpsertPoints(points), new WriteOptions(true), default)).IsOk);

        async Task Search(Filter filter) => Assert.True((await engine.QueryAsync(Full, "c",
            new QueryRequest(new NearestQuery(new DenseVectorInput([1, 0, 0, 0])), null, filter, 3, 0, null, null, new WithPayload(false), new WithVector(false)), default, default)).IsOk);

        for (var i = 1; i < VectorEngine.RepeatedUnindexedSearches; i++)
        {
            await Search(s_byCity);
        }

        Assert.Empty(Unindexed(engine));
        await Search(s_byCity);
        var issue = Assert.Single(Unindexed(engine));
        Assert.Equal("UNINDEXED_FIELD/c/city", issue.Id);
        Assert.Equal("Unindexed field 'city' might be slowing queries down in collection 'c'", issue.Description);
        var fix = Assert.Single(issue.Solutions);
        Assert.Equal(("PUT", "/collections/c/index"), (fix.Method, fix.Uri));
        Assert.Contains("of schema \"keyword\"", fix.Message, StringComparison.Ordinal);

        Assert.True((await engine.UpdateAsync(Full, "c", new CreateFieldIndex("city", PayloadSchemaType.Keyword), new WriteOptions(true), default)).IsOk);
        Assert.Empty(Unindexed(engine));
        for (var i = 0; i < VectorEngine.RepeatedUnindexedSearches; i++)
        {
            await Search(s_byCity);
        }

        Assert.Empty(Unindexed(engine));
    }

    private static List<IssueRecord> Unindexed(VectorEngine engine) =>
        [.. engine.Issues(Full).Where(i => i.Id.StartsWith("UNINDEXED_FIELD/", StringComparison.Ordinal))];
}
