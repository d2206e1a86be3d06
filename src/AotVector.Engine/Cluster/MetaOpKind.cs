namespace AotVector.Engine.Cluster;

/// <summary>The kinds of cluster metadata operations agreed through consensus.</summary>
public enum MetaOpKind
{
    /// <summary>A peer joins: <see cref="MetaOp.PeerId"/> at <see cref="MetaOp.Uri"/>.</summary>
    AddPeer,

    /// <summary>A peer leaves; its replicas are dropped (the caller checked <c>force</c>).</summary>
    RemovePeer,

    /// <summary>A collection with its agreed configuration and placement.</summary>
    CreateCollection,

    DeleteCollection,

    /// <summary>An atomic list of alias changes.</summary>
    ChangeAliases,

    /// <summary>One replica's state changes (only from <see cref="MetaOp.FromState"/> when that is set).</summary>
    SetReplicaState,

    /// <summary>A collection's configuration becomes <see cref="MetaOp.Config"/> (only from <see cref="MetaOp.FromConfig"/>).</summary>
    UpdateCollection,

    /// <summary>A collection's payload schema gains <see cref="MetaOp.FieldName"/> as <see cref="MetaOp.FieldIndex"/> describes.</summary>
    CreatePayloadIndex,

    /// <summary>A collection's payload schema loses <see cref="MetaOp.FieldName"/>.</summary>
    DropPayloadIndex,

    /// <summary>A shard transfer starts (<see cref="MetaOp.Transfer"/>): its target replica becomes Partial.</summary>
    StartTransfer,

    /// <summary>A transfer completed: its target becomes Active; a move drops the source replica.</summary>
    FinishTransfer,

    /// <summary>A transfer stops: a replicated target becomes Dead, a moved one is dropped.</summary>
    AbortTransfer,

    /// <summary>A running transfer starts over under a new id (its target empties again) with <see cref="MetaOp.Transfer"/>'s method.</summary>
    RestartTransfer,

    /// <summary>The replica of <see cref="MetaOp.ShardId"/> on <see cref="MetaOp.PeerId"/> is removed.</summary>
    DropReplica,
}
