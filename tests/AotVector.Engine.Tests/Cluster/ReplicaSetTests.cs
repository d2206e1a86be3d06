using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;

namespace AotVector.Engine.Tests.Cluster;

/// <summary>
/// The replica set decides as the reference's does: which replicas a write reaches, when it is acknowledged
/// (write_consistency_factor), which failed replicas are reported for deactivation, which replica serves a read and
/// what a read with a consistency above one returns.
/// </summary>
public sealed class ReplicaSetTests
{
    private const ulong ThisPeer = 1;
    private static readonly UpdateOperation Upsert = new UpsertPoints([new PointStruct(7UL, new Dictionary<string, VectorData> { [""] = new[] { 1f, 2f } }, null)]);
    private static readonly ShardSearch Query = new("", [1f, 2f], null, 10, false, null, 0);

    private readonly FakeReplica _local = new();
    private readonly FakeRemotes _remotes = new();
    private readonly FakeFailures _failures = new();

    private ReplicaSet Set(int writeConsistencyFactor, params (ulong Peer, ReplicaState State)[] replicas)
    {
        var set = new ReplicaSet("c", 0, ThisPeer, _local, _remotes, _failures, writeConsistencyFactor, TimeSpan.FromMilliseconds(200));
        foreach (var (peer, state) in replicas)
        {
            set.SetReplica(peer, state);
        }

        return set;
    }

    [Fact]
    public void A_write_reaches_every_updatable_replica_and_this_peer_as_a_listener_does_not_wait()
    {
        using var set = Set(1, (1, ReplicaState.Listener), (2, ReplicaState.Active), (3, ReplicaState.Dead), (4, ReplicaState.Recovery), (5, ReplicaState.Listener), (6, ReplicaState.Initializing), (7, ReplicaState.Partial));

        Assert.True(set.Update(Upsert, wait: true).IsOk);

        Assert.Equal(1, _local.Updates);
        Assert.Equal([1, 0, 0, 1, 1, 1], new ulong[] { 2, 3, 4, 5, 6, 7 }.Select(p => _remotes.Peers[p].Updates));
        Assert.False(_local.LastWait);
        Assert.True(_remotes.Peers[5].LastWait);
        Assert.True(_remotes.Peers[7].LastWait);
        Assert.Empty(_failures.Reported);
    }

    [Fact]
    public void Enough_successes_acknowledge_the_write_and_the_failed_replica_is_reported_and_skipped()
    {
        using var set = Set(2, (1, ReplicaState.Active), (2, ReplicaState.Active), (3, ReplicaState.Active));
        _remotes.Peers[3].Down = true;

        Assert.True(set.Update(Upsert, wait: true).IsOk);

        var reported = Assert.Single(_failures.Reported);
        Assert.Equal((3UL, (ReplicaState?)ReplicaState.Active, ErrorKind.Unavailable), (reported.PeerId, reported.From, reported.Error.Kind));
        Assert.Equal([3UL], set.LocallyDisabled);

        // Until consensus sets its state, the failed replica gets no more writes; a new state lifts that.
        Assert.True(set.Update(Upsert, wait: true).IsOk);
        Assert.Equal(1, _remotes.Peers[3].Updates);
        set.SetReplica(3, ReplicaState.Dead);
        Assert.Empty(set.LocallyDisabled);
    }

    [Fact]
    public void Too_few_successes_fail_the_write_with_the_first_error_and_report_nobody()
    {
        using var set = Set(3, (1, ReplicaState.Active), (2, ReplicaState.Active), (3, ReplicaState.Active));
        _remotes.Peers[3].Down = true;

        var result = set.Update(Upsert, wait: true);

        Assert.False(result.IsOk);
        Assert.Equal("Service unavailable: replica down", result.Error.Message);
        Assert.Empty(_failures.Reported);
    }

    [Fact]
    public void The_factor_is_capped_by_the_number_of_replicas()
    {
        using var set = Set(5, (1, ReplicaState.Active), (2, ReplicaState.Active));

        Assert.True(set.Update(Upsert, wait: false).IsOk);
    }

