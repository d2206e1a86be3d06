using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Grpc.Services;
using AotVector.Protocol.Grpc.Tests.TestSupport;
using Grpc.Core;
using WriteOptions = AotVector.Engine.Api.WriteOptions;
using Wire = Qdrant.Client.Grpc;

#pragma warning disable CS0612, CS0618 // Search/Recommend are deprecated RPCs that must keep working

namespace AotVector.Protocol.Grpc.Tests.Services;

public sealed class PointsServiceTests
{
    private readonly FakePointsApi _api = new();
    private readonly PointsService _service;

    public PointsServiceTests()
    {
        _service = new PointsService(_api);
    }

    [Fact]
    public async Task Upsert_WaitUnset_IsFalseAndResultMapped()
    {
        var request = new Wire.UpsertPoints { CollectionName = "c" };
        request.Points.Add(new Wire.PointStruct { Id = new Wire.PointId { Num = 1 }, Vectors = new Wire.Vectors { Vector = new Wire.Vector { Dense = Dense(1, 2) } } });

        var response = await _service.Upsert(request, TestServerCallContext.Create());

        Assert.Equal("c", _api.LastCollection);
        Assert.False(_api.LastOptions!.Value.Wait);
        Assert.Null(_api.LastOptions.Value.Timeout);
        Assert.IsType<UpsertPoints>(_api.LastOperation);
        Assert.Equal(7UL, response.Result.OperationId);
        Assert.Equal(Wire.UpdateStatus.Acknowledged, response.Result.Status);
    }

    [Fact]
    public async Task Upsert_WaitAndTimeout_PassThrough()
    {
        await _service.Upsert(new Wire.UpsertPoints { CollectionName = "c", Wait = true, Timeout = 3 }, TestServerCallContext.Create());

        Assert.Equal(new WriteOptions(true, TimeSpan.FromSeconds(3)), _api.LastOptions);
    }

