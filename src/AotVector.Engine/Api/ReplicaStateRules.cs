namespace AotVector.Engine.Api;

/// <summary>What each <see cref="ReplicaState"/> allows, as the reference's replica set decides it.</summary>
public static class ReplicaStateRules
{
    /// <summary>Serves reads.</summary>
    public static bool IsReadable(this ReplicaState state) =>
        state is ReplicaState.Active or ReplicaState.ReshardingScaleDown or ReplicaState.ActiveRead;

    /// <summary>Takes writes (a dead replica, or one waiting for a snapshot or WAL delta, does not).</summary>
    public static bool IsUpdatable(this ReplicaState state) =>
        state is ReplicaState.Active or ReplicaState.Partial or ReplicaState.Initializing or ReplicaState.Listener
            or ReplicaState.Resharding or ReplicaState.ReshardingScaleDown or ReplicaState.ActiveRead;

    /// <summary>Holds every acknowledged write: a write must reach at least one such replica to be acknowledged.</summary>
    public static bool CanBeSourceOfTruth(this ReplicaState state) =>
        state is ReplicaState.Active or ReplicaState.Resharding or ReplicaState.ReshardingScaleDown or ReplicaState.ActiveRead;

    /// <summary>The target of a transfer, which may not hold every point yet.</summary>
    public static bool IsPartialOrRecovery(this ReplicaState state) =>
        state is ReplicaState.Partial or ReplicaState.PartialSnapshot or ReplicaState.Recovery;
}