    [Fact]
    public void A_write_fails_when_no_replica_takes_writes()
    {
        using var set = Set(1, (1, ReplicaState.Dead), (2, ReplicaState.PartialSnapshot));

        var result = set.Update(Upsert, wait: true);

        Assert.Equal("Service internal error: The replica set for shard 0 on peer 1 has no active replica", result.Error.Message);
    }

    [Fact]
    public void A_write_that_reached_no_active_replica_is_not_acknowledged()
    {
        using var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Partial));
        _local.UpdateAnswer = (_, _) => AvError.Internal("disk trouble");

        var result = set.Update(Upsert, wait: false);

        Assert.False(result.IsOk);
        Assert.StartsWith("Service internal error: Failed to apply operation to at least one `Active` replica.", result.Error.Message);
        Assert.Contains("Failed peer: 1, error: Service internal error: disk trouble", result.Error.Message);
    }

    [Fact]
    public void A_client_error_deactivates_a_replica_only_when_another_replica_completed_the_write()
    {
        _remotes.Connect(2, "c", 0);
        _remotes.Peers[2].UpdateAnswer = (_, _) => AvError.PointNotFound(new PointIdText("7"));

        // Acknowledged only (no wait): the others' success says nothing about the point, so the error is not the replica's fault.
        using (var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active)))
        {
            Assert.True(set.Update(Upsert, wait: false).IsOk);
            Assert.Empty(_failures.Reported);
        }

        // Completed here: the replica that did not find the point has diverged. It cannot come back by itself, so
        // the write does not wait for consensus to confirm its deactivation.
        _failures.Answer = () => new TaskCompletionSource().Task;
        using (var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active)))
        {
            Assert.True(set.Update(Upsert, wait: true).IsOk);
            Assert.Equal(2UL, Assert.Single(_failures.Reported).PeerId);
        }
    }

    [Fact]
    public void A_waited_write_fails_when_consensus_does_not_confirm_the_deactivation()
    {
        _failures.Answer = () => new TaskCompletionSource().Task;
        using var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active));
        _remotes.Peers[2].Down = true;

        var waited = set.Update(Upsert, wait: true);
        var unwaited = set.Update(Upsert, wait: false);

        Assert.StartsWith("Service internal error: Some replica of shard 0 failed to apply operation and deactivation timed out", waited.Error.Message);
        Assert.Contains("Failed peer: 2", waited.Error.Message);
        Assert.True(unwaited.IsOk);
    }

    [Fact]
    public void The_answer_is_the_highest_peers_with_the_least_settled_status()
    {
        using var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active), (3, ReplicaState.Active));
        _local.UpdateAnswer = (_, _) => new UpdateResult(10, UpdateStatus.WaitTimeout);
        _remotes.Peers[3].UpdateAnswer = (_, _) => new UpdateResult(30, UpdateStatus.Completed);

        Assert.Equal(new UpdateResult(30, UpdateStatus.WaitTimeout), set.Update(Upsert, wait: true).Value);
    }

    [Fact]
    public void A_read_is_served_by_this_peers_replica_when_it_is_readable()
    {
        using var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active), (3, ReplicaState.Active));
        _local.Hits = [new SearchHit(5UL, 0.9f, 1)];

        Assert.Equal(5UL, Assert.Single(set.Search(Query, default)).Id.Num);
        Assert.Equal(0, _remotes.Peers[2].Reads + _remotes.Peers[3].Reads);
    }

    [Fact]
    public void A_read_falls_back_to_another_readable_replica_when_one_fails()
    {
        using var set = Set(1, (1, ReplicaState.Partial), (2, ReplicaState.Active), (3, ReplicaState.Active), (4, ReplicaState.Dead));
        _remotes.Peers[2].Down = true;
        _remotes.Peers[3].Down = true;
        _remotes.Peers[3].Points = 42;

        var down = Assert.Throws<ShardUnavailableException>(() => set.Count(null, default));
        Assert.Equal(ErrorKind.Unavailable, down.Error.Kind);

        _remotes.Peers[3].Down = false;
        Assert.Equal(42UL, set.Count(null, default));
        Assert.Equal(0, _local.Reads);
        Assert.Equal(0, _remotes.Peers[4].Reads);
        Assert.Empty(_failures.Reported);
    }

    [Fact]
    public void A_read_needs_enough_readable_replicas()
    {
        using var set = Set(1, (1, ReplicaState.Dead), (2, ReplicaState.Partial), (3, ReplicaState.Active));

        Assert.Equal(0UL, set.Count(null, default));
        var error = Assert.Throws<ShardUnavailableException>(() => set.Count(null, new ReadConsistency(ReadConsistencyKind.Quorum), default)).Error;
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal("Service unavailable: The replica set for shard 0 on peer 1 does not have enough active replicas", error.Message);
    }

    [Fact]
    public void Read_consistency_keeps_what_enough_replicas_agree_on()
    {
        using var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active), (3, ReplicaState.Active));
        _local.Hits = [new(1UL, 0.9f, 1), new(2UL, 0.8f, 1), new(3UL, 0.7f, 1)];
        _remotes.Peers[2].Hits = [new(1UL, 0.9f, 1), new(3UL, 0.7f, 1), new(4UL, 0.6f, 1)];
        _remotes.Peers[3].Hits = [new(1UL, 0.9f, 1), new(2UL, 0.5f, 2), new(3UL, 0.7f, 1)];

        Assert.Equal([1UL, 3UL], set.Search(Query, new ReadConsistency(ReadConsistencyKind.All), default).Select(h => h.Id.Num));
        Assert.Equal([1UL, 3UL], set.Search(Query, new ReadConsistency(ReadConsistencyKind.Majority), default).Select(h => h.Id.Num));

        _remotes.Peers[3].Hits = [new(1UL, 0.9f, 1), new(2UL, 0.8f, 1), new(4UL, 0.6f, 1)];
        Assert.Equal([1UL, 2UL, 3UL, 4UL], set.Search(Query, new ReadConsistency(ReadConsistencyKind.Majority), default).Select(h => h.Id.Num));

        _local.Points = 10;
        _remotes.Peers[2].Points = 7;
        _remotes.Peers[3].Points = 9;
        Assert.Equal(7UL, set.Count(null, new ReadConsistency(ReadConsistencyKind.All), default));
        Assert.Equal(9UL, set.Count(null, new ReadConsistency(ReadConsistencyKind.Majority), default));
    }

    [Fact]
    public void A_quorum_or_a_factor_asks_only_that_many_replicas_this_peers_first()
    {
        using var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active), (3, ReplicaState.Active), (4, ReplicaState.Active));

        set.Count(null, new ReadConsistency(ReadConsistencyKind.Quorum), default);
        Assert.Equal(1, _local.Reads);
        Assert.Equal(2, _remotes.Peers.Values.Sum(r => r.Reads));

        set.Count(null, ReadConsistency.OfFactor(2), default);
        Assert.Equal(2, _local.Reads);
        Assert.Equal(3, _remotes.Peers.Values.Sum(r => r.Reads));

        // A replica that fails is replaced by one not asked yet.
        _remotes.Peers[2].Down = true;
        _remotes.Peers[3].Down = true;
        Assert.Equal(0UL, set.Count(null, ReadConsistency.OfFactor(2), default));
    }

    [Fact]
    public void Retrieve_with_consistency_all_drops_points_the_replicas_disagree_on_and_keeps_the_request_order()
    {
        using var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active));
        PointRecord Record(ulong id, long n) => new(id, new Payload { ["n"] = PayloadValue.FromInteger(n) }, null);
        _local.Records = [Record(1, 1), Record(2, 2), Record(3, 3)];
        _remotes.Peers[2].Records = [Record(3, 3), Record(2, 20), Record(1, 1)];

        var agreed = set.Retrieve([3UL, 2UL, 1UL], WithPayload.All, WithVector.None, new ReadConsistency(ReadConsistencyKind.All));

        Assert.Equal([3UL, 1UL], agreed.Select(r => r.Id.Num));
    }

    [Fact]
    public void Removing_a_remote_replica_disposes_its_handle_and_never_the_local_shard()
    {
        var set = Set(1, (1, ReplicaState.Active), (2, ReplicaState.Active));

        Assert.True(set.RemoveReplica(2));
        Assert.False(set.RemoveReplica(2));
        Assert.True(_remotes.Peers[2].Disposed);
        set.Dispose();
        Assert.False(_local.Disposed);
    }
}
