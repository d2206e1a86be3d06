using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

public sealed partial class RestApiTests
{
    private const string FilterCollection = "coll_filters";

    [Theory]
    [InlineData("""{"must": [{"key": "tags", "match": {"value": "a"}}]}""", "1,5")]
    [InlineData("""{"must": [{"key": "tags", "match": {"any": ["b", "c"]}}]}""", "1,2")]
    [InlineData("""{"must": [{"key": "price", "range": {"gte": 10}}]}""", "1,2")]
    [InlineData("""{"must": [{"key": "price", "match": {"value": 10}}]}""", "1")]
    [InlineData("""{"must": [{"is_empty": {"key": "tags"}}]}""", "3,4")]
    [InlineData("""{"must": [{"is_null": {"key": "opt"}}]}""", "1")]
    [InlineData("""{"must": [{"key": "meta.color", "match": {"value": "red"}}]}""", "1")]
    [InlineData("""{"must": [{"key": "items[].k", "match": {"value": 3}}]}""", "2")]
    [InlineData("""{"must": [{"key": "tags", "values_count": {"gte": 2}}]}""", "1")]
    [InlineData("""{"must": [{"key": "when", "range": {"gte": "2024-02-01T00:00:00Z"}}]}""", "2")]
    [InlineData("""{"must": [{"key": "flag", "match": {"value": true}}]}""", "1")]
    [InlineData("""{"must_not": [{"key": "tags", "match": {"value": "a"}}]}""", "2,3,4")]
    [InlineData("""{"should": [{"key": "meta.color", "match": {"value": "red"}}, {"key": "meta.color", "match": {"value": "blue"}}]}""", "1,2")]
    [InlineData("""{"min_should": {"conditions": [{"key": "tags", "match": {"value": "a"}}, {"key": "price", "range": {"lte": 10}}, {"key": "meta.color", "match": {"value": "red"}}], "min_count": 2}}""", "1,5")]
    [InlineData("""{"must": [{"has_id": [2, 3, 4]}], "must_not": [{"is_empty": {"key": "items"}}]}""", "2")]
    public async Task FiltersFollowQdrantSemantics(string filter, string expectedIds)
    {
        await EnsureFilterCollectionAsync();
        var ids = (await _server.ScrollAllAsync(FilterCollection, filterJson: filter)).Select(r => r.At("id").IdText()).Order(StringComparer.Ordinal);
        Assert.Equal(expectedIds, string.Join(",", ids));
        Assert.Equal(expectedIds.Split(',').Length, await _server.CountAsync(FilterCollection, filter));
    }

    private static readonly SemaphoreSlim s_filterSetup = new(1, 1);

    private async Task EnsureFilterCollectionAsync()
    {
        // Theory rows share one collection; the first row creates it.
        await s_filterSetup.WaitAsync();
        try
        {
            var exists = (await _server.GetAsync($"/collections/{FilterCollection}/exists")).Ok();
            if (exists.At("exists").GetBoolean())
            {
                return;
            }

            await _server.CreateCollectionAsync(FilterCollection, """{"size": 2, "distance": "Dot"}""");
            await _server.UpsertAsync(FilterCollection, """
                [{"id": 1, "vector": [1, 0], "payload": {"tags": ["a", "b"], "price": 10, "meta": {"color": "red"}, "items": [{"k": 1}, {"k": 2}], "when": "2024-01-15T10:00:00Z", "opt": null, "flag": true}},
                 {"id": 2, "vector": [0, 1], "payload": {"tags": ["c"], "price": 20.5, "meta": {"color": "blue"}, "items": [{"k": 3}], "when": "2024-03-01T00:00:00Z", "opt": "x", "flag": false}},
                 {"id": 3, "vector": [1, 1], "payload": {"tags": [], "price": "30", "items": []}},
                 {"id": 4, "vector": [2, 1], "payload": {}},
                 {"id": 5, "vector": [1, 2], "payload": {"tags": "a", "price": 5}}]
                """);
        }
        finally
        {
            s_filterSetup.Release();
        }
    }
}
