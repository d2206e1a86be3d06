using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

/// <summary>The grouped query, facet and matrix bodies as the engine receives them, and their answers as written.</summary>
public sealed class AggregateEndpointsTests
{
    private readonly RestHarness _harness = new();

    [Fact]
    public async Task QueryGroups_Defaults_AndTheGroupsShape()
    {
        _harness.Points.Groups.Add(new PointGroup(
            PayloadValue.FromInteger(7),
            [new ScoredPoint(PointId.FromNum(4), 3, 1.5f, null, null)],
            new PointRecord(PointId.FromNum(7), new Payload { ["t"] = PayloadValue.FromString("x") }, null)));
        _harness.Points.Groups.Add(new PointGroup(PayloadValue.FromString("a"), [], null));

        var response = await _harness.SendAsync(AggregateEndpoints.QueryGroupsAsync, """{"query":[1,2],"group_by":"doc.id","with_lookup":"docs"}""");

        Assert.Equal(
            """{"groups":[{"id":7,"hits":[{"id":4,"version":3,"score":1.5}],"lookup":{"id":7,"payload":{"t":"x"}}},{"id":"a","hits":[]}]}""",
            response.Result);
        var request = (GroupsRequest)_harness.Points.LastRequest!;
        Assert.Equal(("doc.id", RequestDefaults.GroupSize, RequestDefaults.Limit), (request.GroupBy, request.GroupSize, request.Source.Limit));
        Assert.Equal(GroupLookup.Named("docs"), request.WithLookup);
    }

    [Fact]
    public async Task SearchGroups_LookupObject_AndRequiredFields()
    {
        await _harness.SendAsync(AggregateEndpoints.SearchGroupsAsync, """{"vector":[1,2],"group_by":"k","limit":2,"group_size":5,"with_lookup":{"collection":"c","with_vectors":true}}""");
        var request = (GroupsRequest)_harness.Points.LastRequest!;
        Assert.Equal((2u, 5u), (request.Source.Limit, request.GroupSize));
        Assert.Equal(new GroupLookup("c", WithPayload.All, WithVector.All), request.WithLookup);

        var noGroupBy = await _harness.SendAsync(AggregateEndpoints.QueryGroupsAsync, """{"query":[1,2]}""");
        Assert.Equal(400, noGroupBy.Status);
        Assert.Contains("missing field `group_by`", noGroupBy.Error);
        var zero = await _harness.SendAsync(AggregateEndpoints.RecommendGroupsAsync, """{"positive":[1],"group_by":"k","limit":2,"group_size":0}""");
        Assert.Equal((422, "Validation error in JSON body: [group_size: value 0 invalid, must be 1 or larger]"), (zero.Status, zero.Error));
    }

    [Fact]
    public async Task Facet_DefaultsAndShape()
    {
        _harness.Points.FacetHits.Add(new FacetHit(PayloadValue.FromString("red"), 3));
        _harness.Points.FacetHits.Add(new FacetHit(PayloadValue.FromBool(true), 1));
        var response = await _harness.SendAsync(AggregateEndpoints.FacetAsync, """{"key":"color"}""");

        Assert.Equal("""{"hits":[{"value":"red","count":3},{"value":true,"count":1}]}""", response.Result);
        Assert.Equal(new FacetRequest("color", null, RequestDefaults.FacetLimit, RequestDefaults.FacetExact), _harness.Points.LastRequest);
    }

    [Fact]
    public async Task Matrix_PairsAndOffsetsShapes_AndDefaults()
    {
        _harness.Points.Matrix = new DistanceMatrix(
            [PointId.FromNum(1), PointId.FromNum(2)],
            [[new ScoredPoint(PointId.FromNum(2), 0, 0.5f, null, null)], [new ScoredPoint(PointId.FromNum(1), 0, 0.5f, null, null)]]);

        var pairs = await _harness.SendAsync(AggregateEndpoints.MatrixPairsAsync, "");
        Assert.Equal("""{"pairs":[{"a":1,"b":2,"score":0.5},{"a":2,"b":1,"score":0.5}]}""", pairs.Result);
        Assert.Equal(new MatrixRequest(null, RequestDefaults.MatrixSample, RequestDefaults.MatrixLimit, null), _harness.Points.LastRequest);

        var offsets = await _harness.SendAsync(AggregateEndpoints.MatrixOffsetsAsync, """{"sample":5,"limit":1,"using":"v"}""");
        Assert.Equal("""{"offsets_row":[0,1],"offsets_col":[1,0],"scores":[0.5,0.5],"ids":[1,2]}""", offsets.Result);
        Assert.Equal(new MatrixRequest(null, 5, 1, "v"), _harness.Points.LastRequest);
    }
}
