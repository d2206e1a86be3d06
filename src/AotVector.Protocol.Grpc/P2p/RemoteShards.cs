using System.Collections.Concurrent;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using Grpc.Net.Client;
using PeerWire = AotVector.Protocol.Grpc.P2p.Wire;

namespace AotVector.Protocol.Grpc.P2p;

/// <summary>
/// The shards of other peers, over one gRPC channel per peer (shared by all its shards). The host supplies where a
/// peer is (<paramref name="addressOf"/>, from cluster metadata, so a peer that moved is reached at its new URI)
/// and the HTTP handler every channel sends through (with the p2p client certificate when p2p TLS is on); the
/// handler stays the host's. <paramref name="callTimeout"/> bounds every call (<c>cluster.grpc_timeout_ms</c>).
/// </summary>
public sealed class RemoteShards(Func<ulong, Uri?> addressOf, HttpMessageHandler handler, TimeSpan callTimeout) : IRemoteShards, IDisposable
{
    private readonly ConcurrentDictionary<ulong, (Uri Address, GrpcChannel Channel)> _channels = new();

    public IShard Connect(ulong peerId, string collection, uint shardId) => new PeerShard(this, peerId, collection, shardId);

    public Result<UpdateResult> Coordinate(ulong peerId, string collection, uint shardId, UpdateOperation operation, bool wait) =>
        ChannelFor(peerId) is { } channel
            ? new RemoteShard(new PeerWire.ShardsInternal.ShardsInternalClient(channel), peerId, collection, shardId, _callTimeout).Coordinate(operation, wait)
            : new AvError(ErrorKind.Unavailable, $"Service unavailable: the address of peer {peerId} is not known");

    /// <summary>The channel to <paramref name="peerId"/>'s current address, or null when the peer has none.</summary>
    private GrpcChannel? ChannelFor(ulong peerId)
    {
        if (addressOf(peerId) is not { } address)
        {
            return null;
        }

        if (_channels.TryGetValue(peerId, out var known) && known.Address == address)
        {
            return known.Channel;
        }

        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = false,
            // Peers are trusted (authenticated by the p2p listener) and exchange whole batches: no size limit, as the reference.
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        var previous = _channels.AddOrUpdate(peerId, (address, channel), (_, _) => (address, channel));
        if (known.Channel is not null && !ReferenceEquals(known.Channel, previous.Channel))
        {
            known.Channel.Dispose();
        }

        return channel;
    }

    public void Dispose()
    {
        foreach (var (_, channel) in _channels.Values)
        {
            channel.Dispose();
        }

        _channels.Clear();
    }

    /// <summary>
    /// A remote shard that finds its peer's channel at each call, so a handle made before the peer's address was
    /// known (or after it changed) still reaches it.
    /// </summary>
    private sealed class PeerShard(RemoteShards owner, ulong peerId, string collection, uint shardId) : IShard
    {
        public uint ShardId => shardId;

        public ulong PointsCount => Shard().PointsCount;

        public ulong IndexedVectorsCount => Shard().IndexedVectorsCount;

        public ulong SegmentsCount => Shard().SegmentsCount;

        public IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema => Shard().PayloadSchema;

        public Result<UpdateResult> Update(UpdateOperation operation, bool wait) =>
            TryShard(out var shard, out var error) ? shard.Update(operation, wait) : error;

        public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<Common.Model.PointId> ids, WithPayload withPayload, WithVector withVector) =>
            Shard().Retrieve(ids, withPayload, withVector);

        public IReadOnlyList<Common.Model.PointId> ScrollIds(Common.Filtering.Filter? filter, Common.Model.PointId? offset, int limit, CancellationToken ct) =>
            Shard().ScrollIds(filter, offset, limit, ct);

        public ulong Count(Common.Filtering.Filter? filter, CancellationToken ct) => Shard().Count(filter, ct);

        public IReadOnlyList<Common.Model.SearchHit> Search(ShardSearch search, CancellationToken ct) => Shard().Search(search, ct);

        public IReadOnlyList<Common.Model.SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct) => Shard().SearchByExamples(search, ct);

        public IReadOnlyList<Common.Model.SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct) => Shard().SearchSparse(search, ct);

        public IReadOnlyList<Common.Model.SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct) =>
            Shard().SearchSparseByExamples(search, ct);

        public SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions) => Shard().SparseStatistics(vectorName, dimensions);

        public IReadOnlyList<Common.Model.SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct) => Shard().SearchByContext(search, ct);

        public IReadOnlyList<Common.Model.SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct) =>
            Shard().SearchSparseByContext(search, ct);

        public IReadOnlyList<OrderedPoint>? ScrollOrdered(Common.Filtering.Filter? filter, OrderBy orderBy, int limit, CancellationToken ct) =>
            Shard().ScrollOrdered(filter, orderBy, limit, ct);

        public ShardSample Sample(Common.Filtering.Filter? filter, int limit, CancellationToken ct) => Shard().Sample(filter, limit, ct);

        public Common.Model.VectorData? GetVector(Common.Model.PointId id, string vectorName) => Shard().GetVector(id, vectorName);

        public void Dispose()
        {
        }

        private RemoteShard Shard() =>
            TryShard(out var shard, out var error) ? shard : throw new ShardUnavailableException(error);

        private bool TryShard(out RemoteShard shard, out AvError error)
        {
            if (owner.ChannelFor(peerId) is not { } channel)
            {
                shard = null!;
                error = new AvError(ErrorKind.Unavailable, $"Service unavailable: the address of peer {peerId} is not known");
                return false;
            }

            shard = new RemoteShard(new PeerWire.ShardsInternal.ShardsInternalClient(channel), peerId, collection, shardId, owner._callTimeout);
            error = default;
            return true;
        }
    }

    private readonly TimeSpan _callTimeout = callTimeout;
}
