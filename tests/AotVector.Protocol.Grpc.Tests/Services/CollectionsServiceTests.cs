using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Services;
using AotVector.Protocol.Grpc.Tests.Mapping;
using AotVector.Protocol.Grpc.Tests.TestSupport;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Services;

public sealed class CollectionsServiceTests
{
    private readonly FakeCollectionsApi _api = new();
    private readonly CollectionsService _service;

    public CollectionsServiceTests()
    {
        _service = new CollectionsService(_api);
    }

    [Fact]
    public async Task Create_PassesMappedRequestAndAccess()
    {
        var access = AccessContext.ReadOnly;
        var request = new Wire.CreateCollection
        {
            CollectionName = "books",
            VectorsConfig = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Cosine } },
        };

        var response = await _service.Create(request, TestServerCallContext.Create(access));

        Assert.True(response.Result);
        Assert.Same(access, _api.LastAccess);
        var mapped = Assert.IsType<CreateCollectionRequest>(_api.LastRequest);
        Assert.Equal(new VectorParams(4, Distance.Cosine), mapped.Vectors.Single);
    }

    [Fact]
    public async Task Create_NoAccessFeature_UsesFullAccess()
    {
        await _service.CollectionExists(new Wire.CollectionExistsRequest { CollectionName = "books" }, TestServerCallContext.Create());

        Assert.Same(AccessContext.Full, _api.LastAccess);
    }

    [Fact]
    public async Task Create_EngineError_BecomesStatusWithSameMessage()
    {
        _api.Error = AvError.AlreadyExists("Collection `books` already exists!");
        var request = new Wire.CreateCollection
        {
            CollectionName = "books",
            VectorsConfig = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Dot } },
        };

        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Create(request, TestServerCallContext.Create()));

        Assert.Equal(StatusCode.AlreadyExists, exception.StatusCode);
        Assert.Equal("Wrong input: Collection `books` already exists!", exception.Status.Detail);
    }

    [Fact]
    public async Task Create_InvalidRequest_IsInvalidArgumentWithoutEngineCall()
    {
        var request = new Wire.CreateCollection
        {
            CollectionName = "c",
            VectorsConfig = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 0, Distance = Wire.Distance.Dot } },
        };

        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Create(request, TestServerCallContext.Create()));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("size", exception.Status.Detail);
        Assert.Null(_api.LastRequest);
    }

    [Fact]
    public async Task Get_MapsInfo()
    {
        _api.Info = CollectionInfoMappingTests.Sample();

        var response = await _service.Get(new Wire.GetCollectionInfoRequest { CollectionName = "books" }, TestServerCallContext.Create());

        Assert.Equal(5UL, response.Result.PointsCount);
        Assert.Equal("books", _api.LastRequest);
        Assert.True(response.Time >= 0);
    }

    [Fact]
    public async Task Get_Missing_IsNotFound()
    {
        _api.Error = AvError.CollectionNotFound("x");
        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Get(new Wire.GetCollectionInfoRequest { CollectionName = "x" }, TestServerCallContext.Create()));

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
    }

    [Fact]
    public async Task Get_EmptyName_IsInvalidArgumentNamingField()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Get(new Wire.GetCollectionInfoRequest(), TestServerCallContext.Create()));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("collection_name", exception.Status.Detail);
    }

    [Fact]
    public async Task List_ReturnsNames()
    {
        var response = await _service.List(new Wire.ListCollectionsRequest(), TestServerCallContext.Create());

        Assert.Equal(new[] { "a", "b" }, response.Collections.Select(c => c.Name));
    }

    [Fact]
    public async Task Delete_Missing_AnswersFalse()
    {
        var response = await _service.Delete(new Wire.DeleteCollection { CollectionName = FakeCollectionsApi.Missing }, TestServerCallContext.Create());

        Assert.False(response.Result);
    }

    [Fact]
    public async Task Exists_MapsResult()
    {
        var response = await _service.CollectionExists(new Wire.CollectionExistsRequest { CollectionName = "a" }, TestServerCallContext.Create());

        Assert.True(response.Result.Exists);
    }

    [Fact]
    public async Task Aliases_UpdateAndList()
    {
        var change = new Wire.ChangeAliases();
        change.Actions.Add(new Wire.AliasOperations { DeleteAlias = new Wire.DeleteAlias { AliasName = "x" } });

        var updated = await _service.UpdateAliases(change, TestServerCallContext.Create());
        var all = await _service.ListAliases(new Wire.ListAliasesRequest(), TestServerCallContext.Create());
        var forCollection = await _service.ListCollectionAliases(new Wire.ListCollectionAliasesRequest { CollectionName = "a" }, TestServerCallContext.Create());

        Assert.True(updated.Result);
        Assert.Equal("x", Assert.Single(all.Aliases).AliasName);
        Assert.Equal("a", Assert.Single(forCollection.Aliases).CollectionName);
        Assert.Equal("a", _api.LastRequest);
    }

    [Fact]
    public async Task Update_PassesDiff()
    {
        var response = await _service.Update(new Wire.UpdateCollection { CollectionName = "a", HnswConfig = new Wire.HnswConfigDiff { M = 4 } }, TestServerCallContext.Create());

        Assert.True(response.Result);
        Assert.Equal(4UL, Assert.IsType<UpdateCollectionRequest>(_api.LastRequest).HnswConfig!.M);
    }

    [Fact]
    public async Task ShardKeyRpcs_AreUnimplementedAsNotSupportedYet()
    {
        var context = TestServerCallContext.Create();
        var calls = new Func<Task>[]
        {
            () => _service.CreateShardKey(new Wire.CreateShardKeyRequest(), context),
            () => _service.DeleteShardKey(new Wire.DeleteShardKeyRequest(), context),
            () => _service.ListShardKeys(new Wire.ListShardKeysRequest(), context),
        };

        foreach (var call in calls)
        {
            var exception = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unimplemented, exception.StatusCode);
            Assert.EndsWith("not supported yet", exception.Status.Detail);
        }
    }

    [Fact]
    public async Task UpdateCollectionClusterSetup_MapsTheOperationAndTimeout()
    {
        var request = new Wire.UpdateCollectionClusterSetupRequest
        {
            CollectionName = "books",
            MoveShard = new Wire.MoveShard { ShardId = 2, FromPeerId = 1, ToPeerId = 3, Method = Wire.ShardTransferMethod.StreamRecords },
            Timeout = 4,
        };

        var response = await _service.UpdateCollectionClusterSetup(request, TestServerCallContext.Create());

        Assert.True(response.Result);
        Assert.Equal(new MoveShard(2, 1, 3, ShardTransferMethod.StreamRecords), _api.LastRequest);
        Assert.Equal(TimeSpan.FromSeconds(4), _api.LastClusterTimeout);
    }

    [Fact]
    public async Task UpdateCollectionClusterSetup_SamePeers_InvalidArgumentAsRest()
    {
        var request = new Wire.UpdateCollectionClusterSetupRequest
        {
            CollectionName = "books",
            ReplicateShard = new Wire.ReplicateShard { ShardId = 0, FromPeerId = 5, ToPeerId = 5 },
        };

        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.UpdateCollectionClusterSetup(request, TestServerCallContext.Create()));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Equal("""Validation error in body: [replicate_shard.to_peer_id: cannot transfer shard to itself, "to_peer_id" must be different than 5 in "from_peer_id"]""", exception.Status.Detail);
        Assert.Null(_api.LastRequest);
    }

    [Fact]
    public async Task UpdateCollectionClusterSetup_ShardKeysAndMissingOperation_Refused()
    {
        var keys = new Wire.UpdateCollectionClusterSetupRequest { CollectionName = "books", CreateShardKey = new Wire.CreateShardKey() };
        var refused = await Assert.ThrowsAsync<RpcException>(() => _service.UpdateCollectionClusterSetup(keys, TestServerCallContext.Create()));
        Assert.Equal("Wrong input: the cluster operation `create_sharding_key` is not supported yet", refused.Status.Detail);

        var empty = new Wire.UpdateCollectionClusterSetupRequest { CollectionName = "books" };
        var missing = await Assert.ThrowsAsync<RpcException>(() => _service.UpdateCollectionClusterSetup(empty, TestServerCallContext.Create()));
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Null(_api.LastRequest);
    }

    [Fact]
    public async Task CollectionClusterInfo_ListsRunningTransfers()
    {
        _api.ClusterTransfers = [new ShardTransferInfo(Guid.NewGuid(), 1, 7, 9, false, ShardTransferMethod.StreamRecords)];

        var response = await _service.CollectionClusterInfo(new Wire.CollectionClusterInfoRequest { CollectionName = "books" }, TestServerCallContext.Create());

        var transfer = Assert.Single(response.ShardTransfers);
        Assert.Equal((1u, 7ul, 9ul, false), (transfer.ShardId, transfer.From, transfer.To, transfer.Sync));
    }
}