    [Fact]
    public async Task Upsert_WrongDimensionFromEngine_IsInvalidArgument()
    {
        _api.Error = AvError.BadRequest("Vector dimension error: expected dim: 4, got 3");

        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Upsert(new Wire.UpsertPoints { CollectionName = "c" }, TestServerCallContext.Create()));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", exception.Status.Detail);
    }

    [Fact]
    public async Task Upsert_MissingCollectionName_NamesField()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Upsert(new Wire.UpsertPoints(), TestServerCallContext.Create()));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("collection_name", exception.Status.Detail);
        Assert.Equal(0, _api.Calls);
    }

    [Fact]
    public async Task WriteRpcs_EachSendOneOperation()
    {
        var context = TestServerCallContext.Create();
        var selector = new Wire.PointsSelector { Filter = new Wire.Filter() };
        var vectors = new Wire.VectorsSelector();
        vectors.Names.Add("v");

        await _service.Delete(new Wire.DeletePoints { CollectionName = "c", Points = selector }, context);
        Assert.IsType<DeletePoints>(_api.LastOperation);
        await _service.UpdateVectors(new Wire.UpdatePointVectors { CollectionName = "c" }, context);
        Assert.IsType<UpdateVectors>(_api.LastOperation);
        await _service.DeleteVectors(new Wire.DeletePointVectors { CollectionName = "c", PointsSelector = selector, Vectors = vectors }, context);
        Assert.IsType<DeleteVectors>(_api.LastOperation);
        await _service.SetPayload(new Wire.SetPayloadPoints { CollectionName = "c", PointsSelector = selector }, context);
        Assert.IsType<SetPayload>(_api.LastOperation);
        await _service.OverwritePayload(new Wire.SetPayloadPoints { CollectionName = "c", PointsSelector = selector }, context);
        Assert.IsType<OverwritePayload>(_api.LastOperation);
        await _service.DeletePayload(new Wire.DeletePayloadPoints { CollectionName = "c", PointsSelector = selector }, context);
        Assert.IsType<DeletePayloadKeys>(_api.LastOperation);
        await _service.ClearPayload(new Wire.ClearPayloadPoints { CollectionName = "c", Points = selector }, context);
        Assert.IsType<ClearPayload>(_api.LastOperation);
        await _service.CreateFieldIndex(new Wire.CreateFieldIndexCollection { CollectionName = "c", FieldName = "f", FieldType = Wire.FieldType.Keyword }, context);
        Assert.Equal(new CreateFieldIndex("f", PayloadSchemaType.Keyword), _api.LastOperation);
        await _service.DeleteFieldIndex(new Wire.DeleteFieldIndexCollection { CollectionName = "c", FieldName = "f" }, context);
        Assert.Equal(new DeleteFieldIndex("f"), _api.LastOperation);
        Assert.Equal(9, _api.Calls);
    }

    [Fact]
    public async Task UpdateBatch_ReturnsOneResultPerOperation()
    {
        var request = new Wire.UpdateBatchPoints { CollectionName = "c", Wait = true };
        request.Operations.Add(new Wire.PointsUpdateOperation { ClearPayload = new Wire.PointsUpdateOperation.Types.ClearPayload { Points = new Wire.PointsSelector { Filter = new Wire.Filter() } } });
        request.Operations.Add(new Wire.PointsUpdateOperation { DeletePoints = new Wire.PointsUpdateOperation.Types.DeletePoints { Points = new Wire.PointsSelector { Filter = new Wire.Filter() } } });

        var response = await _service.UpdateBatch(request, TestServerCallContext.Create());

        Assert.Equal(2, response.Result.Count);
        Assert.Equal(2, _api.LastOperations!.Count);
        Assert.True(_api.LastOptions!.Value.Wait);
    }

    [Fact]
    public async Task Get_DefaultsToPayloadWithoutVectors()
    {
        _api.Records.Add(new PointRecord(PointId.FromUuid(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26")), new Payload { ["k"] = PayloadValue.FromInteger(1) }, null));
        var request = new Wire.GetPoints { CollectionName = "c" };
        request.Ids.Add(new Wire.PointId { Uuid = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26" });

        var response = await _service.Get(request, TestServerCallContext.Create());

        var retrieve = Assert.IsType<RetrieveRequest>(_api.LastRequest);
        Assert.Equal(WithPayload.All, retrieve.WithPayload);
        Assert.Equal(WithVector.None, retrieve.WithVector);
        var point = Assert.Single(response.Result);
        Assert.Equal("5c56c793-69f3-4fbf-87e6-c4bf54c28c26", point.Id.Uuid);
        Assert.Equal(1L, point.Payload["k"].IntegerValue);
    }

    [Fact]
    public async Task Scroll_MapsFilterOffsetAndNextPage()
    {
        _api.Records.Add(new PointRecord(PointId.FromNum(5), null, null));
        _api.NextPageOffset = PointId.FromNum(6);
        var filter = new Wire.Filter();
        filter.Must.Add(new Wire.Condition { Field = new Wire.FieldCondition { Key = "city", Match = new Wire.Match { Keyword = "London" } } });
        var request = new Wire.ScrollPoints { CollectionName = "c", Filter = filter, Offset = new Wire.PointId { Num = 5 }, Limit = 1 };

        var response = await _service.Scroll(request, TestServerCallContext.Create());

        var scroll = Assert.IsType<ScrollRequest>(_api.LastRequest);
        Assert.Equal(1U, scroll.Limit);
        Assert.Equal(PointId.FromNum(5), scroll.Offset);
        Assert.IsType<FieldCondition>(Assert.Single(scroll.Filter!.Must!));
        Assert.Equal(6UL, response.NextPageOffset.Num);
        Assert.Equal(5UL, Assert.Single(response.Result).Id.Num);
    }

    [Fact]
    public async Task Scroll_DefaultLimitIsTenAndNoNextPage()
    {
        var response = await _service.Scroll(new Wire.ScrollPoints { CollectionName = "c" }, TestServerCallContext.Create());

        Assert.Equal(10U, Assert.IsType<ScrollRequest>(_api.LastRequest).Limit);
        Assert.Null(response.NextPageOffset);
    }

    [Fact]
    public async Task Scroll_OrderBy_IsMapped_AndABadKeyIsInvalidArgument()
    {
        var request = new Wire.ScrollPoints
        {
            CollectionName = "c",
            OrderBy = new Wire.OrderBy { Key = "k.v", Direction = Wire.Direction.Desc, StartFrom = new Wire.StartFrom { Integer = 7 } },
        };

        await _service.Scroll(request, TestServerCallContext.Create());

        Assert.Equal(new OrderBy("k.v", OrderDirection.Desc, Common.Model.OrderValue.Of(7L)), Assert.IsType<ScrollRequest>(_api.LastRequest).OrderBy);
        var bad = new Wire.ScrollPoints { CollectionName = "c", OrderBy = new Wire.OrderBy { Key = "a[" } };
        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Scroll(bad, TestServerCallContext.Create()));
        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
    }

    [Fact]
    public async Task Count_ExactByDefault()
    {
        _api.Count = 42;

        var response = await _service.Count(new Wire.CountPoints { CollectionName = "c" }, TestServerCallContext.Create());
        var exact = Assert.IsType<CountRequest>(_api.LastRequest).Exact;
        await _service.Count(new Wire.CountPoints { CollectionName = "c", Exact = false }, TestServerCallContext.Create());

        Assert.Equal(42UL, response.Result.Count);
        Assert.True(exact);
        Assert.False(Assert.IsType<CountRequest>(_api.LastRequest).Exact);
    }

    [Fact]
    public async Task Query_MapsHits()
    {
        _api.Hits.Add(new ScoredPoint(PointId.FromNum(1), 3, 0.9f, null, new Dictionary<string, VectorData> { [""] = (float[])[1f, 0f] }));
        var request = new Wire.QueryPoints
        {
            CollectionName = "c",
            Query = new Wire.Query { Nearest = new Wire.VectorInput { Dense = Dense(1, 0) } },
            WithVectors = new Wire.WithVectorsSelector { Enable = true },
        };

        var context = TestServerCallContext.Create();
        var response = await _service.Query(request, context);

        var hit = Assert.Single(response.Result);
        Assert.Equal(WriteFlags.NoCompress, context.WriteOptions!.Flags);
        Assert.Equal(0.9f, hit.Score);
        Assert.Equal(new[] { 1f, 0f }, hit.Vectors.Vector.Dense.Data);
        Assert.Equal(WithVector.All, Assert.IsType<QueryRequest>(_api.LastRequest).WithVector);
    }

    [Fact]
    public async Task Query_TimeoutField_BoundsTheEngineCall_AndTimingOutIsDeadlineExceeded()
    {
        await _service.Query(new Wire.QueryPoints { CollectionName = "c" }, TestServerCallContext.Create());
        Assert.Null(_api.LastReadOptions!.Value.Timeout);
        var batch = new Wire.QueryBatchPoints { CollectionName = "c", Timeout = 3 };
        batch.QueryPoints.Add(new Wire.QueryPoints());
        await _service.QueryBatch(batch, TestServerCallContext.Create());
        Assert.Equal(TimeSpan.FromSeconds(3), _api.LastReadOptions!.Value.Timeout);

        _api.Error = AvError.Timeout("Timeout error: Operation 'Search' timed out after 2s");
        var error = await Assert.ThrowsAsync<RpcException>(() => _service.Query(new Wire.QueryPoints { CollectionName = "c", Timeout = 2 }, TestServerCallContext.Create()));
        Assert.Equal(TimeSpan.FromSeconds(2), _api.LastReadOptions!.Value.Timeout);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("Timeout: Timeout error: Operation 'Search' timed out after 2s", error.Status.Detail);
    }

    [Fact]
    public async Task Query_CancelledByTheClient_IsCancelled()
    {
        _api.Error = AvError.Cancelled("the request was cancelled before it finished");
        var error = await Assert.ThrowsAsync<RpcException>(() => _service.Query(new Wire.QueryPoints { CollectionName = "c" }, TestServerCallContext.Create()));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task QueryBatch_UsesOuterCollection()
    {
        var request = new Wire.QueryBatchPoints { CollectionName = "outer" };
        request.QueryPoints.Add(new Wire.QueryPoints { CollectionName = "inner" });
        request.QueryPoints.Add(new Wire.QueryPoints());

        var response = await _service.QueryBatch(request, TestServerCallContext.Create());

        Assert.Equal("outer", _api.LastCollection);
        Assert.Equal(2, response.Result.Count);
    }

    [Fact]
    public async Task Search_AndBatch_UseQueryPath()
    {
        var search = new Wire.SearchPoints { CollectionName = "c", Limit = 3 };
        search.Vector.Add([1f, 2f]);
        var batch = new Wire.SearchBatchPoints { CollectionName = "c" };
        batch.SearchPoints.Add(search);

        await _service.Search(search, TestServerCallContext.Create());
        var single = Assert.IsType<QueryRequest>(_api.LastRequest);
        var batched = await _service.SearchBatch(batch, TestServerCallContext.Create());

        Assert.IsType<NearestQuery>(single.Query);
        Assert.Equal(3U, single.Limit);
        Assert.Single(batched.Result);
    }

    [Fact]
    public async Task Recommend_AndBatch_UseQueryPath()
    {
        var recommend = new Wire.RecommendPoints { CollectionName = "c", Limit = 2 };
        recommend.Positive.Add(new Wire.PointId { Num = 1 });
        var batch = new Wire.RecommendBatchPoints { CollectionName = "c" };
        batch.RecommendPoints.Add(recommend);
        batch.RecommendPoints.Add(recommend);

        await _service.Recommend(recommend, TestServerCallContext.Create());
        var single = Assert.IsType<QueryRequest>(_api.LastRequest);
        var batched = await _service.RecommendBatch(batch, TestServerCallContext.Create());

        Assert.IsType<RecommendQuery>(single.Query);
        Assert.Equal(2, batched.Result.Count);
    }

    [Fact]
    public async Task Query_PassesAccessFromHttpContext()
    {
        var access = new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["c"] = AccessLevel.Read });

        await _service.Query(new Wire.QueryPoints { CollectionName = "c" }, TestServerCallContext.Create(access));

        Assert.Same(access, _api.LastAccess);
    }

    [Fact]
    public async Task Query_ForbiddenFromEngine_IsPermissionDenied()
    {
        _api.Error = AvError.Forbidden("Access to collection c is denied");

        var exception = await Assert.ThrowsAsync<RpcException>(() => _service.Query(new Wire.QueryPoints { CollectionName = "c" }, TestServerCallContext.Create()));

        Assert.Equal(StatusCode.PermissionDenied, exception.StatusCode);
        Assert.Equal("Forbidden: Access to collection c is denied", exception.Status.Detail);
    }

    [Fact]
    public async Task UnsupportedRpcs_AreUnimplementedNamingWhatIsMissing()
    {
        var context = TestServerCallContext.Create();
        var calls = new (string Expected, Func<Task> Call)[]
        {
        };

        foreach (var (expected, call) in calls)
        {
            var exception = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unimplemented, exception.StatusCode);
            Assert.Contains(expected, exception.Status.Detail);
        }
    }

    private static Wire.DenseVector Dense(params float[] values)
    {
        var dense = new Wire.DenseVector();
        dense.Data.Add(values);
        return dense;
    }
}
