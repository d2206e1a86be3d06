using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class CollectionClusterEndpointsTests
{
    private readonly RestHarness _harness = new();

    [Theory]
    [InlineData("""{"move_shard":{"shard_id":2,"from_peer_id":1,"to_peer_id":3}}""", "move")]
    [InlineData("""{"replicate_shard":{"shard_id":2,"from_peer_id":1,"to_peer_id":3,"method":"stream_records"}}""", "replicate")]
    [InlineData("""{"abort_transfer":{"shard_id":2,"from_peer_id":1,"to_peer_id":3}}""", "abort")]
    [InlineData("""{"restart_transfer":{"shard_id":2,"from_peer_id":1,"to_peer_id":3,"method":"wal_delta"}}""", "restart")]
    [InlineData("""{"drop_replica":{"shard_id":2,"peer_id":3}}""", "drop")]
    public async Task Operations_MapToTheEngineRequest(string body, string kind)
    {
        var response = await _harness.SendAsync(CollectionClusterEndpoints.UpdateAsync, body, query: "?timeout=7");

        Assert.Equal("true", response.Result);
        ClusterOperation expected = kind switch
        {
            "move" => new MoveShard(2, 1, 3),
            "replicate" => new ReplicateShard(2, 1, 3, ShardTransferMethod.StreamRecords),
            "abort" => new AbortTransfer(2, 1, 3),
            "restart" => new RestartTransfer(2, 1, 3, ShardTransferMethod.WalDelta),
            _ => new DropReplica(2, 3),
        };
        Assert.Equal(expected, _harness.Collections.LastRequest);
        Assert.Equal(TimeSpan.FromSeconds(7), _harness.Collections.LastClusterTimeout);
    }

    [Fact]
    public async Task SamePeers_AreAValidationErrorAsTheReference()
    {
        var response = await _harness.SendAsync(CollectionClusterEndpoints.UpdateAsync, """{"move_shard":{"shard_id":0,"from_peer_id":5,"to_peer_id":5}}""");

        Assert.Equal(422, response.Status);
        Assert.Equal("""Validation error in JSON body: [move_shard.to_peer_id: cannot transfer shard to itself, "to_peer_id" must be different than 5 in "from_peer_id"]""", response.Error);
        Assert.Null(_harness.Collections.LastRequest);
    }

    [Theory]
    [InlineData("""{"move_shard":{"shard_id":0,"from_peer_id":1,"to_peer_id":2},"drop_replica":{"shard_id":0,"peer_id":1}}""", "untagged enum ClusterOperations")]
    [InlineData("""{"nothing":{}}""", "untagged enum ClusterOperations")]
    [InlineData("""{"restart_transfer":{"shard_id":0,"from_peer_id":1,"to_peer_id":2}}""", "missing field `method`")]
    [InlineData("""{"move_shard":{"shard_id":0,"from_peer_id":1,"to_peer_id":2,"method":"teleport"}}""", "unknown variant `teleport`")]
    [InlineData("""{"drop_replica":{"shard_id":0}}""", "missing field `peer_id`")]
    public async Task MalformedBodies_AreRefusedBeforeTheEngine(string body, string expected)
    {
        var response = await _harness.SendAsync(CollectionClusterEndpoints.UpdateAsync, body);

        Assert.Equal(400, response.Status);
        Assert.Contains(expected, response.Error);
        Assert.Null(_harness.Collections.LastRequest);
    }

    [Theory]
    [InlineData("create_sharding_key")]
    [InlineData("start_resharding")]
    [InlineData("replicate_points")]
    public async Task OperationsNotBuilt_AreRefusedAsNotSupportedYet(string name)
    {
        var response = await _harness.SendAsync(CollectionClusterEndpoints.UpdateAsync, "{\"" + name + "\":{}}");

        Assert.Equal(400, response.Status);
        Assert.Equal($"Wrong input: the cluster operation `{name}` is not supported yet", response.Error);
    }

    [Fact]
    public async Task ClusterInfo_ShowsRunningTransfersInTheReferenceShape()
    {
        _harness.Collections.ClusterTransfers = [new ShardTransferInfo(Guid.NewGuid(), 1, 7, 9, false, ShardTransferMethod.StreamRecords)];

        var response = await _harness.SendAsync(CollectionsEndpoints.ClusterInfoAsync);

        Assert.Contains("\"shard_transfers\":[{\"shard_id\":1,\"from\":7,\"to\":9,\"sync\":false,\"method\":\"stream_records\"}]", response.Result);
    }
}
