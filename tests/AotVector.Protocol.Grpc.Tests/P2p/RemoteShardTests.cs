using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;
using AotVector.Protocol.Grpc.P2p;
using AotVector.Testing;

namespace AotVector.Protocol.Grpc.Tests.P2p;

/// <summary>
/// A shard reached over the p2p API answers every <see cref="IShard"/> method as the shard itself does: the p2p
/// service on Kestrel (h2c, loopback) over a real engine, driven through <see cref="RemoteShards"/>.
/// </summary>
public sealed class RemoteShardTests
{
    private const ulong PeerId = 2;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly Filter Even = new(Must: [new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("even")))]);

    [Fact]
    public async Task Every_read_answers_as_the_local_shard()
    {
        await using var peer = await PeerHost.StartAsync(points: 60);
        using var remotes = new RemoteShards(id => id == PeerId ? peer.Address : null, new SocketsHttpHandler(), CallTimeout);
        var remote = remotes.Connect(PeerId, PeerHost.Collection, 0);
        var local = peer.Engine.LocalShard(PeerHost.Collection, 0).Value!;

        Assert.Equal(60UL, remote.PointsCount);
        Assert.Equal(local.IndexedVectorsCount, remote.IndexedVectorsCount);
        Assert.Equal(local.SegmentsCount, remote.SegmentsCount);
        var schema = Assert.Single(remote.PayloadSchema);
        Assert.Equal(("n", local.PayloadSchema["n"]), (schema.Key, schema.Value));

        PointId[] ids = [7UL, 3UL, 1000UL, 12UL];
        var withVector = new WithVector(true, ["text"]);
        AssertSameRecords(local.Retrieve(ids, WithPayload.All, WithVector.All), remote.Retrieve(ids, WithPayload.All, WithVector.All));
        AssertSameRecords(local.Retrieve(ids, new WithPayload(true, ["tag"]), withVector), remote.Retrieve(ids, new WithPayload(true, ["tag"]), withVector));
        AssertSameRecords(local.Retrieve(ids, new WithPayload(true, Exclude: ["tag"]), WithVector.None), remote.Retrieve(ids, new WithPayload(true, Exclude: ["tag"]), WithVector.None));
        Assert.Equal([7UL, 3UL, 12UL], remote.Retrieve(ids, WithPayload.None, WithVector.None).Select(r => r.Id.Num));

        Assert.Equal(local.ScrollIds(Even, 10UL, 7, default), remote.ScrollIds(Even, 10UL, 7, default));
        Assert.Equal(local.ScrollIds(null, null, 100, default), remote.ScrollIds(null, null, 100, default));
        Assert.Equal(30UL, remote.Count(Even, default));
        Assert.Equal(local.Count(null, default), remote.Count(null, default));

        var query = SeededRandom.Vectors(99, 1, PeerHost.Dim)[0];
        var search = new ShardSearch("dense", query, Even, 5, Exact: true, Ef: null, FullScanThresholdKb: 10_000);
        AssertSameHits(local.Search(search, default), remote.Search(search, default));
        AssertSameHits(local.Search(search with { Filter = null, Exact = false, Ef = 32 }, default), remote.Search(search with { Filter = null, Exact = false, Ef = 32 }, default));

        var examples = new ShardExampleSearch("dense", RecommendStrategy.BestScore, [query], [SeededRandom.Vectors(98, 1, PeerHost.Dim)[0]], null, 4);
        AssertSameHits(local.SearchByExamples(examples, default), remote.SearchByExamples(examples, default));
        AssertSameHits(local.SearchByExamples(examples with { Strategy = RecommendStrategy.SumScores, Filter = Even }, default), remote.SearchByExamples(examples with { Strategy = RecommendStrategy.SumScores, Filter = Even }, default));

        var sparseQuery = new SparseVector([1, 4, 9], [0.5f, 1f, 2f]);
        var sparse = new ShardSparseSearch("text", sparseQuery, null, 6);
        Assert.NotEmpty(local.SearchSparse(sparse, default));
        AssertSameHits(local.SearchSparse(sparse, default), remote.SearchSparse(sparse, default));
        AssertSameHits(local.SearchSparse(sparse with { Filter = Even }, default), remote.SearchSparse(sparse with { Filter = Even }, default));

        var sparseExamples = new ShardSparseExampleSearch("text", RecommendStrategy.BestScore, [sparseQuery], [new SparseVector([2], [1f])], null, 5);
        AssertSameHits(local.SearchSparseByExamples(sparseExamples, default), remote.SearchSparseByExamples(sparseExamples, default));

        uint[] dimensions = [1, 4, 9, 19, 500];
        var statistics = remote.SparseStatistics("text", dimensions);
        Assert.Equal(local.SparseStatistics("text", dimensions).Points, statistics.Points);
        Assert.Equal(local.SparseStatistics("text", dimensions).DocumentFrequencies, statistics.DocumentFrequencies);

        var negative = SeededRandom.Vectors(98, 1, PeerHost.Dim)[0];
        var discover = new ShardContextSearch("dense", query, [query], [negative], null, 5);
        Assert.NotEmpty(local.SearchByContext(discover, default));
        AssertSameHits(local.SearchByContext(discover, default), remote.SearchByContext(discover, default));
        AssertSameHits(local.SearchByContext(discover with { Target = null, Filter = Even }, default), remote.SearchByContext(discover with { Target = null, Filter = Even }, default));
        var sparseContext = new ShardSparseContextSearch("text", sparseQuery, [sparseQuery], [new SparseVector([2], [1f])], null, 5);
        AssertSameHits(local.SearchSparseByContext(sparseContext, default), remote.SearchSparseByContext(sparseContext, default));
        AssertSameHits(local.SearchSparseByContext(sparseContext with { Target = null }, default), remote.SearchSparseByContext(sparseContext with { Target = null }, default));

        var byN = new OrderBy("n", OrderDirection.Desc, OrderValue.Of(40L));
        var ordered = remote.ScrollOrdered(Even, byN, 6, default);
        Assert.NotNull(ordered);
        Assert.Equal(6, ordered.Count);
        Assert.Equal(local.ScrollOrdered(Even, byN, 6, default), ordered);
        Assert.Equal(local.ScrollOrdered(null, new OrderBy("n", OrderDirection.Asc, OrderValue.Of(2.5)), 4, default), remote.ScrollOrdered(null, new OrderBy("n", OrderDirection.Asc, OrderValue.Of(2.5)), 4, default));
        Assert.Null(remote.ScrollOrdered(null, new OrderBy("tag"), 3, default));

        var sample = remote.Sample(Even, 7, default);
        Assert.Equal(30UL, sample.Matching);
        Assert.Equal(7, sample.Ids.Distinct().Count());
        Assert.All(sample.Ids, id => Assert.Equal(0UL, id.Num % 2));

        Assert.Equal(local.GetVector(7UL, "dense"), remote.GetVector(7UL, "dense"));
        Assert.Equal(local.GetVector(7UL, "text"), remote.GetVector(7UL, "text"));
        Assert.NotNull(remote.GetVector(7UL, "text"));
        Assert.Null(remote.GetVector(6UL, "text"));
        Assert.Null(remote.GetVector(1000UL, "dense"));
    }

    [Fact]
    public async Task Writes_through_the_peer_apply_to_its_shard_and_errors_come_back_as_the_shard_answers_them()
    {
        await using var peer = await PeerHost.StartAsync(points: 20);
        using var remotes = new RemoteShards(_ => peer.Address, new SocketsHttpHandler(), CallTimeout);
        var remote = remotes.Connect(PeerId, PeerHost.Collection, 0);
        var local = peer.Engine.LocalShard(PeerHost.Collection, 0).Value!;

        var upserted = remote.Update(new UpsertPoints(PeerHost.Points(20, 5)), wait: true);
        Assert.Equal(UpdateStatus.Completed, upserted.Value.Status);
        Assert.Equal(25UL, local.PointsCount);
        AssertSameRecords(PeerHost.Points(20, 5).Select(p => new PointRecord(p.Id, p.Payload, null)).ToList(), local.Retrieve([.. PeerHost.Points(20, 5).Select(p => p.Id)], WithPayload.All, WithVector.None));

        // Insert-only keeps the existing point; a filter selector is resolved by the replica itself.
        var replaced = PeerHost.Points(0, 1)[0] with { Payload = new Payload { ["n"] = PayloadValue.FromInteger(-1) } };
        Assert.True(remote.Update(new UpsertPoints([replaced], Mode: UpdateMode.InsertOnly), wait: true).IsOk);
        Assert.Equal(PayloadValue.FromInteger(0), local.Retrieve([0UL], WithPayload.All, WithVector.None)[0].Payload!["n"]);
        Assert.True(remote.Update(new DeletePoints(PointsSelector.ByFilter(Even)), wait: false).IsOk);
        Assert.True(remote.Update(new SetPayload(new Payload { ["seen"] = PayloadValue.True }, PointsSelector.ByIds([1UL])), wait: true).IsOk);
        Assert.Equal(12UL, local.Count(null, default));
        Assert.Equal(PayloadValue.True, local.Retrieve([1UL], WithPayload.All, WithVector.None)[0].Payload!["seen"]);

        // A write the shard refuses is refused alike, with its kind and words, and changes nothing.
        var missing = new SetPayload(new Payload { ["x"] = PayloadValue.Null }, PointsSelector.ByIds([4242UL]));
        var expected = local.Update(missing, wait: true).Error;
        var refused = remote.Update(missing, wait: true);
        Assert.Equal(expected, refused.Error);
        Assert.Equal(ErrorKind.NotFound, refused.Error.Kind);
        Assert.Equal(12UL, local.PointsCount);
    }

    [Fact]
    public async Task A_missing_shard_an_unreachable_peer_and_a_cancelled_read_are_errors_naming_the_problem()
    {
        await using var peer = await PeerHost.StartAsync(points: 0);
        var address = peer.Address;
        using var remotes = new RemoteShards(id => id == PeerId ? address : null, new SocketsHttpHandler(), CallTimeout);

        var unknown = Assert.Throws<ShardUnavailableException>(() => remotes.Connect(PeerId, "nope", 0).Count(null, default)).Error;
        Assert.Equal(AvError.CollectionNotFound("nope"), unknown);
        var otherShard = Assert.Throws<ShardUnavailableException>(() => remotes.Connect(PeerId, PeerHost.Collection, 3).PointsCount).Error;
        Assert.Equal(ErrorKind.NotFound, otherShard.Kind);
        Assert.Contains("Shard 3", otherShard.Message);

        var cancelled = Assert.Throws<ShardUnavailableException>(() => remotes.Connect(PeerId, PeerHost.Collection, 0).Count(null, new CancellationToken(true))).Error;
        Assert.Equal(ErrorKind.Cancelled, cancelled.Kind);

        var noAddress = remotes.Connect(7, PeerHost.Collection, 0).Update(new DeletePoints(PointsSelector.ByIds([1UL])), wait: true);
        Assert.Equal("Service unavailable: the address of peer 7 is not known", noAddress.Error.Message);

        await peer.StopServingAsync();
        var gone = remotes.Connect(PeerId, PeerHost.Collection, 0).Update(new DeletePoints(PointsSelector.ByIds([1UL])), wait: true);
        Assert.Equal(ErrorKind.Unavailable, gone.Error.Kind);
        Assert.StartsWith("Service unavailable: peer 2 did not answer", gone.Error.Message);
        Assert.Equal(ErrorKind.Unavailable, Assert.Throws<ShardUnavailableException>(() => remotes.Connect(PeerId, PeerHost.Collection, 0).Count(null, default)).Error.Kind);
    }

    [Fact]
    public async Task A_replica_set_over_a_local_and_a_remote_replica_writes_both_and_reports_the_peer_that_went_away()
    {
        await using var here = await PeerHost.StartAsync(points: 0);
        await using var there = await PeerHost.StartAsync(points: 0);
        using var remotes = new RemoteShards(id => id == PeerId ? there.Address : null, new SocketsHttpHandler(), CallTimeout);
        var failures = new RecordedFailures();
        using var set = new ReplicaSet(PeerHost.Collection, 0, 1, here.Engine.LocalShard(PeerHost.Collection, 0).Value, remotes, failures, writeConsistencyFactor: 2);
        set.SetReplica(1, ReplicaState.Active);
        set.SetReplica(PeerId, ReplicaState.Active);

        Assert.True(set.Update(new UpsertPoints(PeerHost.Points(0, 10)), wait: true).IsOk);
        Assert.Equal(10UL, here.Engine.LocalShard(PeerHost.Collection, 0).Value!.PointsCount);
        Assert.Equal(10UL, there.Engine.LocalShard(PeerHost.Collection, 0).Value!.PointsCount);
        Assert.Equal(10UL, set.Count(null, new ReadConsistency(ReadConsistencyKind.All), default));
        Assert.Equal([4UL, 5UL], set.ScrollIds(null, 4UL, 2, new ReadConsistency(ReadConsistencyKind.All), default).Select(i => i.Num));

        // With the other peer gone, a write both must take fails with the peer's error, and nothing is reported.
        await there.StopServingAsync();
        var failed = set.Update(new UpsertPoints(PeerHost.Points(10, 1)), wait: true);
        Assert.StartsWith("Service unavailable: peer 2 did not answer", failed.Error.Message);
        Assert.Empty(failures.Reported);

        // One is enough at factor 1: the write is acknowledged and the gone replica reported for deactivation.
        set.WriteConsistencyFactor = 1;
        Assert.True(set.Update(new UpsertPoints(PeerHost.Points(11, 1)), wait: true).IsOk);
        Assert.Equal((PeerId, (ReplicaState?)ReplicaState.Active), Assert.Single(failures.Reported));
        Assert.Equal(12UL, set.PointsCount);
    }

    private static void AssertSameRecords(IReadOnlyList<PointRecord> expected, IReadOnlyList<PointRecord> actual)
    {
        Assert.Equal(expected.Select(r => r.Id), actual.Select(r => r.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Payload, actual[i].Payload);
            Assert.Equal(expected[i].Vectors?.OrderBy(kv => kv.Key), actual[i].Vectors?.OrderBy(kv => kv.Key));
        }
    }

    private static void AssertSameHits(IReadOnlyList<SearchHit> expected, IReadOnlyList<SearchHit> actual)
    {
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    private sealed class RecordedFailures : IReplicaFailures
    {
        public List<(ulong PeerId, ReplicaState? From)> Reported { get; } = [];

        public Task ReplicaFailed(string collection, uint shardId, ulong peerId, ReplicaState? from, AvError error)
        {
            lock (Reported)
            {
                Reported.Add((peerId, from));
            }

            return Task.CompletedTask;
        }
    }
}
