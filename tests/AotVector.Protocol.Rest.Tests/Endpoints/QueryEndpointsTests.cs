using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class QueryEndpointsTests
{
    private const string Hit = """{"id":4,"version":3,"score":1.5,"payload":{"a":1}}""";

    private readonly RestHarness _harness = new();

    public QueryEndpointsTests()
    {
        _harness.Points.Hits.Add(new ScoredPoint(PointId.FromNum(4), 3, 1.5f, new Payload { ["a"] = PayloadValue.FromInteger(1) }, null));
    }

    [Fact]
    public async Task Query_PointsObject()
    {
        var response = await _harness.SendAsync(QueryEndpoints.QueryAsync, """{"query":[1,2],"limit":1}""");
        Assert.Equal("{\"points\":[" + Hit + "]}", response.Result);
        Assert.IsType<NearestQuery>(_harness.Points.LastQuery!.Query);
    }

    [Fact]
    public async Task Query_OverflowedScores_AreWrittenAsTheLargestFloats_NaNAsNull()
    {
        _harness.Points.Hits.Clear();
        _harness.Points.Hits.Add(new ScoredPoint(PointId.FromNum(1), 1, float.PositiveInfinity, null, null));
        _harness.Points.Hits.Add(new ScoredPoint(PointId.FromNum(2), 1, float.NegativeInfinity, null, null));
        _harness.Points.Hits.Add(new ScoredPoint(PointId.FromNum(3), 1, float.NaN, null, null));
        var response = await _harness.SendAsync(QueryEndpoints.QueryAsync, """{"query":[1,2],"limit":3}""");
        Assert.Equal(
            """{"points":[{"id":1,"version":1,"score":3.4028235E+38},{"id":2,"version":1,"score":-3.4028235E+38},{"id":3,"version":1,"score":null}]}""",
            response.Result);
    }

    [Fact]
    public async Task Query_EmptyBody_IsScrollOrderedById()
    {
        await _harness.SendAsync(QueryEndpoints.QueryAsync, "");
        Assert.Null(_harness.Points.LastQuery!.Query);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("?timeout=7", 7)]
    public async Task QueryAndSearch_TimeoutParameter_BoundsTheEngineCall(string query, int? seconds)
    {
        TimeSpan? expected = seconds is { } s ? TimeSpan.FromSeconds(s) : null;
        await _harness.SendAsync(QueryEndpoints.QueryAsync, """{"query":[1,2]}""", query: query);
        Assert.Equal(expected, _harness.Points.LastReadOptions!.Value.Timeout);
        await _harness.SendAsync(QueryEndpoints.SearchBatchAsync, """{"searches":[{"vector":[1,2],"limit":1}]}""", query: query);
        Assert.Equal(expected, _harness.Points.LastReadOptions!.Value.Timeout);
    }

    [Fact]
    public async Task Query_TimeoutParameterOfZero_Is400()
    {
        var response = await _harness.SendAsync(QueryEndpoints.QueryAsync, """{"query":[1,2]}""", query: "?timeout=0");
        Assert.Equal(400, response.Status);
        Assert.Null(_harness.Points.LastQuery);
    }

    [Fact]
    public async Task Query_TimedOut_Is408WithTheEnginesMessage()
    {
        _harness.Points.Error = AvError.Timeout("Timeout error: Operation 'Search' timed out after 1s");
        var response = await _harness.SendAsync(QueryEndpoints.QueryAsync, """{"query":[1,2]}""", query: "?timeout=1");
        Assert.Equal(408, response.Status);
        Assert.Equal("Timeout: Timeout error: Operation 'Search' timed out after 1s", response.Error);
    }

    [Fact]
    public async Task Query_CancelledBecauseTheClientLeft_SendsNothing()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        _harness.Points.Error = AvError.Cancelled("the request was cancelled before it finished");
        var response = await _harness.SendAsync(QueryEndpoints.QueryAsync, """{"query":[1,2]}""", aborted: aborted.Token);
        Assert.Equal("", response.Body);
    }

    [Fact]
    public async Task QueryBatch_ListOfPointsObjects()
    {
        var response = await _harness.SendAsync(QueryEndpoints.QueryBatchAsync, """{"searches":[{"query":[1]},{"query":2}]}""");
        Assert.Equal("[{\"points\":[" + Hit + "]},{\"points\":[" + Hit + "]}]", response.Result);
        Assert.Equal(2, _harness.Points.LastQueryBatch!.Count);
    }

    [Fact]
    public async Task Search_BareArray()
    {
        var response = await _harness.SendAsync(QueryEndpoints.SearchAsync, """{"vector":[1,2],"top":1}""");
        Assert.Equal("[" + Hit + "]", response.Result);
    }

    [Fact]
    public async Task SearchBatch_And_RecommendBatch_ListOfLists()
    {
        var search = await _harness.SendAsync(QueryEndpoints.SearchBatchAsync, """{"searches":[{"vector":[1],"limit":1}]}""");
        Assert.Equal("[[" + Hit + "]]", search.Result);
        var recommend = await _harness.SendAsync(QueryEndpoints.RecommendBatchAsync, """{"searches":[{"positive":[1],"limit":1},{"positive":[2],"limit":1}]}""");
        Assert.Equal("[[" + Hit + "],[" + Hit + "]]", recommend.Result);
    }

    [Fact]
    public async Task Recommend_BareArray()
    {
        var response = await _harness.SendAsync(QueryEndpoints.RecommendAsync, """{"positive":[1],"negative":[[0.1,0.2]],"limit":1,"strategy":"best_score"}""");
        Assert.Equal("[" + Hit + "]", response.Result);
        Assert.Equal(RecommendStrategy.BestScore, Assert.IsType<RecommendQuery>(_harness.Points.LastQuery!.Query).Strategy);
    }

    [Fact]
    public async Task Search_MissingLimit_400()
    {
        var response = await _harness.SendAsync(QueryEndpoints.SearchAsync, """{"vector":[1,2]}""");
        Assert.Equal(400, response.Status);
        Assert.Equal("Format error in JSON body: missing field `limit`", response.Error);
        Assert.Null(_harness.Points.LastQuery);
    }

    [Fact]
    public async Task Query_SparseVector_ReachesTheEngine()
    {
        var response = await _harness.SendAsync(QueryEndpoints.QueryAsync, """{"query":{"indices":[1],"values":[0.5]},"using":"text"}""");
        Assert.Equal(200, response.Status);
        Assert.IsType<SparseVectorInput>(Assert.IsType<NearestQuery>(_harness.Points.LastQuery!.Query).Target);
    }
}
