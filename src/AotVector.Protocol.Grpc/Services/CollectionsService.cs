using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using AotVector.Protocol.Grpc.Mapping;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary><c>qdrant.Collections</c>: map, call <see cref="ICollectionsApi"/>, map back. Shard-key RPCs answer UNIMPLEMENTED (not supported yet).</summary>
internal sealed class CollectionsService : Wire.Collections.CollectionsBase
{
    private readonly ICollectionsApi _collections;
    private readonly ILogger? _logger;

    public CollectionsService(ICollectionsApi collections, ILoggerFactory? loggers = null)
    {
        _collections = collections;
        _logger = loggers?.CreateLogger(Decoding.RequestDecodeLog.Category);
    }

    public override Task<Wire.GetCollectionInfoResponse> Get(Wire.GetCollectionInfoRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        var info = _collections.GetInfo(CallAccess.Of(context), name).Unwrap();
        return Task.FromResult(new Wire.GetCollectionInfoResponse { Result = CollectionInfoMapping.ToWire(info), Time = ResponseTime.Since(start) });
    }

    public override Task<Wire.ListCollectionsResponse> List(Wire.ListCollectionsRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var names = _collections.List(CallAccess.Of(context)).Unwrap();
        var response = new Wire.ListCollectionsResponse();
        foreach (var name in names)
        {
            response.Collections.Add(new Wire.CollectionDescription { Name = name });
        }

        response.Time = ResponseTime.Since(start);
        return Task.FromResult(response);
    }

    public override async Task<Wire.CollectionOperationResponse> Create(Wire.CreateCollection request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var mapped = CollectionMapping.ToEngine(request).Unwrap();
        UnknownFieldLog.CreateCollection(_logger, request);
        var created = (await _collections.CreateAsync(CallAccess.Of(context), mapped, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return new Wire.CollectionOperationResponse { Result = created, Time = ResponseTime.Since(start) };
    }

    public override async Task<Wire.CollectionOperationResponse> Update(Wire.UpdateCollection request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var mapped = CollectionMapping.ToEngine(request).Unwrap();
        var updated = (await _collections.UpdateAsync(CallAccess.Of(context), mapped, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return new Wire.CollectionOperationResponse { Result = updated, Time = ResponseTime.Since(start) };
    }

    /// <summary>A missing collection answers <c>result = false</c>, not an error (the .NET client then throws itself).</summary>
    public override async Task<Wire.CollectionOperationResponse> Delete(Wire.DeleteCollection request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        var deleted = (await _collections.DeleteAsync(CallAccess.Of(context), name, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return new Wire.CollectionOperationResponse { Result = deleted, Time = ResponseTime.Since(start) };
    }

    public override async Task<Wire.CollectionOperationResponse> UpdateAliases(Wire.ChangeAliases request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var operations = CollectionMapping.ToEngine(request).Unwrap();
        var done = (await _collections.UpdateAliasesAsync(CallAccess.Of(context), operations, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return new Wire.CollectionOperationResponse { Result = done, Time = ResponseTime.Since(start) };
    }

    public override Task<Wire.ListAliasesResponse> ListCollectionAliases(Wire.ListCollectionAliasesRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        var aliases = _collections.ListCollectionAliases(CallAccess.Of(context), name).Unwrap();
        return Task.FromResult(Aliases(aliases, start));
    }

    public override Task<Wire.ListAliasesResponse> ListAliases(Wire.ListAliasesRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var aliases = _collections.ListAliases(CallAccess.Of(context)).Unwrap();
        return Task.FromResult(Aliases(aliases, start));
    }

    public override Task<Wire.CollectionExistsResponse> CollectionExists(Wire.CollectionExistsRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        var exists = _collections.Exists(CallAccess.Of(context), name).Unwrap();
        return Task.FromResult(new Wire.CollectionExistsResponse
        {
            Result = new Wire.CollectionExists { Exists = exists },
            Time = ResponseTime.Since(start),
        });
    }

    public override Task<Wire.CollectionClusterInfoResponse> CollectionClusterInfo(Wire.CollectionClusterInfoRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        var info = _collections.ClusterInfo(CallAccess.Of(context), name).Unwrap();
        var response = new Wire.CollectionClusterInfoResponse { PeerId = info.PeerId, ShardCount = info.ShardCount, Time = ResponseTime.Since(start) };
        response.LocalShards.AddRange(info.LocalShards.Select(s => new Wire.LocalShardInfo { ShardId = s.ShardId, PointsCount = s.PointsCount, State = (Wire.ReplicaState)s.State }));
        response.RemoteShards.AddRange(info.RemoteShards.Select(s => new Wire.RemoteShardInfo { ShardId = s.ShardId, PeerId = s.PeerId, State = (Wire.ReplicaState)s.State }));
        response.ShardTransfers.AddRange(info.ShardTransfers.Select(ClusterSetupMapping.ToWire));
        return Task.FromResult(response);
    }

    public override async Task<Wire.UpdateCollectionClusterSetupResponse> UpdateCollectionClusterSetup(Wire.UpdateCollectionClusterSetupRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        var operation = ClusterSetupMapping.ToEngine(request).Unwrap();
        TimeSpan? timeout = request.HasTimeout && request.Timeout > 0 ? TimeSpan.FromSeconds(Math.Min(request.Timeout, int.MaxValue)) : null;
        var done = (await _collections.UpdateClusterAsync(CallAccess.Of(context), name, operation, timeout, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return new Wire.UpdateCollectionClusterSetupResponse { Result = done, Time = ResponseTime.Since(start) };
    }

    public override Task<Wire.CreateShardKeyResponse> CreateShardKey(Wire.CreateShardKeyRequest request, ServerCallContext context) =>
        throw GrpcErrors.ToRpcException(Unsupported.Api(UnsupportedApi.ShardKeys));

    public override Task<Wire.DeleteShardKeyResponse> DeleteShardKey(Wire.DeleteShardKeyRequest request, ServerCallContext context) =>
        throw GrpcErrors.ToRpcException(Unsupported.Api(UnsupportedApi.ShardKeys));

    public override Task<Wire.ListShardKeysResponse> ListShardKeys(Wire.ListShardKeysRequest request, ServerCallContext context) =>
        throw GrpcErrors.ToRpcException(Unsupported.Api(UnsupportedApi.ShardKeys));

    private static Wire.ListAliasesResponse Aliases(IReadOnlyList<AliasDescription> aliases, long start)
    {
        var response = new Wire.ListAliasesResponse();
        foreach (var alias in aliases)
        {
            response.Aliases.Add(new Wire.AliasDescription { AliasName = alias.AliasName, CollectionName = alias.CollectionName });
        }

        response.Time = ResponseTime.Since(start);
        return response;
    }
}
