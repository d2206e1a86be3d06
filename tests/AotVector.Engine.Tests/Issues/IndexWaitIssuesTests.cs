using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Issues;

/// <summary>
/// SEGMENT_WAITING_FOR_INDEX: a segment past the indexing threshold without its graph for longer than the bound is an
/// issue, solved once the graph is built. The optimizer is held back by a free-space floor no disk meets, as a full
/// disk would hold it; the engine's clock is advanced by hand.
/// </summary>
public sealed class IndexWaitIssuesTests
{
    private static readonly AccessContext Full = AccessContext.Full;

    [Fact]
    public async Task A_segment_waiting_past_the_bound_is_an_issue_until_its_graph_is_built()
    {
        using var dir = new TempDirectory("engine");
        var time = new ManualTimeProvider();
        using (var writer = VectorEngine.Open(EngineOptions.Defaults(dir.Path), time: time))
        {
            var created = await writer.CreateAsync(Full, new CreateCollectionRequest("c", new VectorsConfig(new VectorParams(16, Distance.Dot), null), OptimizersConfig: new OptimizersConfigDiff(IndexingThreshold: 1)), default);
            Assert.True(created.IsOk);
            var random = new Random(19);
            var points = Enumerable.Range(0, 200).Select(i => new PointStruct((ulong)i, new Dictionary<string, VectorData> { [""] = Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble()).ToArray() }, null)).ToArray();
            Assert.True((await writer.UpdateAsync(Full, "c", new UpsertPoints(points), new WriteOptions(true), default)).IsOk);
        }

        using var engine = VectorEngine.Open(EngineOptions.Defaults(dir.Path) with { MinFreeSpaceMb = ulong.MaxValue }, time: time);
        Assert.Empty(Waiting(engine)); // first seen now

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(Waiting(engine));

        time.Advance(TimeSpan.FromMinutes(2));
        var issue = Assert.Single(Waiting(engine));
        Assert.StartsWith("SEGMENT_WAITING_FOR_INDEX/c/0/", issue.Id, StringComparison.Ordinal);
        Assert.Equal("c", issue.RelatedCollection);
        Assert.Contains("more than 10 minutes", issue.Description, StringComparison.Ordinal);
        Assert.Contains("200 points", issue.Description, StringComparison.Ordinal);
        Assert.Empty(issue.Solutions);
        Assert.Contains("/collections/c/optimizations", issue.Refactor ?? "", StringComparison.Ordinal);

        // The optimizer's jobs, run here as its loop would once space returns: seal, then the graph.
        var collection = engine.CollectionForTests("c");
        while (collection.Optimize(1, CancellationToken.None))
        {
        }

        Assert.Equal(200UL, engine.GetInfo(Full, "c").Value!.IndexedVectorsCount);
        Assert.Empty(Waiting(engine));
    }

    private static List<IssueRecord> Waiting(VectorEngine engine) =>
        [.. engine.Issues(Full).Where(i => i.Id.StartsWith("SEGMENT_WAITING_FOR_INDEX/", StringComparison.Ordinal))];
}
