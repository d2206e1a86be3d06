using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// Engine enums as Qdrant names them on the wire. Exhaustive switches, so a new member does not compile until it has
/// a name; plain strings in the DTOs keep the generated fast path (an enum converter would turn it off).
/// </summary>
internal static class WireNames
{
    public static string Of(CollectionStatus status) => status switch
    {
        CollectionStatus.Green => "green",
        CollectionStatus.Yellow => "yellow",
        CollectionStatus.Red => "red",
        CollectionStatus.Grey => "grey",
    };

    public static string Of(ReplicaState state) => state switch
    {
        ReplicaState.Active => "Active",
        ReplicaState.Dead => "Dead",
        ReplicaState.Partial => "Partial",
        ReplicaState.Initializing => "Initializing",
        ReplicaState.Listener => "Listener",
        ReplicaState.PartialSnapshot => "PartialSnapshot",
        ReplicaState.Recovery => "Recovery",
        ReplicaState.Resharding => "Resharding",
        ReplicaState.ReshardingScaleDown => "ReshardingScaleDown",
        ReplicaState.ActiveRead => "ActiveRead",
    };

    public static string Of(PayloadSchemaType type) => type switch
    {
        PayloadSchemaType.Keyword => "keyword",
        PayloadSchemaType.Integer => "integer",
        PayloadSchemaType.Float => "float",
        PayloadSchemaType.Geo => "geo",
        PayloadSchemaType.Text => "text",
        PayloadSchemaType.Bool => "bool",
        PayloadSchemaType.Datetime => "datetime",
        PayloadSchemaType.Uuid => "uuid",
    };

    public static string Of(Distance distance) => distance switch
    {
        Distance.Cosine => "Cosine",
        Distance.Euclid => "Euclid",
        Distance.Dot => "Dot",
        Distance.Manhattan => "Manhattan",
    };

    public static string Of(UpdateStatus status) => status switch
    {
        UpdateStatus.Acknowledged => "acknowledged",
        UpdateStatus.Completed => "completed",
        UpdateStatus.WaitTimeout => "wait_timeout",
    };
}
